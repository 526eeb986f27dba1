using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>An 802.1Q/802.1ad VLAN device on a parent link (<c>ip link add link PARENT name NAME type vlan id ID [protocol PROTO]</c>).</summary>
/// <remarks>Needs the <c>8021q</c> module; without it <see cref="LinkManager.Add(LinkSpec)"/> throws a not-supported error.</remarks>
public sealed class VlanLinkSpec : LinkSpec
{
    /// <summary>The 802.1Q tag protocol id.</summary>
    public const ushort Protocol8021Q = 0x8100;

    /// <summary>The 802.1ad (QinQ) tag protocol id.</summary>
    public const ushort Protocol8021AD = 0x88a8;

    /// <summary>Describes a VLAN device.</summary>
    /// <param name="name">The new device's name.</param>
    /// <param name="parent">The parent device, by name or index. Kernel: <c>IFLA_LINK</c>.</param>
    /// <param name="id">The VLAN id, 0–4094. Kernel: <c>IFLA_VLAN_ID</c>.</param>
    public VlanLinkSpec(string name, LinkReference parent, ushort id)
        : base(name)
    {
        Parent = parent;
        Id = id;
    }

    /// <inheritdoc/>
    public override string Kind => "vlan";

    /// <summary>The parent device.</summary>
    public LinkReference Parent { get; }

    /// <summary>The VLAN id.</summary>
    public ushort Id { get; }

    /// <summary>The tag protocol (<see cref="Protocol8021Q"/> or <see cref="Protocol8021AD"/>), or <see langword="null"/> for 802.1Q without sending it. Kernel: <c>IFLA_VLAN_PROTOCOL</c>.</summary>
    public ushort? Protocol { get; init; }

    internal override bool UsesLinkAttribute => true;

    internal override LinkReference? LowerLink => Parent;

    internal override bool HasInfoData => true;

    internal override void Validate()
    {
        base.Validate();
        if (Id > 4094)
        {
            throw new ArgumentOutOfRangeException(nameof(Id), Id, "A VLAN id is 0–4094.");
        }

        if (Protocol is ushort protocol && protocol is not (Protocol8021Q or Protocol8021AD))
        {
            throw new ArgumentOutOfRangeException(nameof(Protocol), protocol, "The VLAN protocol is 0x8100 (802.1Q) or 0x88a8 (802.1ad).");
        }
    }

    internal override void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
        writer.WriteUInt16(LinuxIfLink.IFLA_VLAN_ID, Id);
        if (Protocol is ushort protocol)
        {
            writer.WriteUInt16BigEndian(LinuxIfLink.IFLA_VLAN_PROTOCOL, protocol);
        }
    }
}
