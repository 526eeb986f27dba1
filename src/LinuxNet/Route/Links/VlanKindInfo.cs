namespace LinuxNet.Route;

/// <summary>An 802.1Q/802.1ad VLAN device's settings.</summary>
public sealed class VlanKindInfo : LinkKindInfo
{
    internal VlanKindInfo()
        : base("vlan")
    {
    }

    /// <summary>The VLAN id (0–4095). Kernel: <c>IFLA_VLAN_ID</c>.</summary>
    public ushort Id { get; internal set; }

    /// <summary>The tag protocol: 0x8100 (802.1Q) or 0x88a8 (802.1ad); 0 when not reported. Kernel: <c>IFLA_VLAN_PROTOCOL</c>.</summary>
    public ushort Protocol { get; internal set; }
}
