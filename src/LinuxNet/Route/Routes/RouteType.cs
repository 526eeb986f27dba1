namespace LinuxNet.Route;

/// <summary>What a route does with matching packets (the type word of <c>ip route add TYPE PREFIX</c>).</summary>
/// <remarks>Kernel: <c>RTN_*</c> in <c>rtm_type</c>.</remarks>
public enum RouteType : byte
{
    /// <summary>Not specified; only meaningful when deleting (matches any type). Kernel: RTN_UNSPEC.</summary>
    Unspecified = 0,

    /// <summary>A real route to a destination via a gateway or a device (<c>unicast</c>, the default). Kernel: RTN_UNICAST.</summary>
    Unicast = 1,

    /// <summary>The destination is this host (<c>local</c>); goes to the local table by default. Kernel: RTN_LOCAL.</summary>
    Local = 2,

    /// <summary>A broadcast address, sent as a link broadcast (<c>broadcast</c>). Kernel: RTN_BROADCAST.</summary>
    Broadcast = 3,

    /// <summary>A local anycast address (<c>anycast</c>). Kernel: RTN_ANYCAST.</summary>
    Anycast = 4,

    /// <summary>A multicast route (<c>multicast</c>). Kernel: RTN_MULTICAST.</summary>
    Multicast = 5,

    /// <summary>Packets are dropped silently (<c>blackhole</c>). Kernel: RTN_BLACKHOLE.</summary>
    Blackhole = 6,

    /// <summary>Packets are dropped with ICMP "host unreachable" (<c>unreachable</c>). Kernel: RTN_UNREACHABLE.</summary>
    Unreachable = 7,

    /// <summary>Packets are dropped with ICMP "communication administratively prohibited" (<c>prohibit</c>). Kernel: RTN_PROHIBIT.</summary>
    Prohibit = 8,

    /// <summary>The lookup continues in the next rule's table (<c>throw</c>). Kernel: RTN_THROW.</summary>
    Throw = 9,

    /// <summary>Network address translation (obsolete). Kernel: RTN_NAT.</summary>
    Nat = 10,
}
