namespace LinuxNet.Route;

/// <summary>What happened to the object of a <see cref="RtnetlinkEvent"/>.</summary>
public enum RtnetlinkEventAction
{
    /// <summary>No action: an <see cref="RtnetlinkEventKind.Overrun"/> event.</summary>
    None = 0,

    /// <summary>
    /// Created — or, for addresses and neighbours, created or updated: the kernel reports both as <c>RTM_NEW*</c>
    /// without telling them apart (an address finishing duplicate-address detection, a neighbour changing state).
    /// </summary>
    New,

    /// <summary>
    /// An existing object changed, where the kernel says so: a link whose <c>ifi_change</c> is not all-ones (flags,
    /// MTU, carrier…), or a route replaced (<c>NLM_F_REPLACE</c>).
    /// </summary>
    Changed,

    /// <summary>Deleted (<c>RTM_DEL*</c>).</summary>
    Deleted,
}
