namespace LinuxNet;

// /usr/include/x86_64-linux-gnu/bits/socket.h, asm-generic/socket.h, linux/socket.h
internal static class LinuxSocket
{
    internal const int AF_UNSPEC = 0;
    internal const int AF_UNIX = 1;
    internal const int AF_INET = 2;
    internal const int AF_BRIDGE = 7;
    internal const int AF_INET6 = 10;
    internal const int AF_NETLINK = 16;
    internal const int AF_PACKET = 17;

    internal const int SOCK_STREAM = 1;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int SOCK_CLOEXEC = 0x80000;

    internal const int SOL_SOCKET = 1;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_SNDBUFFORCE = 32;
    internal const int SO_RCVBUFFORCE = 33;

    internal const int MSG_PEEK = 0x2;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_DONTWAIT = 0x40;
}
