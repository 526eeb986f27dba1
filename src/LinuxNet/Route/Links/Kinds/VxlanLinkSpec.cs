using System;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;
using static LinuxNet.LinuxIfLink;

namespace LinuxNet.Route;

/// <summary>
/// A VXLAN tunnel endpoint (<c>ip link add NAME type vxlan id VNI [dstport PORT] [local ADDR] [remote ADDR | group ADDR] [dev DEV] [nolearning]</c>).
/// </summary>
/// <remarks>
/// The request carries the attributes in iproute2's order (underlay, id, local, remote/group, ttl, learning, port);
/// <c>IFLA_VXLAN_LEARNING</c> is always sent, as iproute2 does. Without <see cref="Port"/> the kernel's default port
/// (8472, not IANA's 4789) applies.
/// </remarks>
public sealed class VxlanLinkSpec : LinkSpec
{
    /// <summary>The largest VXLAN network identifier (24 bits).</summary>
    public const uint MaxId = 0xFFFFFF;

    /// <summary>Describes a VXLAN device.</summary>
    /// <param name="name">The new device's name.</param>
    /// <param name="id">The VXLAN network identifier, 0–16,777,215. Kernel: <c>IFLA_VXLAN_ID</c>.</param>
    public VxlanLinkSpec(string name, uint id)
        : base(name)
        => Id = id;

    /// <inheritdoc/>
    public override string Kind => "vxlan";

    /// <summary>The VXLAN network identifier.</summary>
    public uint Id { get; }

    /// <summary>The UDP destination port (not 0), or <see langword="null"/> for the kernel's default. Kernel: <c>IFLA_VXLAN_PORT</c>.</summary>
    public ushort? Port { get; init; }

    /// <summary>The local address, or <see langword="null"/>. Kernel: <c>IFLA_VXLAN_LOCAL</c>/<c>LOCAL6</c>.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>A unicast remote endpoint (not with <see cref="Group"/>). Kernel: <c>IFLA_VXLAN_GROUP</c>/<c>GROUP6</c>.</summary>
    public IPAddress? Remote { get; init; }

    /// <summary>A multicast group to join (not with <see cref="Remote"/>). Kernel: <c>IFLA_VXLAN_GROUP</c>/<c>GROUP6</c>.</summary>
    public IPAddress? Group { get; init; }

    /// <summary>The underlay device, or <see langword="null"/>. Kernel: <c>IFLA_VXLAN_LINK</c>.</summary>
    public LinkReference? Underlay { get; init; }

    /// <summary>Whether to learn remote MACs (default <see langword="true"/>, like iproute2). Kernel: <c>IFLA_VXLAN_LEARNING</c>.</summary>
    public bool Learning { get; init; } = true;

    /// <summary>The outer TTL (1–255), or <see langword="null"/> for the default. Kernel: <c>IFLA_VXLAN_TTL</c>.</summary>
    public byte? Ttl { get; init; }

    internal override LinkReference? LowerLink => Underlay;

    internal override bool HasInfoData => true;

    internal override void Validate()
    {
        base.Validate();
        if (Id > MaxId)
        {
            throw new ArgumentOutOfRangeException(nameof(Id), Id, $"A VXLAN network identifier has 24 bits: at most {MaxId}.");
        }

        if (Port == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "The VXLAN destination port must not be 0.");
        }

        if (Remote is not null && Group is not null)
        {
            throw new ArgumentException("A VXLAN device has either a unicast remote or a multicast group, not both.", nameof(Group));
        }

        CheckFamily(Local, nameof(Local));
        CheckFamily(Remote, nameof(Remote));
        CheckFamily(Group, nameof(Group));
        if (Remote is not null && LinkMessages.IsMulticast(Remote))
        {
            throw new ArgumentException($"The VXLAN remote {Remote} is a multicast address: use Group.", nameof(Remote));
        }

        if (Group is not null && !LinkMessages.IsMulticast(Group))
        {
            throw new ArgumentException($"The VXLAN group {Group} is not a multicast address: use Remote.", nameof(Group));
        }

        IPAddress? peer = Remote ?? Group;
        if (Local is not null && peer is not null && Local.AddressFamily != peer.AddressFamily)
        {
            throw new ArgumentException($"The VXLAN local address {Local} and remote/group {peer} are of different families.", nameof(Local));
        }

        if (Ttl == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Ttl), Ttl, "The VXLAN TTL must be 1–255 (leave it null for the default).");
        }
    }

    internal override void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
        if (lowerIndex > 0)
        {
            writer.WriteUInt32(IFLA_VXLAN_LINK, (uint)lowerIndex);
        }

        writer.WriteUInt32(IFLA_VXLAN_ID, Id);
        if (Local is not null)
        {
            writer.WriteAddress(Local.AddressFamily == AddressFamily.InterNetwork ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, Local);
        }

        IPAddress? peer = Remote ?? Group;
        if (peer is not null)
        {
            writer.WriteAddress(peer.AddressFamily == AddressFamily.InterNetwork ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6, peer);
        }

        if (Ttl is byte ttl)
        {
            writer.WriteUInt8(IFLA_VXLAN_TTL, ttl);
        }

        writer.WriteUInt8(IFLA_VXLAN_LEARNING, Learning ? (byte)1 : (byte)0);
        if (Port is ushort port)
        {
            writer.WriteUInt16BigEndian(IFLA_VXLAN_PORT, port);
        }
    }

    private static void CheckFamily(IPAddress? address, string name)
    {
        if (address is not null && address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{address} is neither IPv4 nor IPv6.", name);
        }
    }
}
