using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "epoll_create1", SetLastError = true)]
        internal static extern int EpollCreate1(int flags);
    }
}
