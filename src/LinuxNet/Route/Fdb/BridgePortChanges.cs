namespace LinuxNet.Route;

/// <summary>
/// Settings of a bridge port to change in one request: <c>bridge link set dev PORT [cost N] [priority N] [state S]
/// [learning on|off] [flood on|off] [hairpin on|off] [guard on|off] [root_block on|off] [fastleave on|off]
/// [mcast_flood on|off] [bcast_flood on|off] [isolated on|off]</c>. What is left <see langword="null"/> stays as it is.
/// </summary>
public sealed class BridgePortChanges
{
    /// <summary>The path cost (<c>cost</c>), at least 1.</summary>
    public uint? Cost { get; set; }

    /// <summary>The port priority (<c>priority</c>), 0–63.</summary>
    public ushort? Priority { get; set; }

    /// <summary>
    /// The spanning tree state (<c>state</c>). On a bridge without STP the kernel re-selects every port that is not
    /// <see cref="BridgePortState.Disabled"/> as forwarding right away, so only Disabled (and Forwarding) stick there.
    /// </summary>
    public BridgePortState? State { get; set; }

    /// <summary>MAC learning (<c>learning</c>).</summary>
    public bool? Learning { get; set; }

    /// <summary>Flooding of unknown unicast (<c>flood</c>).</summary>
    public bool? UnicastFlood { get; set; }

    /// <summary>Hairpin mode (<c>hairpin</c>).</summary>
    public bool? Hairpin { get; set; }

    /// <summary>BPDU guard (<c>guard</c>).</summary>
    public bool? Guard { get; set; }

    /// <summary>Root port protection (<c>root_block</c>).</summary>
    public bool? RootBlock { get; set; }

    /// <summary>Multicast fast leave (<c>fastleave</c>).</summary>
    public bool? FastLeave { get; set; }

    /// <summary>Flooding of unknown multicast (<c>mcast_flood</c>).</summary>
    public bool? MulticastFlood { get; set; }

    /// <summary>Flooding of broadcast (<c>bcast_flood</c>).</summary>
    public bool? BroadcastFlood { get; set; }

    /// <summary>Isolation (<c>isolated</c>).</summary>
    public bool? Isolated { get; set; }

    internal bool IsEmpty => Cost is null && Priority is null && State is null && Learning is null && UnicastFlood is null && Hairpin is null
        && Guard is null && RootBlock is null && FastLeave is null && MulticastFlood is null && BroadcastFlood is null && Isolated is null;
}
