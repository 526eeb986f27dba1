using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // events points at maxEvents slots of EpollEvent.Size bytes each.
        [DllImport(Libraries.Libc, EntryPoint = "epoll_wait", SetLastError = true)]
        internal static extern unsafe int EpollWait(int epollFd, byte* events, int maxEvents, int timeoutMilliseconds);
    }
}
