using System.Runtime.InteropServices;

namespace LinuxNet;

// struct nexthop_grp, /usr/include/linux/nexthop.h: one member of NHA_GROUP; the weight travels as weight - 1.
[StructLayout(LayoutKind.Sequential)]
internal struct NexthopGrp
{
    internal uint Id;
    internal byte Weight;
    internal byte Reserved1;
    internal ushort Reserved2;
}
