namespace LinuxNet.Route;

/// <summary>The layer at which an ipvlan device works (<c>ip link add … type ipvlan mode MODE</c>).</summary>
/// <remarks>Kernel: <c>IFLA_IPVLAN_MODE</c>, <c>enum ipvlan_mode</c> in <c>/usr/include/linux/if_link.h</c>.</remarks>
public enum IpvlanMode : ushort
{
    /// <summary>Layer 2 (<c>l2</c>).</summary>
    L2 = 0,

    /// <summary>Layer 3, routed by the parent's stack (<c>l3</c>).</summary>
    L3 = 1,

    /// <summary>Layer 3 with netfilter on the slave (<c>l3s</c>).</summary>
    L3S = 2,
}
