using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>A route as the kernel reports it: one line of <c>ip route show</c>, or the answer of <c>ip route get</c>.</summary>
public sealed class RouteInfo
{
    internal RouteInfo(IPPrefix destination) => Destination = destination;

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily Family => Destination.AddressFamily;

    /// <summary>The destination network (<c>dst</c>; <c>default</c> is the zero-length prefix).</summary>
    public IPPrefix Destination { get; }

    /// <summary>The source prefix of a source-specific (IPv6) route, or <see langword="null"/>. Kernel: RTA_SRC.</summary>
    public IPPrefix? Source { get; internal set; }

    /// <summary>The type of service / traffic class matched (<c>tos</c>).</summary>
    public byte Tos { get; internal set; }

    /// <summary>The table (<c>table</c>). Kernel: RTA_TABLE, or <c>rtm_table</c>.</summary>
    public uint Table { get; internal set; }

    /// <summary>The protocol (<c>protocol</c>).</summary>
    public RouteProtocol Protocol { get; internal set; }

    /// <summary>The scope (<c>scope</c>).</summary>
    public RouteScope Scope { get; internal set; }

    /// <summary>The type (<c>type</c>).</summary>
    public RouteType Type { get; internal set; }

    /// <summary>The single path's flags (<c>onlink</c>, <c>linkdown</c>, <c>dead</c>…), from <c>rtm_flags</c>.</summary>
    public RouteNextHopFlags Flags { get; internal set; }

    /// <summary>The gateway (<c>gateway</c>) of a single-path route, or <see langword="null"/>. Kernel: RTA_GATEWAY.</summary>
    public IPAddress? Gateway { get; internal set; }

    /// <summary>The output link's index (<c>dev</c>), or 0. Kernel: RTA_OIF.</summary>
    public int LinkIndex { get; internal set; }

    /// <summary>The input link's index of a <c>route get … iif</c> answer, or 0. Kernel: RTA_IIF.</summary>
    public int InputLinkIndex { get; internal set; }

    /// <summary>The metric (<c>metric</c>), or <see langword="null"/>. Kernel: RTA_PRIORITY.</summary>
    public uint? Metric { get; internal set; }

    /// <summary>The preferred source address (<c>prefsrc</c>), or <see langword="null"/>. Kernel: RTA_PREFSRC.</summary>
    public IPAddress? PreferredSource { get; internal set; }

    /// <summary>The route's metrics (<c>metrics</c>), or <see langword="null"/> when it has none. Kernel: RTA_METRICS.</summary>
    public RouteMetrics? Metrics { get; internal set; }

    /// <summary>The paths of a multipath route (<c>nexthops</c>), IPv4 and IPv6 alike; empty for a single-path route. Kernel: RTA_MULTIPATH.</summary>
    public IReadOnlyList<RouteNextHopInfo> NextHops { get; internal set; } = Array.Empty<RouteNextHopInfo>();

    /// <summary>The time until the route expires (<c>expires</c>), or <see langword="null"/>. Kernel: RTA_CACHEINFO (<c>rta_expires</c>).</summary>
    public TimeSpan? Expires { get; internal set; }

    /// <summary>The IPv6 router preference (<c>pref</c>), or <see langword="null"/>. Kernel: RTA_PREF.</summary>
    public byte? Preference { get; internal set; }

    /// <summary>
    /// <see langword="true"/> for a route the kernel resolved for one destination rather than a routing table entry:
    /// an IPv4 answer of <see cref="RouteManager.Get(RouteLookup)"/> (which <c>ip route get</c> marks with
    /// <c>cache</c>), or an IPv6 cached exception (a learnt path MTU or redirect). Kernel: <c>RTM_F_CLONED</c>.
    /// </summary>
    public bool IsCloned { get; internal set; }

    /// <summary>For a cloned IPv4 answer, what the lookup found out (local, broadcast, …). Kernel: <c>RTCF_*</c> in <c>rtm_flags</c>.</summary>
    public RouteCacheFlags CacheFlags { get; internal set; }

    /// <summary>The firewall mark the lookup was made with (<c>mark</c>), or <see langword="null"/>. Kernel: RTA_MARK.</summary>
    public uint? Mark { get; internal set; }

    /// <summary>The user id the lookup was made for (<c>uid</c>), or <see langword="null"/>. Kernel: RTA_UID.</summary>
    public uint? UserId { get; internal set; }

    /// <inheritdoc/>
    public override string ToString()
        => $"{(Type == RouteType.Unicast ? "" : Type.ToString() + " ")}{Destination}{(Gateway is null ? "" : " via " + Gateway)}{(LinkIndex == 0 ? "" : " dev #" + LinkIndex)} table {Table}";
}
