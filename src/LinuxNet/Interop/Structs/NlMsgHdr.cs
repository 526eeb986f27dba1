using System.Runtime.InteropServices;

namespace LinuxNet;

// struct nlmsghdr, /usr/include/linux/netlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    internal uint Length;
    internal ushort Type;
    internal ushort Flags;
    internal uint Sequence;
    internal uint PortId;
}
