namespace LinuxNet.Route;

/// <summary>Per-route TCP and path metrics (<c>ip route add … mtu N advmss N hoplimit N initcwnd N …</c>), in kernel units.</summary>
/// <remarks>Kernel: the nested <c>RTA_METRICS</c> attribute with <c>RTAX_*</c> members. <see langword="null"/> means "not set".</remarks>
public sealed class RouteMetrics
{
    /// <summary>Path MTU (<c>mtu</c>). Kernel: RTAX_MTU.</summary>
    public uint? Mtu { get; set; }

    /// <summary>Whether the MTU is locked against path-MTU discovery (<c>mtu lock N</c>). Kernel: bit RTAX_MTU of RTAX_LOCK.</summary>
    public bool LockMtu
    {
        get => (Locks & (1u << LinuxRtnetlink.RTAX_MTU)) != 0;
        set => Locks = value ? Locks | (1u << LinuxRtnetlink.RTAX_MTU) : Locks & ~(1u << LinuxRtnetlink.RTAX_MTU);
    }

    /// <summary>The raw RTAX_LOCK mask: bit <c>1 &lt;&lt; RTAX_x</c> locks metric x. 0 sends no lock.</summary>
    public uint Locks { get; set; }

    /// <summary>Maximal TCP window (<c>window</c>). Kernel: RTAX_WINDOW.</summary>
    public uint? Window { get; set; }

    /// <summary>Initial RTT estimate, kernel units (<c>rtt</c>). Kernel: RTAX_RTT.</summary>
    public uint? Rtt { get; set; }

    /// <summary>Initial RTT variance, kernel units (<c>rttvar</c>). Kernel: RTAX_RTTVAR.</summary>
    public uint? RttVariance { get; set; }

    /// <summary>Initial slow-start threshold (<c>ssthresh</c>). Kernel: RTAX_SSTHRESH.</summary>
    public uint? SlowStartThreshold { get; set; }

    /// <summary>Clamp for the congestion window (<c>cwnd</c>). Kernel: RTAX_CWND.</summary>
    public uint? CongestionWindow { get; set; }

    /// <summary>Advertised MSS (<c>advmss</c>). Kernel: RTAX_ADVMSS.</summary>
    public uint? AdvertisedMss { get; set; }

    /// <summary>Maximal reordering (<c>reordering</c>). Kernel: RTAX_REORDERING.</summary>
    public uint? Reordering { get; set; }

    /// <summary>Hop limit / TTL of packets on this route (<c>hoplimit</c>). Kernel: RTAX_HOPLIMIT.</summary>
    public uint? HopLimit { get; set; }

    /// <summary>Initial congestion window (<c>initcwnd</c>). Kernel: RTAX_INITCWND.</summary>
    public uint? InitialCongestionWindow { get; set; }

    /// <summary>Feature bits (<c>features</c>, e.g. ECN). Kernel: RTAX_FEATURES.</summary>
    public uint? Features { get; set; }

    /// <summary>Minimal retransmission timeout, kernel units (<c>rto_min</c>). Kernel: RTAX_RTO_MIN.</summary>
    public uint? RtoMin { get; set; }

    /// <summary>Initial receive window (<c>initrwnd</c>). Kernel: RTAX_INITRWND.</summary>
    public uint? InitialReceiveWindow { get; set; }

    /// <summary>Quick ACK (<c>quickack</c>). Kernel: RTAX_QUICKACK.</summary>
    public uint? QuickAck { get; set; }

    internal uint? Get(ushort type) => type switch
    {
        LinuxRtnetlink.RTAX_MTU => Mtu,
        LinuxRtnetlink.RTAX_WINDOW => Window,
        LinuxRtnetlink.RTAX_RTT => Rtt,
        LinuxRtnetlink.RTAX_RTTVAR => RttVariance,
        LinuxRtnetlink.RTAX_SSTHRESH => SlowStartThreshold,
        LinuxRtnetlink.RTAX_CWND => CongestionWindow,
        LinuxRtnetlink.RTAX_ADVMSS => AdvertisedMss,
        LinuxRtnetlink.RTAX_REORDERING => Reordering,
        LinuxRtnetlink.RTAX_HOPLIMIT => HopLimit,
        LinuxRtnetlink.RTAX_INITCWND => InitialCongestionWindow,
        LinuxRtnetlink.RTAX_FEATURES => Features,
        LinuxRtnetlink.RTAX_RTO_MIN => RtoMin,
        LinuxRtnetlink.RTAX_INITRWND => InitialReceiveWindow,
        LinuxRtnetlink.RTAX_QUICKACK => QuickAck,
        _ => null,
    };

    internal void Set(ushort type, uint value)
    {
        switch (type)
        {
            case LinuxRtnetlink.RTAX_LOCK: Locks = value; break;
            case LinuxRtnetlink.RTAX_MTU: Mtu = value; break;
            case LinuxRtnetlink.RTAX_WINDOW: Window = value; break;
            case LinuxRtnetlink.RTAX_RTT: Rtt = value; break;
            case LinuxRtnetlink.RTAX_RTTVAR: RttVariance = value; break;
            case LinuxRtnetlink.RTAX_SSTHRESH: SlowStartThreshold = value; break;
            case LinuxRtnetlink.RTAX_CWND: CongestionWindow = value; break;
            case LinuxRtnetlink.RTAX_ADVMSS: AdvertisedMss = value; break;
            case LinuxRtnetlink.RTAX_REORDERING: Reordering = value; break;
            case LinuxRtnetlink.RTAX_HOPLIMIT: HopLimit = value; break;
            case LinuxRtnetlink.RTAX_INITCWND: InitialCongestionWindow = value; break;
            case LinuxRtnetlink.RTAX_FEATURES: Features = value; break;
            case LinuxRtnetlink.RTAX_RTO_MIN: RtoMin = value; break;
            case LinuxRtnetlink.RTAX_INITRWND: InitialReceiveWindow = value; break;
            case LinuxRtnetlink.RTAX_QUICKACK: QuickAck = value; break;
            default: break;
        }
    }
}
