using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>An ipvlan device on a parent link (<c>ip link add NAME link PARENT type ipvlan mode MODE</c>).</summary>
/// <remarks>Needs the <c>ipvlan</c> module; without it <see cref="LinkManager.Add(LinkSpec)"/> throws a not-supported error.</remarks>
public sealed class IpvlanLinkSpec : LinkSpec
{
    /// <summary>Describes an ipvlan device.</summary>
    /// <param name="name">The new device's name.</param>
    /// <param name="parent">The parent device, by name or index. Kernel: <c>IFLA_LINK</c>.</param>
    public IpvlanLinkSpec(string name, LinkReference parent)
        : base(name)
        => Parent = parent;

    /// <inheritdoc/>
    public override string Kind => "ipvlan";

    /// <summary>The parent device.</summary>
    public LinkReference Parent { get; }

    /// <summary>The mode (default <see cref="IpvlanMode.L2"/>). Kernel: <c>IFLA_IPVLAN_MODE</c>; <c>IFLA_IPVLAN_FLAGS</c> 0 is always sent with it, as iproute2 does.</summary>
    public IpvlanMode Mode { get; init; } = IpvlanMode.L2;

    internal override bool UsesLinkAttribute => true;

    internal override LinkReference? LowerLink => Parent;

    internal override bool HasInfoData => true;

    internal override void Validate()
    {
        base.Validate();
        if (Mode is not (IpvlanMode.L2 or IpvlanMode.L3 or IpvlanMode.L3S))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Not an ipvlan mode.");
        }
    }

    internal override void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
        writer.WriteUInt16(LinuxIfLink.IFLA_IPVLAN_MODE, (ushort)Mode);
        writer.WriteUInt16(LinuxIfLink.IFLA_IPVLAN_FLAGS, 0);
    }
}
