using System.Runtime.InteropServices;

namespace LinuxNet;

// struct nlattr, /usr/include/linux/netlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct NlAttr
{
    internal ushort Length;
    internal ushort Type;
}
