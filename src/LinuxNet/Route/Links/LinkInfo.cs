using System.Net.NetworkInformation;

namespace LinuxNet.Route;

/// <summary>A network link (interface) as the kernel reported it — what one entry of <c>ip -d -s link show</c> shows.</summary>
/// <remarks>
/// A snapshot read by <see cref="LinkManager.List"/> or <see cref="LinkManager.TryGet(LinkReference)"/>; it does not
/// change when the link does. Optional values are <see langword="null"/> when the kernel did not report them.
/// </remarks>
public sealed class LinkInfo
{
    internal LinkInfo(int index, string name)
    {
        Index = index;
        Name = name;
    }

    /// <summary>The interface index (unique in its namespace). Kernel: <c>ifi_index</c>.</summary>
    public int Index { get; }

    /// <summary>The interface name. Kernel: <c>IFLA_IFNAME</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>The kind (<c>veth</c>, <c>bridge</c>, <c>vxlan</c>, …), or <see langword="null"/> for devices without one (loopback, physical NICs). Kernel: <c>IFLA_INFO_KIND</c>.</summary>
    public string? Kind { get; internal set; }

    /// <summary>The device flags. Kernel: <c>ifi_flags</c>.</summary>
    public LinkFlags Flags { get; internal set; }

    /// <summary><see langword="true"/> when administratively up (<see cref="LinkFlags.Up"/>).</summary>
    public bool IsUp => (Flags & LinkFlags.Up) != 0;

    /// <summary>The ARP hardware type (<c>ARPHRD_ETHER</c> = 1, <c>ARPHRD_LOOPBACK</c> = 772, <c>ARPHRD_NONE</c> = 65534, …). Kernel: <c>ifi_type</c>.</summary>
    public ushort HardwareType { get; internal set; }

    /// <summary>The operational state. Kernel: <c>IFLA_OPERSTATE</c>.</summary>
    public OperationalState OperationalState { get; internal set; }

    /// <summary>The link mode (<c>ip link</c>'s <c>mode DEFAULT</c>). Kernel: <c>IFLA_LINKMODE</c>.</summary>
    public LinkMode Mode { get; internal set; }

    /// <summary>The MTU in bytes. Kernel: <c>IFLA_MTU</c>.</summary>
    public int Mtu { get; internal set; }

    /// <summary>The smallest MTU the device accepts. Kernel: <c>IFLA_MIN_MTU</c>.</summary>
    public int? MinMtu { get; internal set; }

    /// <summary>The largest MTU the device accepts. Kernel: <c>IFLA_MAX_MTU</c>.</summary>
    public int? MaxMtu { get; internal set; }

    /// <summary>The link-layer (MAC) address, or <see langword="null"/> for devices without one (TUN). Kernel: <c>IFLA_ADDRESS</c>.</summary>
    public PhysicalAddress? Address { get; internal set; }

    /// <summary>The link-layer broadcast address, or <see langword="null"/>. Kernel: <c>IFLA_BROADCAST</c>.</summary>
    public PhysicalAddress? BroadcastAddress { get; internal set; }

    /// <summary>The index of the master device (a bridge or bond this link is enslaved to), or <see langword="null"/>. Kernel: <c>IFLA_MASTER</c>.</summary>
    public int? MasterIndex { get; internal set; }

    /// <summary>
    /// The index of the parent link (a macvlan's or vlan's lower device, a veth's peer), or <see langword="null"/>.
    /// When <see cref="LinkNamespaceId"/> is set, the index is in that other namespace. Kernel: <c>IFLA_LINK</c>.
    /// </summary>
    public int? ParentIndex { get; internal set; }

    /// <summary>The id (in this namespace) of the namespace that holds the parent link or peer, or <see langword="null"/> when it is here. Kernel: <c>IFLA_LINK_NETNSID</c>.</summary>
    public int? LinkNamespaceId { get; internal set; }

    /// <summary>
    /// The link's alternative names (<c>ip link property add dev X altname NAME</c>), in the kernel's order; empty when it
    /// has none. Each names the link wherever a <see cref="LinkReference"/> is taken. Kernel: <c>IFLA_ALT_IFNAME</c> in <c>IFLA_PROP_LIST</c>.
    /// </summary>
    public System.Collections.Generic.IReadOnlyList<string> AlternativeNames { get; internal set; } = System.Array.Empty<string>();

    /// <summary>The transmit queue length in packets. Kernel: <c>IFLA_TXQLEN</c>.</summary>
    public int TransmitQueueLength { get; internal set; }

    /// <summary>The alias (<c>ip link set … alias TEXT</c>), or <see langword="null"/>. Kernel: <c>IFLA_IFALIAS</c>.</summary>
    public string? Alias { get; internal set; }

    /// <summary>The device group (0 is the default group). Kernel: <c>IFLA_GROUP</c>.</summary>
    public uint Group { get; internal set; }

    /// <summary>How many times promiscuous mode was requested (&gt; 0 means promiscuous). Kernel: <c>IFLA_PROMISCUITY</c>.</summary>
    public int Promiscuity { get; internal set; }

    /// <summary>The queueing discipline's name (<c>noqueue</c>, <c>noop</c>, …), or <see langword="null"/>. Kernel: <c>IFLA_QDISC</c>.</summary>
    public string? QueueingDiscipline { get; internal set; }

    /// <summary>Whether the device has carrier, or <see langword="null"/>. Kernel: <c>IFLA_CARRIER</c>.</summary>
    public bool? Carrier { get; internal set; }

    /// <summary>The 64-bit traffic counters, or <see langword="null"/> when the kernel did not send them. Kernel: <c>IFLA_STATS64</c>.</summary>
    public LinkStatistics? Statistics { get; internal set; }

    /// <summary>Kind-specific details (veth peer, bridge, macvlan, vxlan, vlan, ipvlan, bond settings), or <see langword="null"/> for other kinds.</summary>
    public LinkKindInfo? KindInfo { get; internal set; }

    /// <summary>The kind of the master's port data (<c>bridge</c> for a bridge port), or <see langword="null"/>. Kernel: <c>IFLA_INFO_SLAVE_KIND</c>.</summary>
    public string? PortKind { get; internal set; }

    /// <summary>Returns <c>INDEX: NAME</c>, as the first words of <c>ip link show</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Index}: {Name}";
}
