using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_netem_qopt, /usr/include/linux/pkt_sched.h
[StructLayout(LayoutKind.Sequential)]
internal struct TcNetemQopt
{
    internal uint Latency;
    internal uint Limit;
    internal uint Loss;
    internal uint Gap;
    internal uint Duplicate;
    internal uint Jitter;
}
