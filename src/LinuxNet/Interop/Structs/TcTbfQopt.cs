using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_tbf_qopt, /usr/include/linux/pkt_sched.h
[StructLayout(LayoutKind.Sequential)]
internal struct TcTbfQopt
{
    internal TcRateSpec Rate;
    internal TcRateSpec PeakRate;
    internal uint Limit;
    internal uint Buffer;
    internal uint Mtu;
}
