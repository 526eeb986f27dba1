namespace LinuxNet;

// /usr/include/x86_64-linux-gnu/sys/epoll.h and linux/eventpoll.h
internal static class LinuxEpoll
{
    internal const int EPOLL_CLOEXEC = 0x80000;

    internal const int EPOLL_CTL_ADD = 1;
    internal const int EPOLL_CTL_DEL = 2;
    internal const int EPOLL_CTL_MOD = 3;

    internal const uint EPOLLIN = 0x001;
    internal const uint EPOLLPRI = 0x002;
    internal const uint EPOLLOUT = 0x004;
    internal const uint EPOLLERR = 0x008;
    internal const uint EPOLLHUP = 0x010;
    internal const uint EPOLLRDHUP = 0x2000;
    internal const uint EPOLLONESHOT = 1u << 30;
    internal const uint EPOLLET = 1u << 31;
}
