using System;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>
/// What <see cref="RouteManager.Get(RouteLookup)"/> asks the kernel: the route for a packet to
/// <see cref="Destination"/>, given where it comes from and what it carries. Equivalent to
/// <c>ip route get [fibmatch] ADDRESS [from ADDRESS iif LINK] [oif LINK] [tos TOS] [mark MARK] [uid UID]
/// [ipproto PROTOCOL] [sport PORT] [dport PORT]</c>.
/// </summary>
/// <remarks>
/// Policy routing rules (<see cref="RuleManager"/>) can select on all of these, so the answer may differ from the
/// plain <see cref="RouteManager.Get(IPAddress)"/>. With <see cref="InputLink"/> the kernel resolves the route as for
/// a packet received on that link (forwarding, reverse-path checks and all); without it, as for a packet this host
/// sends.
/// </remarks>
public sealed class RouteLookup
{
    /// <summary>Creates a lookup for <paramref name="destination"/>.</summary>
    /// <param name="destination">An IPv4 or IPv6 address.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is neither IPv4 nor IPv6.</exception>
    public RouteLookup(IPAddress destination)
    {
        if (destination is null)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        if (destination.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"A route lookup needs an IPv4 or IPv6 destination, not {destination.AddressFamily}.", nameof(destination));
        }

        Destination = destination;
    }

    /// <summary>The destination address (<c>RTA_DST</c>).</summary>
    public IPAddress Destination { get; }

    /// <summary>The packet's source address (<c>from</c>, <c>RTA_SRC</c>), of the destination's family; <see langword="null"/> to let the kernel choose.</summary>
    public IPAddress? Source { get; set; }

    /// <summary>The link the packet arrives on (<c>iif</c>, <c>RTA_IIF</c>): resolve as for a received packet.</summary>
    public LinkReference? InputLink { get; set; }

    /// <summary>The link the packet must leave through (<c>oif</c>, <c>RTA_OIF</c>), as for a socket bound to that device.</summary>
    public LinkReference? OutputLink { get; set; }

    /// <summary>The type-of-service byte (<c>tos</c>, <c>rtm_tos</c>); 0 by default.</summary>
    public byte TypeOfService { get; set; }

    /// <summary>The firewall mark (<c>mark</c>, <c>RTA_MARK</c>) that <c>fwmark</c> rules match.</summary>
    public uint? Mark { get; set; }

    /// <summary>The user id (<c>uid</c>, <c>RTA_UID</c>) that <c>uidrange</c> rules match.</summary>
    public uint? UserId { get; set; }

    /// <summary>The transport protocol (<c>ipproto</c>, <c>RTA_IP_PROTO</c>): TCP, UDP or ICMP (ICMPv6 for IPv6).</summary>
    public ProtocolType? Protocol { get; set; }

    /// <summary>The source port (<c>sport</c>, <c>RTA_SPORT</c>), for rules with <c>sport</c> and multipath hashing.</summary>
    public ushort? SourcePort { get; set; }

    /// <summary>The destination port (<c>dport</c>, <c>RTA_DPORT</c>), for rules with <c>dport</c> and multipath hashing.</summary>
    public ushort? DestinationPort { get; set; }

    /// <summary>
    /// Return the routing table entry that matched (<c>fibmatch</c>, <c>RTM_F_FIB_MATCH</c>): its own prefix, gateway
    /// and next hops, rather than the route resolved for this one destination.
    /// </summary>
    public bool FibMatch { get; set; }

    internal bool IsIPv6 => Destination.AddressFamily == AddressFamily.InterNetworkV6;

    internal void Validate(string parameterName)
    {
        if (Source is not null && Source.AddressFamily != Destination.AddressFamily)
        {
            throw new ArgumentException($"The source {Source} and the destination {Destination} are of different families.", parameterName);
        }

        ValidateLink(InputLink, "input", parameterName);
        ValidateLink(OutputLink, "output", parameterName);
        if (Protocol is { } protocol && protocol is not (ProtocolType.Tcp or ProtocolType.Udp or ProtocolType.Icmp or ProtocolType.IcmpV6))
        {
            throw new ArgumentException($"The kernel looks routes up for TCP, UDP and ICMP(v6) only, not {protocol}.", parameterName);
        }

        if ((SourcePort is not null || DestinationPort is not null) && Protocol is not (ProtocolType.Tcp or ProtocolType.Udp))
        {
            throw new ArgumentException("Ports need Protocol = Tcp or Udp.", parameterName);
        }
    }

    private static void ValidateLink(LinkReference? link, string which, string parameterName)
    {
        if (link is { IsName: true } named)
        {
            InterfaceName.Validate(named.Name!, parameterName);
        }
        else if (link is { } indexed && indexed.Index <= 0)
        {
            throw new ArgumentException($"The {which} link index must be positive, not {indexed.Index}.", parameterName);
        }
    }
}
