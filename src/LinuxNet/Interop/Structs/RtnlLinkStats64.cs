using System.Runtime.InteropServices;

namespace LinuxNet;

// struct rtnl_link_stats64, /usr/include/linux/if_link.h (IFLA_STATS64). Kernels before 6.0 send 192 bytes
// (without rx_otherhost_dropped): readers must accept a shorter value and leave the missing tail zero.
[StructLayout(LayoutKind.Sequential)]
internal struct RtnlLinkStats64
{
    internal ulong RxPackets;
    internal ulong TxPackets;
    internal ulong RxBytes;
    internal ulong TxBytes;
    internal ulong RxErrors;
    internal ulong TxErrors;
    internal ulong RxDropped;
    internal ulong TxDropped;
    internal ulong Multicast;
    internal ulong Collisions;
    internal ulong RxLengthErrors;
    internal ulong RxOverErrors;
    internal ulong RxCrcErrors;
    internal ulong RxFrameErrors;
    internal ulong RxFifoErrors;
    internal ulong RxMissedErrors;
    internal ulong TxAbortedErrors;
    internal ulong TxCarrierErrors;
    internal ulong TxFifoErrors;
    internal ulong TxHeartbeatErrors;
    internal ulong TxWindowErrors;
    internal ulong RxCompressed;
    internal ulong TxCompressed;
    internal ulong RxNoHandler;
    internal ulong RxOtherhostDropped;
}
