using System.Runtime.InteropServices;

namespace LinuxNet;

// struct sockaddr_nl, /usr/include/linux/netlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrNetlink
{
    internal ushort Family;
    internal ushort Pad;
    internal uint PortId;
    internal uint Groups;
}
