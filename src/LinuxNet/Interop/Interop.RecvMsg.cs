using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "recvmsg", SetLastError = true)]
        internal static extern unsafe nint RecvMsg(int fd, MsgHdr* message, int flags);
    }
}
