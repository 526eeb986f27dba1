using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>A route as the kernel reports it: one line of <c>ip route show</c>, or the answer of <c>ip route get</c>.</summary>
public sealed class RouteInfo
{
    /// <summary>The attributes most routes do not carry, in an object made only for the routes that do: a table of 10,000 plain routes allocates ~30 % less.</summary>
    private RareFields? _rare;

    internal RouteInfo(IPPrefix destination) => Destination = destination;

    private RareFields Rare => _rare ??= new RareFields();

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily Family => Destination.AddressFamily;

    /// <summary>The destination network (<c>dst</c>; <c>default</c> is the zero-length prefix).</summary>
    public IPPrefix Destination { get; }

    /// <summary>The source prefix of a source-specific (IPv6) route, or <see langword="null"/>. Kernel: RTA_SRC.</summary>
    public IPPrefix? Source
    {
        get => _rare?.Source;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Source = value;
            }
        }
    }

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

    /// <summary>A gateway of another family than the route's (<c>via inet6 …</c> on an IPv4 route), or <see langword="null"/>. Kernel: RTA_VIA.</summary>
    public IPAddress? Via
    {
        get => _rare?.Via;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Via = value;
            }
        }
    }

    /// <summary>The route's encapsulation (<c>encap seg6 …</c>, <c>encap mpls …</c>), or <see langword="null"/> for none or a type LinuxNet does not model. Kernel: RTA_ENCAP_TYPE, RTA_ENCAP.</summary>
    public RouteEncapsulation? Encapsulation
    {
        get => _rare?.Encapsulation;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Encapsulation = value;
            }
        }
    }

    /// <summary>The output link's index (<c>dev</c>), or 0. Kernel: RTA_OIF.</summary>
    public int LinkIndex { get; internal set; }

    /// <summary>The input link's index of a <c>route get … iif</c> answer, or 0. Kernel: RTA_IIF.</summary>
    public int InputLinkIndex
    {
        get => _rare?.InputLinkIndex ?? 0;
        internal set
        {
            if (value != 0 || _rare is not null)
            {
                Rare.InputLinkIndex = value;
            }
        }
    }

    /// <summary>The metric (<c>metric</c>), or <see langword="null"/>. Kernel: RTA_PRIORITY.</summary>
    public uint? Metric { get; internal set; }

    /// <summary>The preferred source address (<c>prefsrc</c>), or <see langword="null"/>. Kernel: RTA_PREFSRC.</summary>
    public IPAddress? PreferredSource { get; internal set; }

    /// <summary>The route's metrics (<c>metrics</c>), or <see langword="null"/> when it has none. Kernel: RTA_METRICS.</summary>
    public RouteMetrics? Metrics
    {
        get => _rare?.Metrics;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Metrics = value;
            }
        }
    }

    /// <summary>The paths of a multipath route (<c>nexthops</c>), IPv4 and IPv6 alike; empty for a single-path route. Kernel: RTA_MULTIPATH.</summary>
    public IReadOnlyList<RouteNextHopInfo> NextHops { get; internal set; } = Array.Empty<RouteNextHopInfo>();

    /// <summary>The time until the route expires (<c>expires</c>), or <see langword="null"/>. Kernel: RTA_CACHEINFO (<c>rta_expires</c>).</summary>
    public TimeSpan? Expires
    {
        get => _rare?.Expires;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Expires = value;
            }
        }
    }

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
    public uint? Mark
    {
        get => _rare?.Mark;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Mark = value;
            }
        }
    }

    /// <summary>The user id the lookup was made for (<c>uid</c>), or <see langword="null"/>. Kernel: RTA_UID.</summary>
    public uint? UserId
    {
        get => _rare?.UserId;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.UserId = value;
            }
        }
    }

    /// <summary>
    /// The nexthop object the route uses (<c>nhid</c>), or <see langword="null"/>; the kernel also reports that nexthop's
    /// gateway and link (or a group's paths) in <see cref="Gateway"/>, <see cref="LinkIndex"/> and <see cref="NextHops"/>. Kernel: RTA_NH_ID.
    /// </summary>
    public uint? NexthopId
    {
        get => _rare?.NexthopId;
        internal set
        {
            if (value is not null || _rare is not null)
            {
                Rare.NexthopId = value;
            }
        }
    }

    private sealed class RareFields
    {
        internal IPPrefix? Source;
        internal IPAddress? Via;
        internal RouteEncapsulation? Encapsulation;
        internal int InputLinkIndex;
        internal RouteMetrics? Metrics;
        internal TimeSpan? Expires;
        internal uint? Mark;
        internal uint? UserId;
        internal uint? NexthopId;
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{(Type == RouteType.Unicast ? "" : Type.ToString() + " ")}{Destination}{(Gateway is null ? "" : " via " + Gateway)}{(LinkIndex == 0 ? "" : " dev #" + LinkIndex)} table {Table}";
}
