using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>
/// A route to add, replace or delete: the arguments of <c>ip route add [TYPE] PREFIX [via GATEWAY] [dev LINK]
/// [metric N] [table T] [scope S] [proto P] [src ADDRESS] [METRICS] [onlink] [nexthop …]</c>.
/// </summary>
/// <remarks>
/// Checked before anything is sent (<see cref="ArgumentException"/>): the destination must have no host bits, the
/// gateways and source must be of its family, weights are 1–256, table 0 is not a table, a unicast route needs a
/// gateway, a device or next hops, and blackhole-like types take none of them.
/// Defaults follow iproute2: table main (local for <see cref="RouteType.Local"/>), protocol boot, type unicast, and a
/// scope derived from the type (link for an IPv4 unicast route without gateway, host for local routes).
/// </remarks>
public sealed class RouteSpec
{
    /// <summary>Describes a route to <paramref name="destination"/>.</summary>
    /// <param name="destination">The destination network (<c>PREFIX</c>); host bits must be clear (use <see cref="IPPrefix.Network"/>).</param>
    /// <exception cref="ArgumentException">The destination has host bits set.</exception>
    public RouteSpec(IPPrefix destination)
    {
        if (destination.HasHostBits)
        {
            throw new ArgumentException($"The route destination {destination} has host bits set; use {destination.Network}.", nameof(destination));
        }

        Destination = destination;
    }

    /// <summary>A default route (<c>default</c>, <c>0.0.0.0/0</c> or <c>::/0</c>).</summary>
    /// <param name="family">IPv4 or IPv6.</param>
    /// <returns>A spec to complete with a gateway or device.</returns>
    /// <exception cref="ArgumentException">The family is neither IPv4 nor IPv6.</exception>
    public static RouteSpec Default(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => new RouteSpec(new IPPrefix(IPAddress.Any, 0)),
        AddressFamily.InterNetworkV6 => new RouteSpec(new IPPrefix(IPAddress.IPv6Any, 0)),
        _ => throw new ArgumentException($"Routes are IPv4 or IPv6, not {family}.", nameof(family)),
    };

    /// <summary>The destination network. Kernel: RTA_DST and <c>rtm_dst_len</c>.</summary>
    public IPPrefix Destination { get; }

    /// <summary>The route's family, that of <see cref="Destination"/>.</summary>
    public AddressFamily Family => Destination.AddressFamily;

    /// <summary>The gateway (<c>via</c>). Kernel: RTA_GATEWAY.</summary>
    public IPAddress? Gateway { get; set; }

    /// <summary>The output link (<c>dev</c>) by name or index, a name resolved when the request is sent; <see langword="null"/> for none. Kernel: RTA_OIF.</summary>
    public LinkReference? Link { get; set; }

    /// <summary>The metric (<c>metric</c>/<c>priority</c>). Kernel: RTA_PRIORITY.</summary>
    public uint? Metric { get; set; }

    /// <summary>The table (<c>table</c>), 1 to 4,294,967,295; <see langword="null"/> for main (local for local routes). See <see cref="RouteTables"/>.</summary>
    /// <remarks>Kernel: <c>rtm_table</c> up to 255, otherwise RTA_TABLE.</remarks>
    public uint? Table { get; set; }

    /// <summary>The scope (<c>scope</c>); <see langword="null"/> for iproute2's default.</summary>
    public RouteScope? Scope { get; set; }

    /// <summary>The protocol (<c>proto</c>); <see langword="null"/> for boot when adding, any when deleting.</summary>
    public RouteProtocol? Protocol { get; set; }

    /// <summary>The type (<c>unicast</c>, <c>local</c>, <c>blackhole</c>, …); <see langword="null"/> for unicast when adding, any when deleting.</summary>
    public RouteType? Type { get; set; }

    /// <summary>The preferred source address (<c>src</c>), of the route's family. Kernel: RTA_PREFSRC.</summary>
    public IPAddress? PreferredSource { get; set; }

    /// <summary>Metrics such as MTU and initial congestion window; <see langword="null"/> for none. Kernel: RTA_METRICS.</summary>
    public RouteMetrics? Metrics { get; set; }

    /// <summary>Treat the gateway as directly on the link (<c>onlink</c>); needs a link. Kernel: RTNH_F_ONLINK.</summary>
    public bool OnLink { get; set; }

    /// <summary>The paths of a multipath route (<c>nexthop …</c>); empty for a single-path route. Kernel: RTA_MULTIPATH.</summary>
    public IList<RouteNextHop> NextHops { get; } = new List<RouteNextHop>();

    /// <inheritdoc/>
    public override string ToString() => $"{Type?.ToString() ?? "Unicast"} {Destination}{(Gateway is null ? "" : " via " + Gateway)}{(Link is { } link ? " dev " + link : "")}";
}
