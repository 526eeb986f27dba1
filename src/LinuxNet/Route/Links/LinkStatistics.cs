namespace LinuxNet.Route;

/// <summary>A link's 64-bit traffic counters, as <c>ip -s link</c> prints them.</summary>
/// <remarks>Kernel: <c>IFLA_STATS64</c>, <c>struct rtnl_link_stats64</c> in <c>/usr/include/linux/if_link.h</c>. A snapshot taken when the link was read.</remarks>
public sealed class LinkStatistics
{
    internal LinkStatistics(in RtnlLinkStats64 s)
    {
        RxPackets = s.RxPackets;
        TxPackets = s.TxPackets;
        RxBytes = s.RxBytes;
        TxBytes = s.TxBytes;
        RxErrors = s.RxErrors;
        TxErrors = s.TxErrors;
        RxDropped = s.RxDropped;
        TxDropped = s.TxDropped;
        Multicast = s.Multicast;
        Collisions = s.Collisions;
        RxLengthErrors = s.RxLengthErrors;
        RxOverErrors = s.RxOverErrors;
        RxCrcErrors = s.RxCrcErrors;
        RxFrameErrors = s.RxFrameErrors;
        RxFifoErrors = s.RxFifoErrors;
        RxMissedErrors = s.RxMissedErrors;
        TxAbortedErrors = s.TxAbortedErrors;
        TxCarrierErrors = s.TxCarrierErrors;
        TxFifoErrors = s.TxFifoErrors;
        TxHeartbeatErrors = s.TxHeartbeatErrors;
        TxWindowErrors = s.TxWindowErrors;
        RxCompressed = s.RxCompressed;
        TxCompressed = s.TxCompressed;
        RxNoHandler = s.RxNoHandler;
        RxOtherhostDropped = s.RxOtherhostDropped;
    }

    /// <summary>Packets received. Kernel: <c>rx_packets</c>.</summary>
    public ulong RxPackets { get; }

    /// <summary>Packets transmitted. Kernel: <c>tx_packets</c>.</summary>
    public ulong TxPackets { get; }

    /// <summary>Bytes received. Kernel: <c>rx_bytes</c>.</summary>
    public ulong RxBytes { get; }

    /// <summary>Bytes transmitted. Kernel: <c>tx_bytes</c>.</summary>
    public ulong TxBytes { get; }

    /// <summary>Receive errors. Kernel: <c>rx_errors</c>.</summary>
    public ulong RxErrors { get; }

    /// <summary>Transmit errors. Kernel: <c>tx_errors</c>.</summary>
    public ulong TxErrors { get; }

    /// <summary>Received packets dropped (no space, or unwanted). Kernel: <c>rx_dropped</c>.</summary>
    public ulong RxDropped { get; }

    /// <summary>Packets dropped on transmit. Kernel: <c>tx_dropped</c>.</summary>
    public ulong TxDropped { get; }

    /// <summary>Multicast packets received. Kernel: <c>multicast</c>.</summary>
    public ulong Multicast { get; }

    /// <summary>Collisions. Kernel: <c>collisions</c>.</summary>
    public ulong Collisions { get; }

    /// <summary>Receive errors: bad length. Kernel: <c>rx_length_errors</c>.</summary>
    public ulong RxLengthErrors { get; }

    /// <summary>Receive errors: ring overflow. Kernel: <c>rx_over_errors</c>.</summary>
    public ulong RxOverErrors { get; }

    /// <summary>Receive errors: bad CRC. Kernel: <c>rx_crc_errors</c>.</summary>
    public ulong RxCrcErrors { get; }

    /// <summary>Receive errors: frame alignment. Kernel: <c>rx_frame_errors</c>.</summary>
    public ulong RxFrameErrors { get; }

    /// <summary>Receive errors: FIFO overrun. Kernel: <c>rx_fifo_errors</c>.</summary>
    public ulong RxFifoErrors { get; }

    /// <summary>Receive errors: missed by the host. Kernel: <c>rx_missed_errors</c>.</summary>
    public ulong RxMissedErrors { get; }

    /// <summary>Transmit errors: aborted. Kernel: <c>tx_aborted_errors</c>.</summary>
    public ulong TxAbortedErrors { get; }

    /// <summary>Transmit errors: carrier lost. Kernel: <c>tx_carrier_errors</c>.</summary>
    public ulong TxCarrierErrors { get; }

    /// <summary>Transmit errors: FIFO underrun. Kernel: <c>tx_fifo_errors</c>.</summary>
    public ulong TxFifoErrors { get; }

    /// <summary>Transmit errors: heartbeat. Kernel: <c>tx_heartbeat_errors</c>.</summary>
    public ulong TxHeartbeatErrors { get; }

    /// <summary>Transmit errors: late collision. Kernel: <c>tx_window_errors</c>.</summary>
    public ulong TxWindowErrors { get; }

    /// <summary>Compressed packets received. Kernel: <c>rx_compressed</c>.</summary>
    public ulong RxCompressed { get; }

    /// <summary>Compressed packets transmitted. Kernel: <c>tx_compressed</c>.</summary>
    public ulong TxCompressed { get; }

    /// <summary>Packets dropped because no protocol handler took them. Kernel: <c>rx_no_handler</c>.</summary>
    public ulong RxNoHandler { get; }

    /// <summary>Packets dropped because they were addressed to another host (0 before kernel 6.0). Kernel: <c>rx_otherhost_dropped</c>.</summary>
    public ulong RxOtherhostDropped { get; }
}
