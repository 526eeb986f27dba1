using System;

namespace LinuxNet.Route;

/// <summary>Which changes a <see cref="RtnetlinkMonitor"/> subscribes to (the rtnetlink multicast groups it joins).</summary>
[Flags]
public enum RtnetlinkEventKinds
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Links created, changed (flags, MTU, carrier…) or deleted (<c>RTNLGRP_LINK</c>; <c>ip monitor link</c>).</summary>
    Links = 1,

    /// <summary>IPv4 and IPv6 addresses (<c>RTNLGRP_IPV4_IFADDR</c>, <c>RTNLGRP_IPV6_IFADDR</c>; <c>ip monitor address</c>).</summary>
    Addresses = 2,

    /// <summary>IPv4 and IPv6 routes (<c>RTNLGRP_IPV4_ROUTE</c>, <c>RTNLGRP_IPV6_ROUTE</c>; <c>ip monitor route</c>).</summary>
    Routes = 4,

    /// <summary>Neighbour (ARP/NDP) entries (<c>RTNLGRP_NEIGH</c>; <c>ip monitor neigh</c>).</summary>
    Neighbours = 8,

    /// <summary>IPv4 and IPv6 policy rules (<c>RTNLGRP_IPV4_RULE</c>, <c>RTNLGRP_IPV6_RULE</c>; <c>ip monitor rule</c>).</summary>
    Rules = 16,

    /// <summary>Everything above (<c>ip monitor all</c> without the rarer groups).</summary>
    /// <remarks><see cref="Nexthops"/> and <see cref="NamespaceIds"/> are not part of it: name them to receive them.</remarks>
    All = Links | Addresses | Routes | Neighbours | Rules,

    /// <summary>Nexthop objects and groups added, replaced or deleted (<c>RTNLGRP_NEXTHOP</c>; <c>ip monitor nexthop</c>).</summary>
    Nexthops = 32,

    /// <summary>NSIDs assigned to, or removed with, other namespaces (<c>RTNLGRP_NSID</c>; <c>ip monitor nsid</c>).</summary>
    NamespaceIds = 64,
}
