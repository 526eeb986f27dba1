namespace LinuxNet.Route;

/// <summary>An ipvlan device's settings.</summary>
public sealed class IpvlanKindInfo : LinkKindInfo
{
    internal IpvlanKindInfo()
        : base("ipvlan")
    {
    }

    /// <summary>The mode. Kernel: <c>IFLA_IPVLAN_MODE</c>.</summary>
    public IpvlanMode Mode { get; internal set; }

    /// <summary>The raw <c>IFLA_IPVLAN_FLAGS</c> (<c>IPVLAN_F_PRIVATE</c> = 1, <c>IPVLAN_F_VEPA</c> = 2).</summary>
    public ushort Flags { get; internal set; }
}
