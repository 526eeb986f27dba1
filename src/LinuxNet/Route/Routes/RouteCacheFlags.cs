using System;

namespace LinuxNet.Route;

/// <summary>
/// What the kernel found out while resolving an IPv4 route for one destination: the flags <c>ip route get</c> prints
/// after <c>cache</c> (<c>&lt;local,brd&gt;</c>). Only set on <see cref="RouteInfo.IsCloned"/> answers.
/// </summary>
/// <remarks>Kernel: the <c>RTCF_*</c> bits of <c>rtm_flags</c>, <c>/usr/include/linux/in_route.h</c>.</remarks>
[Flags]
public enum RouteCacheFlags : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>The lookup asked to be notified of changes (<c>notify</c>, <c>RTCF_NOTIFY</c>).</summary>
    Notify = 0x0001_0000,

    /// <summary>The route was learnt from an ICMP redirect (<c>redirected</c>, <c>RTCF_REDIRECTED</c>).</summary>
    Redirected = 0x0004_0000,

    /// <summary>This host would send an ICMP redirect for such a packet (<c>redirect</c>, <c>RTCF_DOREDIRECT</c>).</summary>
    SendsRedirect = 0x0100_0000,

    /// <summary>The source is directly connected (<c>src-direct</c>, <c>RTCF_DIRECTSRC</c>).</summary>
    DirectSource = 0x0400_0000,

    /// <summary>Destination NAT applies (<c>dst-nat</c>, <c>RTCF_DNAT</c>).</summary>
    DestinationNat = 0x0800_0000,

    /// <summary>A broadcast destination (<c>brd</c>, <c>RTCF_BROADCAST</c>).</summary>
    Broadcast = 0x1000_0000,

    /// <summary>A multicast destination (<c>mc</c>, <c>RTCF_MULTICAST</c>).</summary>
    Multicast = 0x2000_0000,

    /// <summary>Delivered to this host (<c>local</c>, <c>RTCF_LOCAL</c>).</summary>
    Local = 0x8000_0000,
}
