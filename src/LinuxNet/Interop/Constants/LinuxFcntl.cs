namespace LinuxNet;

// /usr/include/asm-generic/fcntl.h, linux/eventfd.h, poll.h
internal static class LinuxFcntl
{
    internal const int O_RDONLY = 0;
    internal const int O_WRONLY = 1;
    internal const int O_RDWR = 2;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    internal const int F_GETFD = 1;
    internal const int F_SETFD = 2;
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;
    internal const int FD_CLOEXEC = 1;

    internal const int EFD_NONBLOCK = 0x800;
    internal const int EFD_CLOEXEC = 0x80000;

    internal const short POLLIN = 0x1;
    internal const short POLLOUT = 0x4;
    internal const short POLLERR = 0x8;
    internal const short POLLHUP = 0x10;
    internal const short POLLNVAL = 0x20;
}
