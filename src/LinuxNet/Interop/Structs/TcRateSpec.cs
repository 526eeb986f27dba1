using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_ratespec, /usr/include/linux/pkt_sched.h
[StructLayout(LayoutKind.Sequential)]
internal struct TcRateSpec
{
    internal byte CellLog;
    internal byte LinkLayer;
    internal ushort Overhead;
    internal short CellAlign;
    internal ushort Mpu;
    internal uint Rate;
}
