using System;
using System.Collections.Generic;

namespace LinuxNet.Route;

/// <summary>The adapters of the kinds a watch follows, in dependency order (links before what refers to them).</summary>
internal static class WatchAdapters
{
    /// <summary>The kinds a watch can follow.</summary>
    internal const RtnetlinkEventKinds Supported = RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Nexthops | RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes | RtnetlinkEventKinds.Neighbours;

    /// <summary>One adapter per requested kind; additions and changes are yielded in this order, deletions in reverse.</summary>
    internal static WatchAdapter[] Create(RtnetlinkEventKinds kinds, RtnetlinkWatchOptions options)
    {
        var adapters = new List<WatchAdapter>(5);
        if ((kinds & RtnetlinkEventKinds.Links) != 0)
        {
            adapters.Add(new LinkWatchAdapter(kinds));
        }

        // Routes refer to nexthops by id, as addresses and routes refer to links: nexthops come after links, before routes.
        if ((kinds & RtnetlinkEventKinds.Nexthops) != 0)
        {
            adapters.Add(new NexthopWatchAdapter());
        }

        if ((kinds & RtnetlinkEventKinds.Addresses) != 0)
        {
            adapters.Add(new AddressWatchAdapter(kinds));
        }

        if ((kinds & RtnetlinkEventKinds.Routes) != 0)
        {
            adapters.Add(new RouteWatchAdapter(options.RouteTables));
        }

        if ((kinds & RtnetlinkEventKinds.Neighbours) != 0)
        {
            adapters.Add(new NeighbourWatchAdapter());
        }

        return adapters.ToArray();
    }

    /// <summary>Rejects kinds a watch cannot follow, before any socket is opened.</summary>
    internal static void Validate(RtnetlinkEventKinds kinds)
    {
        if (kinds == RtnetlinkEventKinds.None || (kinds & ~Supported) != 0)
        {
            throw new ArgumentException($"'{kinds}' is not a set of kinds a watch can follow (links, nexthops, addresses, routes, neighbours).", nameof(kinds));
        }
    }
}
