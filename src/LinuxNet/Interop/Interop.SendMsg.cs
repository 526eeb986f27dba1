using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "sendmsg", SetLastError = true)]
        internal static extern unsafe nint SendMsg(int fd, MsgHdr* message, int flags);

#if NET
        // Source-generated: the P/Invoke is inlined into the caller and errno is saved without an IL stub (a hot path).
        [LibraryImport(Libraries.Libc, EntryPoint = "sendto", SetLastError = true)]
        internal static unsafe partial nint SendTo(int fd, void* buffer, nuint length, int flags, void* address, uint addressLength);
#else
        [DllImport(Libraries.Libc, EntryPoint = "sendto", SetLastError = true)]
        internal static extern unsafe nint SendTo(int fd, void* buffer, nuint length, int flags, void* address, uint addressLength);
#endif
    }
}
