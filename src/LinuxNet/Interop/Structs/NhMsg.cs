using System.Runtime.InteropServices;

namespace LinuxNet;

// struct nhmsg, /usr/include/linux/nexthop.h
[StructLayout(LayoutKind.Sequential)]
internal struct NhMsg
{
    internal byte Family;
    internal byte Scope;
    internal byte Protocol;
    internal byte Reserved;
    internal uint Flags;
}
