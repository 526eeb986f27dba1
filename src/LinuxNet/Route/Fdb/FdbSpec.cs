using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>
/// A forwarding database entry to add, replace or delete: <c>bridge fdb add|append|replace|del MAC dev LINK [dst ADDRESS]
/// [vni VNI] [port PORT] [via LINK] [src_vni VNI] [self] [master] [permanent|static|dynamic] [vlan VID]
/// [extern_learn] [sticky]</c>.
/// </summary>
/// <remarks>
/// An entry on a bridge port goes into the bridge's table (<see cref="FdbFlags.Master"/>); an entry on a vxlan device
/// goes into the device's own table (<see cref="FdbFlags.Self"/>, the default) and says where to send frames for the
/// address: <see cref="Destination"/>, <see cref="Vni"/>, <see cref="Port"/>, <see cref="Via"/>.
/// </remarks>
public sealed class FdbSpec
{
    /// <summary>Describes the entry for <paramref name="address"/> on <paramref name="link"/>.</summary>
    /// <param name="address">The MAC address (6 bytes; <c>00:00:00:00:00:00</c> is a vxlan device's default destination).</param>
    /// <param name="link">The port or vxlan device (<c>dev</c>) by name or index.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not 6 bytes, or <paramref name="link"/> is not a valid interface name or index.</exception>
    public FdbSpec(PhysicalAddress address, LinkReference link)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        if (address.GetAddressBytes().Length != 6)
        {
            throw new ArgumentException($"A forwarding database entry is for a 6-byte MAC address, not {address.GetAddressBytes().Length} bytes.", nameof(address));
        }

        link.Validate(nameof(link));
        Address = address;
        Link = link;
    }

    /// <summary>The MAC address. Kernel: NDA_LLADDR.</summary>
    public PhysicalAddress Address { get; }

    /// <summary>The port or device (<c>dev</c>). Kernel: <c>ndm_ifindex</c>.</summary>
    public LinkReference Link { get; }

    /// <summary>Which table and what extra properties: <see cref="FdbFlags.Self"/>, <see cref="FdbFlags.Master"/> (both may be set), <see cref="FdbFlags.ExternallyLearned"/>, <see cref="FdbFlags.Sticky"/>. <see cref="FdbFlags.None"/> means <see cref="FdbFlags.Self"/>, as with <c>bridge fdb</c>.</summary>
    public FdbFlags Flags { get; set; }

    /// <summary>Permanent (the default), static or dynamic. Kernel: <c>ndm_state</c>.</summary>
    public FdbEntryState State { get; set; } = FdbEntryState.Permanent;

    /// <summary>
    /// The VLAN (<c>vlan VID</c>, 1–4094), or <see langword="null"/>. Kernel: NDA_VLAN. A bridge only takes it with VLAN
    /// filtering on, which this machine's kernel is built without (<c>CONFIG_BRIDGE_VLAN_FILTERING</c>): it refuses with <c>EINVAL</c>.
    /// </summary>
    public ushort? Vlan { get; set; }

    /// <summary>The remote VTEP of a vxlan entry (<c>dst</c>), IPv4 or IPv6, or <see langword="null"/>. Kernel: NDA_DST.</summary>
    public IPAddress? Destination { get; set; }

    /// <summary>The VNI to send with (<c>vni</c>, 0–16,777,215), or <see langword="null"/> for the device's. Kernel: NDA_VNI.</summary>
    public uint? Vni { get; set; }

    /// <summary>The UDP destination port (<c>port</c>), or <see langword="null"/> for the device's. Kernel: NDA_PORT (big-endian).</summary>
    public ushort? Port { get; set; }

    /// <summary>The device to reach <see cref="Destination"/> through (<c>via</c>), or <see langword="null"/>. Kernel: NDA_IFINDEX.</summary>
    public LinkReference? Via { get; set; }

    /// <summary>The source VNI of a collect-metadata vxlan device (<c>src_vni</c>, 0–16,777,215), or <see langword="null"/>. Kernel: NDA_SRC_VNI.</summary>
    public uint? SourceVni { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> for a value the kernel would refuse.</summary>
    internal void Validate()
    {
        const FdbFlags settable = FdbFlags.Self | FdbFlags.Master | FdbFlags.ExternallyLearned | FdbFlags.Sticky;
        if ((Flags & ~settable) != 0)
        {
            throw new ArgumentException($"Only Self, Master, ExternallyLearned and Sticky can be set, not {Flags & ~settable}.", nameof(Flags));
        }

        if (State is < FdbEntryState.Permanent or > FdbEntryState.Dynamic)
        {
            throw new ArgumentException($"'{State}' is not an FDB entry state (Permanent, Static, Dynamic).", nameof(State));
        }

        if (Vlan is 0 or > 4094)
        {
            throw new ArgumentException($"A VLAN id is 1 to 4094, not {Vlan}.", nameof(Vlan));
        }

        if (Destination is { } destination && destination.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"The destination {destination} is not an IPv4 or IPv6 address.", nameof(Destination));
        }

        CheckVni(Vni, nameof(Vni));
        CheckVni(SourceVni, nameof(SourceVni));
        Via?.Validate(nameof(Via));
    }

    private static void CheckVni(uint? vni, string name)
    {
        if (vni > 0xFF_FFFF)
        {
            throw new ArgumentException($"A VNI is 24 bits (0 to 16,777,215), not {vni}.", name);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{NeighbourMessage.FormatMac(Address)} dev {Link}{(Destination is null ? "" : " dst " + Destination)}";
}
