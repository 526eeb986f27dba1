namespace LinuxNet.Route;

/// <summary>A macvlan or macvtap device's settings (<see cref="LinkKindInfo.Kind"/> tells which).</summary>
public sealed class MacvlanKindInfo : LinkKindInfo
{
    internal MacvlanKindInfo(string kind)
        : base(kind)
    {
    }

    /// <summary>The forwarding mode. Kernel: <c>IFLA_MACVLAN_MODE</c>.</summary>
    public MacvlanMode Mode { get; internal set; }

    /// <summary>The raw <c>IFLA_MACVLAN_FLAGS</c> (<c>MACVLAN_FLAG_NOPROMISC</c> = 1, <c>MACVLAN_FLAG_NODST</c> = 2).</summary>
    public ushort Flags { get; internal set; }
}
