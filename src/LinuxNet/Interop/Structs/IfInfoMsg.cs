using System.Runtime.InteropServices;

namespace LinuxNet;

// struct ifinfomsg, /usr/include/linux/rtnetlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    internal byte Family;
    internal byte Pad;
    internal ushort Type;
    internal int Index;
    internal uint Flags;
    internal uint Change;
}
