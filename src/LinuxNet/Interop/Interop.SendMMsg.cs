using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "sendmmsg", SetLastError = true)]
        internal static extern unsafe int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);
    }
}
