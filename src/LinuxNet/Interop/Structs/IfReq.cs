using System.Runtime.InteropServices;

namespace LinuxNet;

// struct ifreq, /usr/include/linux/if.h: char ifr_name[IFNAMSIZ] followed by a union whose largest member
// (struct ifmap) makes the whole 40 bytes on 64-bit targets. Only the members LinuxNet uses are named.
[StructLayout(LayoutKind.Explicit, Size = 40)]
internal unsafe struct IfReq
{
    [FieldOffset(0)]
    internal fixed byte Name[16];

    [FieldOffset(16)]
    internal short Flags;

    [FieldOffset(16)]
    internal int IntValue;
}
