namespace LinuxNet.Route;

/// <summary>A bond's settings, as <c>ip -d link show</c> prints after <c>bond</c>.</summary>
public sealed class BondKindInfo : LinkKindInfo
{
    internal BondKindInfo()
        : base("bond")
    {
    }

    /// <summary>The bonding policy. Kernel: <c>IFLA_BOND_MODE</c>.</summary>
    public BondMode Mode { get; internal set; }
}
