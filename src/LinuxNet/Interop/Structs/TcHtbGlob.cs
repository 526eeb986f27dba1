using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_htb_glob, /usr/include/linux/pkt_sched.h
[StructLayout(LayoutKind.Sequential)]
internal struct TcHtbGlob
{
    internal uint Version;
    internal uint RateToQuantum;
    internal uint DefaultClass;
    internal uint Debug;
    internal uint DirectPackets;
}
