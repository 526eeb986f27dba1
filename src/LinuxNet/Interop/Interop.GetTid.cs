using System;
using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // glibc gained a gettid() wrapper only in 2.30; older glibc and some musl builds need the raw syscall.
        [DllImport(Libraries.Libc, EntryPoint = "gettid", SetLastError = false)]
        private static extern int GetTidRaw();

        [DllImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = false)]
        private static extern nint Syscall0(nint number);

        private static bool s_noGetTid;

        /// <summary>The kernel thread id of the calling thread (what <c>/proc/thread-self</c> names).</summary>
        internal static int GetTid()
        {
            if (!s_noGetTid)
            {
                try
                {
                    return GetTidRaw();
                }
                catch (EntryPointNotFoundException)
                {
                    s_noGetTid = true;
                }
            }

            // SYS_gettid: 186 on x86_64, 178 on the generic table (arm64, riscv64, loongarch64).
            nint number = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 186 : 178;
            return (int)Syscall0(number);
        }
    }
}
