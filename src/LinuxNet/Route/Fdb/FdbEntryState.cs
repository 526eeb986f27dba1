namespace LinuxNet.Route;

/// <summary>What kind of forwarding database entry to add (<c>bridge fdb add … permanent|static|dynamic</c>).</summary>
public enum FdbEntryState
{
    /// <summary>
    /// <c>permanent</c>, the default: on a bridge, a local address the bridge itself receives for; never ages.
    /// Kernel: <c>NUD_PERMANENT|NUD_NOARP</c>, as <c>bridge fdb add</c> sends it.
    /// </summary>
    Permanent,

    /// <summary><c>static</c>: forwarded to the port, never ages. Kernel: <c>NUD_NOARP|NUD_REACHABLE</c>.</summary>
    Static,

    /// <summary><c>dynamic</c>: forwarded to the port and ages out like a learnt entry. Kernel: <c>NUD_REACHABLE</c>.</summary>
    Dynamic,
}
