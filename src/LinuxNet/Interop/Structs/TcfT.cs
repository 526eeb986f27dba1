using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tcf_t, /usr/include/linux/pkt_cls.h: an action's times, in USER_HZ clock ticks
[StructLayout(LayoutKind.Sequential)]
internal struct TcfT
{
    internal ulong Install;
    internal ulong LastUse;
    internal ulong Expires;
    internal ulong FirstUse;
}
