using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
#if NET
        // Source-generated: the P/Invoke is inlined into the caller and errno is saved without an IL stub (a hot path).
        [LibraryImport(Libraries.Libc, EntryPoint = "recvmsg", SetLastError = true)]
        internal static unsafe partial nint RecvMsg(int fd, MsgHdr* message, int flags);
#else
        [DllImport(Libraries.Libc, EntryPoint = "recvmsg", SetLastError = true)]
        internal static extern unsafe nint RecvMsg(int fd, MsgHdr* message, int flags);
#endif
    }
}
