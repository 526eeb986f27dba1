using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "recvmmsg", SetLastError = true)]
        internal static extern unsafe int RecvMMsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);
    }
}
