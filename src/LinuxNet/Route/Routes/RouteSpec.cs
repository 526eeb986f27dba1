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
    private static readonly List<RouteNextHop> NoNextHops = new(0); // read-only by convention: only NextHops creates a list to add to
    private IPPrefix _destination;
    private List<uint>? _mplsOutgoingLabels;
    private List<RouteNextHop>? _nextHops;

    /// <summary>Describes a route to <paramref name="destination"/>.</summary>
    /// <param name="destination">The destination network (<c>PREFIX</c>); host bits must be clear (use <see cref="IPPrefix.Network"/>).</param>
    /// <exception cref="ArgumentException">The destination has host bits set.</exception>
    public RouteSpec(IPPrefix destination)
    {
        CheckDestination(destination, nameof(destination));
        _destination = destination;
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

    private RouteSpec(uint label)
    {
        _destination = new IPPrefix(IPAddress.Any, 0);
        MplsLabel = label;
    }

    /// <summary>
    /// An MPLS route for incoming <paramref name="label"/>: <c>ip -f mpls route add LABEL [as LABEL/LABEL…] via inet|inet6 ADDRESS dev LINK</c>.
    /// Complete it with <see cref="MplsOutgoingLabels"/>, <see cref="Via"/> and <see cref="Link"/>.
    /// </summary>
    /// <param name="label">The incoming label, at most 1,048,575 (2^20 − 1).</param>
    /// <returns>A spec of family AF_MPLS (its <see cref="Family"/> is <see cref="AddressFamily.Unknown"/>, which .NET has no name for).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> does not fit in 20 bits.</exception>
    /// <remarks>MPLS routing needs <c>CONFIG_MPLS_ROUTING</c>; without it the kernel refuses with <c>EOPNOTSUPP</c>, reported as not supported by this kernel.</remarks>
    public static RouteSpec ForMplsLabel(uint label)
        => label <= LinuxLwtunnel.MPLS_LABEL_MAX
            ? new RouteSpec(label)
            : throw new ArgumentOutOfRangeException(nameof(label), label, $"An MPLS label fits in 20 bits (at most {LinuxLwtunnel.MPLS_LABEL_MAX}).");

    /// <summary>The incoming label of an MPLS route (<see cref="ForMplsLabel"/>), or <see langword="null"/> for an IP route. Kernel: RTA_DST of an AF_MPLS route.</summary>
    public uint? MplsLabel { get; }

    /// <summary>The labels an MPLS route swaps the incoming one for (<c>as 200/300</c>), outermost first; empty to pop it. Kernel: RTA_NEWDST.</summary>
    public IList<uint> MplsOutgoingLabels => _mplsOutgoingLabels ??= new List<uint>();

    /// <summary><see cref="MplsOutgoingLabels"/> without creating it: <see langword="null"/> or empty for none.</summary>
    internal List<uint>? MplsOutgoingLabelList => _mplsOutgoingLabels;

    /// <summary>
    /// A gateway of another family than the route's (<c>via inet6 ADDRESS</c> on an IPv4 route, RFC 5549), or the next
    /// hop of an MPLS route (<c>via inet|inet6 ADDRESS</c>). A gateway of the route's own family goes in <see cref="Gateway"/>.
    /// Kernel: RTA_VIA (<c>struct rtvia</c>).
    /// </summary>
    public IPAddress? Via { get; set; }

    /// <summary>A lightweight-tunnel encapsulation (<c>encap seg6 …</c>, <c>encap mpls …</c>), or <see langword="null"/>. Kernel: RTA_ENCAP_TYPE and RTA_ENCAP.</summary>
    public RouteEncapsulation? Encapsulation { get; set; }

    /// <summary>
    /// Lets an IPv6 route expire after this time (<c>expires SECONDS</c>), in whole seconds (a fraction is dropped), 1 s to
    /// 2,147,483,647 s; <see langword="null"/> for a route that stays. IPv6 only: the kernel ignores it on IPv4 routes.
    /// Read back as the remaining time in <see cref="RouteInfo.Expires"/>. Kernel: RTA_EXPIRES.
    /// </summary>
    public TimeSpan? Expires { get; set; }

    /// <summary>
    /// The destination network. Kernel: RTA_DST and <c>rtm_dst_len</c>. Settable, so that one spec can be reused for many
    /// routes that differ only in their destination (a request is encoded when it is sent or batched, from the spec as it
    /// is then).
    /// </summary>
    /// <exception cref="ArgumentException">Set to a prefix with host bits.</exception>
    /// <exception cref="InvalidOperationException">Set on an MPLS route (<see cref="ForMplsLabel"/>), which has no IP destination.</exception>
    public IPPrefix Destination
    {
        get => _destination;
        set
        {
            if (MplsLabel is not null)
            {
                throw new InvalidOperationException("An MPLS route (RouteSpec.ForMplsLabel) is keyed by its label and has no IP destination.");
            }

            CheckDestination(value, nameof(value));
            _destination = value;
        }
    }

    /// <summary>The route's family, that of <see cref="Destination"/>; <see cref="AddressFamily.Unknown"/> for an MPLS route (<see cref="MplsLabel"/>).</summary>
    public AddressFamily Family => MplsLabel is null ? Destination.AddressFamily : AddressFamily.Unknown;

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
    public IList<RouteNextHop> NextHops => _nextHops ??= new List<RouteNextHop>();

    /// <summary>
    /// <see cref="NextHops"/> as the list it is, for reading: the encoder counts and walks it without interface calls, and
    /// a single-path spec never creates one.
    /// </summary>
    internal List<RouteNextHop> NextHopList => _nextHops ?? NoNextHops;

    /// <summary>
    /// The nexthop object the route uses (<c>nhid ID</c>, see <see cref="NexthopManager"/>), instead of a gateway, link
    /// or next hops; <see langword="null"/> for none. Kernel: RTA_NH_ID.
    /// </summary>
    public uint? NexthopId { get; set; }

    /// <inheritdoc/>
    public override string ToString() => MplsLabel is { } label
        ? $"mpls {label}{(_mplsOutgoingLabels is not { Count: > 0 } labels ? "" : " as " + string.Join("/", labels))}{(Via is null ? "" : " via " + Via)}{(Link is { } mplsLink ? " dev " + mplsLink : "")}"
        : $"{Type?.ToString() ?? "Unicast"} {Destination}{(Gateway is null ? "" : " via " + Gateway)}{(Link is { } link ? " dev " + link : "")}";

    private static void CheckDestination(IPPrefix destination, string parameterName)
    {
        if (destination.HasHostBits)
        {
            throw new ArgumentException($"The route destination {destination} has host bits set; use {destination.Network}.", parameterName);
        }
    }
}
