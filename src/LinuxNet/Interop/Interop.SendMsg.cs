using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "sendmsg", SetLastError = true)]
        internal static extern unsafe nint SendMsg(int fd, MsgHdr* message, int flags);

        [DllImport(Libraries.Libc, EntryPoint = "sendto", SetLastError = true)]
        internal static extern unsafe nint SendTo(int fd, void* buffer, nuint length, int flags, void* address, uint addressLength);
    }
}
