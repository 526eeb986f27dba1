using System.Net;

namespace LinuxNet.Route;

/// <summary>One path of a multipath route to add or replace (<c>nexthop via GATEWAY dev LINK weight N [onlink]</c>).</summary>
/// <remarks>
/// Kernel: <c>struct rtnexthop</c> in <c>RTA_MULTIPATH</c>; the weight travels as <c>rtnh_hops</c> = weight − 1.
/// What the kernel reports is a <see cref="RouteNextHopInfo"/>.
/// </remarks>
public sealed class RouteNextHop
{
    /// <summary>The gateway (<c>via</c>), of the route's family; <see langword="null"/> for a device-only path.</summary>
    public IPAddress? Gateway { get; set; }

    /// <summary>The output link (<c>dev</c>), by name or index; <see langword="null"/> to let the kernel pick it from the gateway.</summary>
    public LinkReference? Link { get; set; }

    /// <summary>A gateway of another family than the route's (<c>nexthop via inet6 ADDRESS</c> on an IPv4 route). Kernel: RTA_VIA in the entry.</summary>
    public IPAddress? Via { get; set; }

    /// <summary>This path's encapsulation (<c>nexthop … encap seg6|mpls …</c>), or <see langword="null"/>. Kernel: RTA_ENCAP in the entry.</summary>
    public RouteEncapsulation? Encapsulation { get; set; }

    /// <summary>The relative weight, 1–256 (<c>weight</c>). Default 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>Flags: only <see cref="RouteNextHopFlags.OnLink"/> can be requested.</summary>
    public RouteNextHopFlags Flags { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"nexthop via {Gateway?.ToString() ?? "-"} dev {(Link is { } link ? link.ToString() : "-")} weight {Weight}";
}
