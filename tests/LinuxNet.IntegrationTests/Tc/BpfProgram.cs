using System.Runtime.InteropServices;

namespace LinuxNet.IntegrationTests.Tc;

/// <summary>
/// Loads the smallest <c>BPF_PROG_TYPE_SCHED_CLS</c> program (<c>r0 = TC_ACT_OK; exit</c>) with <c>bpf(2)</c>, for
/// the bpf filter test. x86-64 and arm64 syscall numbers; the fd is closed on dispose.
/// </summary>
internal sealed class BpfProgram : IDisposable
{
    private const int BPF_PROG_LOAD = 5;
    private const uint BPF_PROG_TYPE_SCHED_CLS = 3;

    private BpfProgram(int fd) => Fd = fd;

    public int Fd { get; }

    /// <summary>Loads the program, or returns <see langword="null"/> with the errno when the kernel refuses.</summary>
    public static unsafe BpfProgram? TryLoad(out int errno)
    {
        ulong* insns = stackalloc ulong[2];
        insns[0] = 0x00000000000000b7; // BPF_ALU64 | BPF_MOV | BPF_K: r0 = 0 (TC_ACT_OK)
        insns[1] = 0x0000000000000095; // BPF_JMP | BPF_EXIT
        byte* license = stackalloc byte[4] { (byte)'G', (byte)'P', (byte)'L', 0 };
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        *(uint*)attr = BPF_PROG_TYPE_SCHED_CLS;
        *(uint*)(attr + 4) = 2;
        *(ulong*)(attr + 8) = (ulong)insns;
        *(ulong*)(attr + 16) = (ulong)license;
        long number = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 280 : 321;
        long fd = Syscall(number, BPF_PROG_LOAD, (nint)attr, 128);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new BpfProgram((int)fd);
    }

    public void Dispose() => Close(Fd);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, long command, nint attr, long size);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
