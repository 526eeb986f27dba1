using System.Globalization;
using System.Net;

namespace LinuxNet.Route;

/// <summary>One path of a multipath route as the kernel reports it (<see cref="RouteInfo.NextHops"/>).</summary>
/// <remarks>Kernel: <c>struct rtnexthop</c> in <c>RTA_MULTIPATH</c>; the weight is <c>rtnh_hops</c> + 1.</remarks>
public sealed class RouteNextHopInfo
{
    internal RouteNextHopInfo(int linkIndex, int weight, RouteNextHopFlags flags)
    {
        LinkIndex = linkIndex;
        Weight = weight;
        Flags = flags;
    }

    /// <summary>The gateway (<c>via</c>); <see langword="null"/> for a device-only path.</summary>
    public IPAddress? Gateway { get; internal set; }

    /// <summary>A gateway of another family than the route's (<c>via inet6 …</c> on an IPv4 route), or <see langword="null"/>. Kernel: RTA_VIA.</summary>
    public IPAddress? Via { get; internal set; }

    /// <summary>This path's encapsulation (<c>encap seg6 …</c>, <c>encap mpls …</c>), or <see langword="null"/>. Kernel: RTA_ENCAP.</summary>
    public RouteEncapsulation? Encapsulation { get; internal set; }

    /// <summary>The output link's index (<c>dev</c>).</summary>
    public int LinkIndex { get; }

    /// <summary>The relative weight, 1–256 (<c>weight</c>).</summary>
    public int Weight { get; }

    /// <summary>The path's flags, e.g. <see cref="RouteNextHopFlags.OnLink"/>, <see cref="RouteNextHopFlags.Dead"/>, <see cref="RouteNextHopFlags.LinkDown"/>.</summary>
    public RouteNextHopFlags Flags { get; }

    /// <inheritdoc/>
    public override string ToString() => $"nexthop via {Gateway?.ToString() ?? "-"} dev #{LinkIndex.ToString(CultureInfo.InvariantCulture)} weight {Weight.ToString(CultureInfo.InvariantCulture)}";
}
