using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_u32_key, /usr/include/linux/pkt_cls.h (mask and val are big-endian)
[StructLayout(LayoutKind.Sequential)]
internal struct TcU32Key
{
    internal uint Mask;
    internal uint Value;
    internal int Offset;
    internal int OffMask;
}
