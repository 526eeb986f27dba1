using System.Globalization;

namespace LinuxNet.Route;

/// <summary>
/// One bridge port as <c>bridge [-d] link show</c> lists it: the link, its bridge, its spanning tree state, priority and
/// cost, and its per-port switches (learning, flooding, hairpin…).
/// </summary>
/// <remarks>Kernel: an <c>AF_BRIDGE</c> <c>RTM_NEWLINK</c> with the port's settings in <c>IFLA_PROTINFO</c> (<c>IFLA_BRPORT_*</c>). A switch the kernel did not report reads <see langword="null"/>.</remarks>
public sealed class BridgePortInfo
{
    internal BridgePortInfo(int index, string name)
    {
        Index = index;
        Name = name;
    }

    /// <summary>The port's interface index (<c>ifindex</c>).</summary>
    public int Index { get; }

    /// <summary>The port's name (<c>ifname</c>).</summary>
    public string Name { get; }

    /// <summary>The link flags (<c>flags</c>: <c>UP</c>, <c>LOWER_UP</c>…).</summary>
    public LinkFlags Flags { get; internal set; }

    /// <summary>The MTU (<c>mtu</c>).</summary>
    public uint Mtu { get; internal set; }

    /// <summary>The bridge the port belongs to (<c>master</c>), or 0.</summary>
    public int MasterIndex { get; internal set; }

    /// <summary>The index of the port's lower or peer link (<c>link</c>, e.g. a veth's peer), or 0.</summary>
    public int LinkIndex { get; internal set; }

    /// <summary>The spanning tree state (<c>state</c>), or <see langword="null"/>.</summary>
    public BridgePortState? State { get; internal set; }

    /// <summary>The port priority (<c>priority</c>), or <see langword="null"/>.</summary>
    public ushort? Priority { get; internal set; }

    /// <summary>The path cost (<c>cost</c>), or <see langword="null"/>.</summary>
    public uint? Cost { get; internal set; }

    /// <summary>Hairpin mode: frames may go back out of the port they came in (<c>hairpin</c>).</summary>
    public bool? Hairpin { get; internal set; }

    /// <summary>BPDU guard (<c>guard</c>).</summary>
    public bool? Guard { get; internal set; }

    /// <summary>Root port protection (<c>root_block</c>).</summary>
    public bool? RootBlock { get; internal set; }

    /// <summary>Multicast fast leave (<c>fastleave</c>).</summary>
    public bool? FastLeave { get; internal set; }

    /// <summary>MAC learning (<c>learning</c>).</summary>
    public bool? Learning { get; internal set; }

    /// <summary>Flooding of unknown unicast (<c>flood</c>).</summary>
    public bool? UnicastFlood { get; internal set; }

    /// <summary>Flooding of unknown multicast (<c>mcast_flood</c>).</summary>
    public bool? MulticastFlood { get; internal set; }

    /// <summary>Flooding of broadcast (<c>bcast_flood</c>).</summary>
    public bool? BroadcastFlood { get; internal set; }

    /// <summary>The multicast router mode (<c>mcast_router</c>: 0 off, 1 learn, 2 always), or <see langword="null"/>.</summary>
    public byte? MulticastRouter { get; internal set; }

    /// <summary>Multicast to unicast (<c>mcast_to_unicast</c>).</summary>
    public bool? MulticastToUnicast { get; internal set; }

    /// <summary>ARP/ND suppression (<c>neigh_suppress</c>).</summary>
    public bool? NeighbourSuppress { get; internal set; }

    /// <summary>VLAN tunnel mapping (<c>vlan_tunnel</c>).</summary>
    public bool? VlanTunnel { get; internal set; }

    /// <summary>Isolated: talks only to non-isolated ports (<c>isolated</c>).</summary>
    public bool? Isolated { get; internal set; }

    /// <summary>Locked: only authenticated hosts' frames pass (<c>locked</c>).</summary>
    public bool? Locked { get; internal set; }

    /// <summary>The state as <c>bridge link</c> names it: <c>disabled</c>, <c>listening</c>, <c>learning</c>, <c>forwarding</c>, <c>blocking</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string StateName(BridgePortState state) => state switch
    {
        BridgePortState.Disabled => "disabled",
        BridgePortState.Listening => "listening",
        BridgePortState.Learning => "learning",
        BridgePortState.Forwarding => "forwarding",
        BridgePortState.Blocking => "blocking",
        _ => ((int)state).ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc/>
    public override string ToString()
        => $"{Index.ToString(CultureInfo.InvariantCulture)}: {Name} master #{MasterIndex.ToString(CultureInfo.InvariantCulture)} state {(State is { } s ? StateName(s) : "-")} priority {Priority?.ToString(CultureInfo.InvariantCulture) ?? "-"} cost {Cost?.ToString(CultureInfo.InvariantCulture) ?? "-"}";
}
