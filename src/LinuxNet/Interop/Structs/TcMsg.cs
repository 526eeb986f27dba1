using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tcmsg, /usr/include/linux/rtnetlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct TcMsg
{
    internal byte Family;
    internal byte Pad1;
    internal ushort Pad2;
    internal int Index;
    internal uint Handle;
    internal uint Parent;
    internal uint Info;
}
