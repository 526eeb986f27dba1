namespace LinuxNet.Route;

/// <summary>What a <see cref="RtnetlinkEvent"/> is about.</summary>
public enum RtnetlinkEventKind
{
    /// <summary>
    /// The kernel dropped events because the monitor's receive buffer overflowed (<c>ENOBUFS</c>): re-read the state
    /// you track. Events still queued were discarded with it; every change after this event is delivered.
    /// </summary>
    Overrun = 0,

    /// <summary>A link (<c>RTM_NEWLINK</c>/<c>RTM_DELLINK</c>); see <see cref="RtnetlinkEvent.ToLink"/>.</summary>
    Link,

    /// <summary>An address (<c>RTM_NEWADDR</c>/<c>RTM_DELADDR</c>); see <see cref="RtnetlinkEvent.GetAddress"/>.</summary>
    Address,

    /// <summary>A route (<c>RTM_NEWROUTE</c>/<c>RTM_DELROUTE</c>); see <see cref="RtnetlinkEvent.GetRouteDestination"/>.</summary>
    Route,

    /// <summary>A neighbour entry (<c>RTM_NEWNEIGH</c>/<c>RTM_DELNEIGH</c>); see <see cref="RtnetlinkEvent.ToNeighbour"/>.</summary>
    Neighbour,

    /// <summary>A policy rule (<c>RTM_NEWRULE</c>/<c>RTM_DELRULE</c>); see <see cref="RtnetlinkEvent.ToRule"/>.</summary>
    Rule,

    /// <summary>A nexthop object (<c>RTM_NEWNEXTHOP</c>/<c>RTM_DELNEXTHOP</c>); see <see cref="RtnetlinkEvent.ToNexthop"/>.</summary>
    Nexthop,

    /// <summary>An NSID (<c>RTM_NEWNSID</c>/<c>RTM_DELNSID</c>); see <see cref="RtnetlinkEvent.GetNamespaceId"/>.</summary>
    NamespaceId,
}
