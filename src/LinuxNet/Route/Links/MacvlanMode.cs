namespace LinuxNet.Route;

/// <summary>How a macvlan or macvtap device forwards between itself and its siblings (<c>ip link add … type macvlan mode MODE</c>).</summary>
/// <remarks>Kernel: <c>IFLA_MACVLAN_MODE</c>, <c>enum macvlan_mode</c> in <c>/usr/include/linux/if_link.h</c>.</remarks>
public enum MacvlanMode : uint
{
    /// <summary>No traffic between siblings (<c>private</c>).</summary>
    Private = 1,

    /// <summary>Siblings talk through the external switch (<c>vepa</c>); the kernel's default.</summary>
    Vepa = 2,

    /// <summary>Siblings talk directly (<c>bridge</c>).</summary>
    Bridge = 4,

    /// <summary>One device takes over the parent's traffic (<c>passthru</c>).</summary>
    Passthru = 8,

    /// <summary>Traffic is accepted only from a list of source MACs (<c>source</c>).</summary>
    Source = 16,
}
