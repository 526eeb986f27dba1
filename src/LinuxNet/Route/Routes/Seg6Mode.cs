namespace LinuxNet.Route;

/// <summary>How a seg6 route applies its segment list (<c>encap seg6 mode MODE</c>). Kernel: <c>SEG6_IPTUN_MODE_*</c>.</summary>
public enum Seg6Mode
{
    /// <summary>Insert the segment routing header into the packet itself (<c>inline</c>); IPv6 packets only.</summary>
    Inline = 0,

    /// <summary>Wrap the packet in an outer IPv6 header carrying the segment routing header (<c>encap</c>).</summary>
    Encap = 1,

    /// <summary>Wrap the whole Ethernet frame (<c>l2encap</c>); for routes on an input device.</summary>
    L2Encap = 2,

    /// <summary>As <see cref="Encap"/>, with the first segment carried only in the outer destination (<c>encap.red</c>).</summary>
    EncapReduced = 3,

    /// <summary>As <see cref="L2Encap"/>, reduced (<c>l2encap.red</c>).</summary>
    L2EncapReduced = 4,
}
