using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_htb_opt, /usr/include/linux/pkt_sched.h
[StructLayout(LayoutKind.Sequential)]
internal struct TcHtbOpt
{
    internal TcRateSpec Rate;
    internal TcRateSpec Ceil;
    internal uint Buffer;
    internal uint CBuffer;
    internal uint Quantum;
    internal uint Level;
    internal uint Prio;
}
