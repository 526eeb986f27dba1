using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // event points at one struct epoll_event laid out by EpollEvent (12 or 16 bytes by architecture).
        [DllImport(Libraries.Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
        internal static extern unsafe int EpollCtl(int epollFd, int operation, int fd, byte* epollEvent);
    }
}
