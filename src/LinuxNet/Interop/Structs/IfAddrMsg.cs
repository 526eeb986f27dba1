using System.Runtime.InteropServices;

namespace LinuxNet;

// struct ifaddrmsg, /usr/include/linux/if_addr.h
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    internal byte Family;
    internal byte PrefixLength;
    internal byte Flags;
    internal byte Scope;
    internal uint Index;
}
