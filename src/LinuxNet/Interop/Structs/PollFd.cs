using System.Runtime.InteropServices;

namespace LinuxNet;

// struct pollfd, /usr/include/asm-generic/poll.h
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    internal int Fd;
    internal short Events;
    internal short ReturnedEvents;
}
