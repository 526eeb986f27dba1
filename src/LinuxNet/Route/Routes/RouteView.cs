using System;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// One route of a dump, read in place from the kernel's message: the fields <c>ip route show</c> prints, with the
/// addresses as the kernel's bytes. Building it allocates nothing; <see cref="ToRouteInfo"/> makes the object when one
/// is wanted.
/// </summary>
/// <remarks>
/// Valid only during the <see cref="RouteViewHandler{TState}"/> call that receives it: it views the socket's receive
/// buffer, which the next datagram overwrites. Copy what you keep (the address bytes into your own storage, or
/// <see cref="ToRouteInfo"/>).
/// </remarks>
public readonly ref struct RouteView
{
    private readonly NetlinkMessage _message;
    private readonly RtMsg _header;
    private readonly uint _table;
    private readonly uint _metric;
    private readonly uint _nexthopId;
    private readonly bool _hasMetric;

    internal RouteView(in NetlinkMessage message)
    {
        _message = message;
        _header = message.ReadHeader<RtMsg>();
        _table = _header.Table;
        ReadOnlySpan<byte> destination = default, source = default, gateway = default, preferredSource = default;
        int oif = 0, iif = 0;
        uint metric = 0, nexthopId = 0;
        bool hasMetric = false, multipath = false;
        foreach (NetlinkAttribute attribute in message.GetAttributes<RtMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxRtnetlink.RTA_DST:
                    destination = attribute.Value;
                    break;
                case LinuxRtnetlink.RTA_SRC:
                    source = attribute.Value;
                    break;
                case LinuxRtnetlink.RTA_GATEWAY:
                    gateway = attribute.Value;
                    break;
                case LinuxRtnetlink.RTA_PREFSRC:
                    preferredSource = attribute.Value;
                    break;
                case LinuxRtnetlink.RTA_OIF:
                    oif = attribute.GetInt32();
                    break;
                case LinuxRtnetlink.RTA_IIF:
                    iif = attribute.GetInt32();
                    break;
                case LinuxRtnetlink.RTA_PRIORITY:
                    metric = attribute.GetUInt32();
                    hasMetric = true;
                    break;
                case LinuxRtnetlink.RTA_TABLE:
                    _table = attribute.GetUInt32();
                    break;
                case LinuxRtnetlink.RTA_NH_ID:
                    nexthopId = attribute.GetUInt32();
                    break;
                case LinuxRtnetlink.RTA_MULTIPATH:
                    multipath = true;
                    break;
                default:
                    break;
            }
        }

        int size = _header.Family == LinuxSocket.AF_INET ? 4 : 16;
        DestinationBytes = CheckAddress(destination, size, "RTA_DST");
        SourceBytes = CheckAddress(source, size, "RTA_SRC");
        GatewayBytes = CheckAddress(gateway, size, "RTA_GATEWAY");
        PreferredSourceBytes = CheckAddress(preferredSource, size, "RTA_PREFSRC");
        LinkIndex = oif;
        InputLinkIndex = iif;
        _metric = metric;
        _hasMetric = hasMetric;
        _nexthopId = nexthopId;
        HasMultipath = multipath;
    }

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily Family => _header.Family == LinuxSocket.AF_INET ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    /// <summary>The destination address bytes (4 or 16, network order); empty for a default route, which has none.</summary>
    public ReadOnlySpan<byte> DestinationBytes { get; }

    /// <summary>The destination prefix length (<c>rtm_dst_len</c>).</summary>
    public int DestinationLength => _header.DestinationLength;

    /// <summary>The source-prefix bytes (<c>RTA_SRC</c>, IPv6 source routing); empty when none.</summary>
    public ReadOnlySpan<byte> SourceBytes { get; }

    /// <summary>The source prefix length (<c>rtm_src_len</c>).</summary>
    public int SourceLength => _header.SourceLength;

    /// <summary>The gateway bytes (<c>RTA_GATEWAY</c>); empty for a route without one (or a multipath route: see <see cref="HasMultipath"/>).</summary>
    public ReadOnlySpan<byte> GatewayBytes { get; }

    /// <summary>The preferred source address bytes (<c>RTA_PREFSRC</c>); empty when none.</summary>
    public ReadOnlySpan<byte> PreferredSourceBytes { get; }

    /// <summary>The type of service / DS field (<c>rtm_tos</c>).</summary>
    public byte Tos => _header.Tos;

    /// <summary>The table (<c>RTA_TABLE</c>, else <c>rtm_table</c>).</summary>
    public uint Table => _table;

    /// <summary>Who installed the route (<c>rtm_protocol</c>).</summary>
    public RouteProtocol Protocol => (RouteProtocol)_header.Protocol;

    /// <summary>The scope (<c>rtm_scope</c>).</summary>
    public RouteScope Scope => (RouteScope)_header.Scope;

    /// <summary>The route type (<c>rtm_type</c>).</summary>
    public RouteType Type => (RouteType)_header.Type;

    /// <summary>The next-hop flags of the route (<c>rtm_flags</c>, low byte: <c>onlink</c>, <c>linkdown</c>, …).</summary>
    public RouteNextHopFlags Flags => (RouteNextHopFlags)(byte)(_header.Flags & 0xff);

    /// <summary>Whether the kernel made this entry (<c>RTM_F_CLONED</c>: an exception or cache entry), not a configured route.</summary>
    public bool IsCloned => (_header.Flags & LinuxRtnetlink.RTM_F_CLONED) != 0;

    /// <summary>The output link's index (<c>RTA_OIF</c>); 0 when none.</summary>
    public int LinkIndex { get; }

    /// <summary>The input link's index (<c>RTA_IIF</c>); 0 when none.</summary>
    public int InputLinkIndex { get; }

    /// <summary>The metric (<c>RTA_PRIORITY</c>); <see langword="null"/> when the message carries none.</summary>
    public uint? Metric => _hasMetric ? _metric : null;

    /// <summary>The nexthop object the route uses (<c>RTA_NH_ID</c>); 0 when none.</summary>
    public uint NexthopId => _nexthopId;

    /// <summary>Whether the route has several next hops (<c>RTA_MULTIPATH</c>), read with <see cref="ToRouteInfo"/>.</summary>
    public bool HasMultipath { get; }

    /// <summary>The destination as an <see cref="IPAddress"/> (allocates): the unspecified address of the family for a default route.</summary>
    /// <returns>The address.</returns>
    public IPAddress GetDestination()
        => DestinationBytes.IsEmpty ? (Family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any) : new IPAddress(DestinationBytes.ToArray());

    /// <summary>The whole read model of this route, every attribute decoded, as <see cref="RouteManager.List"/> returns it.</summary>
    /// <returns>The route.</returns>
    /// <exception cref="NetlinkProtocolException">The message is malformed.</exception>
    public RouteInfo ToRouteInfo() => RouteMessages.Parse(_message) ?? throw new NetlinkProtocolException("An RTM_NEWROUTE of a family other than IPv4 or IPv6 has no read model.");

    private static ReadOnlySpan<byte> CheckAddress(ReadOnlySpan<byte> value, int size, string name)
    {
        if (!value.IsEmpty && value.Length != size)
        {
            throw new NetlinkProtocolException($"{name} of an RTM_NEWROUTE is {value.Length} bytes; its family's addresses are {size}.");
        }

        return value;
    }
}
