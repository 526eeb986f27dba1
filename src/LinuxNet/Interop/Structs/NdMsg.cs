using System.Runtime.InteropServices;

namespace LinuxNet;

// struct ndmsg, /usr/include/linux/neighbour.h
[StructLayout(LayoutKind.Sequential)]
internal struct NdMsg
{
    internal byte Family;
    internal byte Pad1;
    internal ushort Pad2;
    internal int Index;
    internal ushort State;
    internal byte Flags;
    internal byte Type;
}
