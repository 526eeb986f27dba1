using System.Runtime.InteropServices;

namespace LinuxNet;

// struct rtnexthop, /usr/include/linux/rtnetlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct RtNextHop
{
    internal ushort Length;
    internal byte Flags;
    internal byte Hops;
    internal int Index;
}
