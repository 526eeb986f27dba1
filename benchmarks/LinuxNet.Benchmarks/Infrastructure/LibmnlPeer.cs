using System.Runtime.InteropServices;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>
/// The C (libmnl) control-plane peer, benchmarks/native/nlpeer.c built as a shared library at first use and loaded
/// in-process, so BenchmarkDotNet measures the C loop in steady state in the same process and namespace as LinuxNet.
/// One instance owns one mnl socket opened inside a namespace (the C side <c>setns</c>es its calling thread there,
/// opens and binds the socket, and returns).
/// </summary>
/// <remarks>Calls go through unmanaged function pointers: no marshalling, nothing allocated per call.</remarks>
internal sealed unsafe class LibmnlPeer : IDisposable
{
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;

    private static readonly Lazy<Exports> Library = new(Load);

    private nint _handle;

    /// <summary>Opens the peer's socket inside <paramref name="ns"/>.</summary>
    public LibmnlPeer(NetNamespace ns)
    {
        int fd = Open(ns.Path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new InvalidOperationException($"open {ns.Path}: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            _handle = Library.Value.Open(fd);
        }
        finally
        {
            _ = Close(fd);
        }

        if (_handle == 0)
        {
            throw new InvalidOperationException($"nlp_open failed: errno {Marshal.GetLastSystemError()}");
        }
    }

    /// <summary>The requests nlpeer.c can send (numbers match its <c>enum nlp_op</c>); each delete is its add + 1.</summary>
    public enum Operation
    {
        RouteAdd = 0,
        RouteDelete = 1,
        AddressAdd = 2,
        AddressDelete = 3,
        RuleAdd = 4,
        RuleDelete = 5,
        NeighbourAdd = 6,
        NeighbourDelete = 7,
    }

    /// <summary>What nlpeer.c can dump and parse (its <c>enum nlp_dump_kind</c>).</summary>
    public enum DumpKind
    {
        Routes = 0,
        Addresses = 1,
        Links = 2,
        Neighbours = 3,
    }

    /// <summary><paramref name="count"/> requests, one sendto + one ACK each.</summary>
    public void Run(Operation operation, int count, int ifindex) => Check(Library.Value.Run(_handle, (int)operation, count, ifindex));

    /// <summary><paramref name="count"/> requests, 1,024 per sendmsg, ACKs read in bulk (recvmmsg).</summary>
    public void RunBatch(Operation operation, int count, int ifindex) => Check(Library.Value.RunBatch(_handle, (int)operation, count, ifindex));

    /// <summary>Dumps and parses into C structs; returns the number of objects.</summary>
    public long Dump(DumpKind kind)
    {
        long count = Library.Value.Dump(_handle, (int)kind);
        Check(count < 0 ? (int)count : 0);
        return count;
    }

    /// <summary>
    /// Builds nlpeer.c as an executable (<c>-DNLPEER_MAIN</c>) for cold-process figures and returns its path:
    /// <c>nlpeer route-add|route-del|route-add-batch|route-del-batch N DEV</c> in the current namespace (prefix
    /// 2001:db8:3::/112), exit 0 on success, non-zero with a message on stderr on any kernel refusal.
    /// The caller deletes the file.
    /// </summary>
    public static string BuildExecutable() => NativePeer.Build("nlpeer.c", ["-DNLPEER_MAIN"], ["-lmnl"], shared: false);

    /// <summary>The C namespace loop: creates /run/netns/PREFIXi for i in [0, count) (unshare + bind mount + setns back).</summary>
    public static void CreateNamespaces(string prefix, int count) => CheckNamespaces(Call(Library.Value.CreateN, prefix, count), "create_n");

    /// <summary>Deletes /run/netns/PREFIXi for i in [0, count) (umount2 MNT_DETACH + unlink).</summary>
    public static void DeleteNamespaces(string prefix, int count) => CheckNamespaces(Call(Library.Value.DeleteN, prefix, count), "delete_n");

    public void Dispose()
    {
        if (_handle != 0)
        {
            Library.Value.Close(_handle);
            _handle = 0;
        }
    }

    private static int Call(delegate* unmanaged<byte*, int, int> function, string prefix, int count)
    {
        // The prefix is converted once per call of N operations, outside the C loop.
        byte[] bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(prefix) + 1];
        System.Text.Encoding.UTF8.GetBytes(prefix, bytes);
        fixed (byte* p = bytes)
        {
            return function(p, count);
        }
    }

    private static void CheckNamespaces(int result, string what)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"{what}: errno {-result}");
        }
    }

    private void Check(int result)
    {
        if (result < 0)
        {
            throw new InvalidOperationException("nlpeer: " + Marshal.PtrToStringUTF8(Library.Value.Error(_handle)));
        }
    }

    private static Exports Load()
    {
        string path = NativePeer.Build("nlpeer.c", [], ["-lmnl"], shared: true);
        nint library = NativeLibrary.Load(path);
        File.Delete(path); // mapped already: nothing is left in /tmp by each benchmark process
        return new Exports
        {
            Open = (delegate* unmanaged<int, nint>)NativeLibrary.GetExport(library, "nlp_open"),
            Close = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "nlp_close"),
            Error = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(library, "nlp_error"),
            Run = (delegate* unmanaged<nint, int, int, int, int>)NativeLibrary.GetExport(library, "nlp_run"),
            RunBatch = (delegate* unmanaged<nint, int, int, int, int>)NativeLibrary.GetExport(library, "nlp_run_batch"),
            Dump = (delegate* unmanaged<nint, int, long>)NativeLibrary.GetExport(library, "nlp_dump"),
            CreateN = (delegate* unmanaged<byte*, int, int>)NativeLibrary.GetExport(library, "create_n"),
            DeleteN = (delegate* unmanaged<byte*, int, int>)NativeLibrary.GetExport(library, "delete_n"),
        };
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    private sealed class Exports
    {
        public delegate* unmanaged<int, nint> Open;
        public delegate* unmanaged<nint, void> Close;
        public delegate* unmanaged<nint, nint> Error;
        public delegate* unmanaged<nint, int, int, int, int> Run;
        public delegate* unmanaged<nint, int, int, int, int> RunBatch;
        public delegate* unmanaged<nint, int, long> Dump;
        public delegate* unmanaged<byte*, int, int> CreateN;
        public delegate* unmanaged<byte*, int, int> DeleteN;
    }
}
