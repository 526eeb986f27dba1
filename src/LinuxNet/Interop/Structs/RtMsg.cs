using System.Runtime.InteropServices;

namespace LinuxNet;

// struct rtmsg, /usr/include/linux/rtnetlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct RtMsg
{
    internal byte Family;
    internal byte DestinationLength;
    internal byte SourceLength;
    internal byte Tos;
    internal byte Table;
    internal byte Protocol;
    internal byte Scope;
    internal byte Type;
    internal uint Flags;
}
