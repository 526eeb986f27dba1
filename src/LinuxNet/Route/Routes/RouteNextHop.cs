using System.Net;

namespace LinuxNet.Route;

/// <summary>One path of a multipath route (<c>nexthop via GATEWAY dev LINK weight N [onlink]</c>), as requested or as reported.</summary>
/// <remarks>Kernel: <c>struct rtnexthop</c> in <c>RTA_MULTIPATH</c>; the weight travels as <c>rtnh_hops</c> = weight − 1.</remarks>
public sealed class RouteNextHop
{
    /// <summary>The gateway (<c>via</c>), of the route's family; <see langword="null"/> for a device-only path.</summary>
    public IPAddress? Gateway { get; set; }

    /// <summary>The output link's name (<c>dev</c>) when requesting; <see langword="null"/> in what the kernel reports (see <see cref="LinkIndex"/>).</summary>
    public string? LinkName { get; set; }

    /// <summary>The output link's index; 0 when not set. Used when <see cref="LinkName"/> is <see langword="null"/>.</summary>
    public int LinkIndex { get; set; }

    /// <summary>The relative weight, 1–256 (<c>weight</c>). Default 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>Flags: request <see cref="RouteNextHopFlags.OnLink"/>; the kernel also reports dead and link-down paths.</summary>
    public RouteNextHopFlags Flags { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"nexthop via {Gateway?.ToString() ?? "-"} dev {LinkName ?? "#" + LinkIndex} weight {Weight}";
}
