using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_u32_sel without its flexible keys[] array, /usr/include/linux/pkt_cls.h (offmask and hmask are big-endian)
[StructLayout(LayoutKind.Sequential)]
internal struct TcU32Sel
{
    internal byte Flags;
    internal byte OffShift;
    internal byte KeyCount;
    internal byte Pad;
    internal ushort OffMask;
    internal ushort Off;
    internal short OffOff;
    internal short HOff;
    internal uint HMask;
}
