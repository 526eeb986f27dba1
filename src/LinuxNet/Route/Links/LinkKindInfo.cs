namespace LinuxNet.Route;

/// <summary>
/// Kind-specific details of a link, read from <c>IFLA_LINKINFO</c>/<c>IFLA_INFO_DATA</c> (what <c>ip -d link show</c>
/// prints after the kind). The subtype tells the kind: <see cref="VethKindInfo"/>, <see cref="BridgeKindInfo"/>,
/// <see cref="MacvlanKindInfo"/>, <see cref="VxlanKindInfo"/>, <see cref="VlanKindInfo"/>, <see cref="IpvlanKindInfo"/>,
/// <see cref="BondKindInfo"/>.
/// </summary>
public abstract class LinkKindInfo
{
    private protected LinkKindInfo(string kind) => Kind = kind;

    /// <summary>The kind, as in <see cref="LinkInfo.Kind"/> (<c>veth</c>, <c>bridge</c>, …). Kernel: <c>IFLA_INFO_KIND</c>.</summary>
    public string Kind { get; }
}
