using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Builds RTM_NEWROUTE/RTM_DELROUTE/RTM_GETROUTE requests byte-for-byte as iproute2 does, and parses RTM_NEWROUTE.</summary>
internal static class RouteMessages
{
    private static readonly byte[] EmptyNextHop = new byte[8];

    internal const NetlinkMessageFlags AddFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create;
    internal const NetlinkMessageFlags ReplaceFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Replace | NetlinkMessageFlags.Create;
    internal const NetlinkMessageFlags DeleteFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;

    // ip route append: CREATE|APPEND; prepend: CREATE alone (no EXCL); change: REPLACE alone (no CREATE), as strace shows.
    internal const NetlinkMessageFlags AppendFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Append;
    internal const NetlinkMessageFlags PrependFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create;
    internal const NetlinkMessageFlags ChangeFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Replace;

    // Largest RTA_VIA: 4-byte header, 2-byte family, 16-byte address.
    private const int MaxViaSize = 24;

    /// <summary>An upper bound of the request size for <paramref name="spec"/>.</summary>
    internal static int GetMaxSize(RouteSpec spec)
    {
        int size = 320 + (spec.NextHopList.Count * 28) + MaxViaSize + (spec.Encapsulation?.MaxSize ?? 0) + (spec.MplsLabel is null ? 0 : 8 + (4 * MplsEncapsulation.MaxLabels));
        foreach (RouteNextHop hop in spec.NextHopList)
        {
            size += MaxViaSize + (hop?.Encapsulation?.MaxSize ?? 0);
        }

        return size;
    }

    /// <summary>Throws <see cref="ArgumentException"/> for everything iproute2 or the kernel would refuse on sight.</summary>
    internal static void Validate(RouteSpec spec, bool deleting)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        if (spec.MplsLabel is not null)
        {
            ValidateMpls(spec);
            return;
        }

        AddressFamily family = spec.Family;
        ValidateEncapsulationAndVia(spec, spec.Gateway, spec.Via, spec.Encapsulation);
        CheckFamily(spec.Gateway, family, "gateway", spec);
        CheckFamily(spec.PreferredSource, family, "preferred source", spec);
        spec.Link?.Validate(nameof(spec));

        if (spec.Table == 0)
        {
            throw new ArgumentException("Table 0 (RT_TABLE_UNSPEC) is not a routing table; use null for main.", nameof(spec));
        }

        bool hasLink = spec.Link is not null;
        if (spec.Gateway is { } gateway && family == AddressFamily.InterNetworkV6 && gateway.IsIPv6LinkLocal && !hasLink)
        {
            throw new ArgumentException($"The link-local gateway {gateway} needs an output link (dev).", nameof(spec));
        }

        if (spec.NexthopId is { } nexthopId && (nexthopId == 0 || spec.Gateway is not null || spec.Via is not null || hasLink || spec.NextHopList.Count > 0 || spec.OnLink))
        {
            throw new ArgumentException(nexthopId == 0
                ? "A nexthop id (nhid) is 1 to 4294967295."
                : "A route with a nexthop id (nhid) takes no gateway, via, link, onlink or next hops: the nexthop object has them.", nameof(spec));
        }

        if (spec.NextHopList.Count > 0 && (spec.Gateway is not null || spec.Via is not null))
        {
            throw new ArgumentException("A multipath route takes its gateways in NextHops, not in Gateway or Via.", nameof(spec));
        }

        if (spec.Expires is { } expires)
        {
            if (family != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException($"Expires is for IPv6 routes only: the kernel ignores RTA_EXPIRES on the IPv4 route to {spec.Destination} (ip route accepts it and the route never expires).", nameof(spec));
            }

            if (expires < TimeSpan.FromSeconds(1) || expires.TotalSeconds > int.MaxValue)
            {
                throw new ArgumentException($"Expires is 1 to {int.MaxValue} seconds, not {expires}.", nameof(spec));
            }
        }

        foreach (RouteNextHop hop in spec.NextHopList)
        {
            if (hop is null)
            {
                throw new ArgumentException("NextHops holds a null entry.", nameof(spec));
            }

            ValidateEncapsulationAndVia(spec, hop.Gateway, hop.Via, hop.Encapsulation);
            CheckFamily(hop.Gateway, family, "next-hop gateway", spec);
            if (hop.Weight is < 1 or > 256)
            {
                throw new ArgumentException($"A next-hop weight is 1 to 256, not {hop.Weight}.", nameof(spec));
            }

            hop.Link?.Validate(nameof(spec));
            bool hopHasLink = hop.Link is not null;
            if (hop.Gateway is null && hop.Via is null && !hopHasLink)
            {
                throw new ArgumentException("Each next hop needs a gateway or an output link.", nameof(spec));
            }

            if ((hop.Flags & RouteNextHopFlags.OnLink) != 0 && !hopHasLink)
            {
                throw new ArgumentException("An on-link next hop needs an output link (dev).", nameof(spec));
            }

            if ((hop.Flags & ~RouteNextHopFlags.OnLink) != 0)
            {
                throw new ArgumentException($"Only OnLink can be requested for a next hop, not {hop.Flags & ~RouteNextHopFlags.OnLink}.", nameof(spec));
            }
        }

        if (deleting)
        {
            return;
        }

        RouteType type = spec.Type ?? RouteType.Unicast;
        if (type is RouteType.Blackhole or RouteType.Unreachable or RouteType.Prohibit or RouteType.Throw)
        {
            if (spec.Gateway is not null || spec.Via is not null || hasLink || spec.NextHopList.Count > 0 || spec.NexthopId is not null)
            {
                throw new ArgumentException($"A {type} route takes no gateway, device, next hops or nexthop id.", nameof(spec));
            }
        }
        else if (type == RouteType.Unicast && spec.Gateway is null && spec.Via is null && !hasLink && spec.NextHopList.Count == 0 && spec.NexthopId is null)
        {
            throw new ArgumentException($"The unicast route to {spec.Destination} needs a gateway (via), an output link (dev) or next hops.", nameof(spec));
        }
        else if (type is RouteType.Local or RouteType.Broadcast or RouteType.Anycast or RouteType.Multicast && !hasLink)
        {
            throw new ArgumentException($"A {type} route needs an output link (dev).", nameof(spec));
        }

        if (spec.OnLink && !hasLink)
        {
            throw new ArgumentException("An on-link route needs an output link (dev).", nameof(spec));
        }
    }

    private static void ValidateEncapsulationAndVia(RouteSpec spec, IPAddress? gateway, IPAddress? via, RouteEncapsulation? encapsulation)
    {
        if (via is not null)
        {
            if (gateway is not null)
            {
                throw new ArgumentException($"Gateway {gateway} and Via {via} clash: a path has one gateway (RTA_GATEWAY of the route's family, or RTA_VIA of another).", nameof(spec));
            }

            if (via.AddressFamily == spec.Family)
            {
                throw new ArgumentException($"Via {via} is of the route's own family; set it as Gateway (via ADDRESS) instead.", nameof(spec));
            }

            if (spec.Family != AddressFamily.InterNetwork || via.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException($"Only an IPv4 route can have a gateway of another family (an IPv6 Via, RFC 5549), not the route to {spec.Destination} via {via}.", nameof(spec));
            }
        }

        if (encapsulation is not null)
        {
            encapsulation.Validate(nameof(spec));
            if (encapsulation is Seg6Encapsulation { Mode: Seg6Mode.Inline } && spec.Family != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException("seg6 inline mode inserts the header into IPv6 packets; an IPv4 route needs Encap mode.", nameof(spec));
            }
        }
    }

    /// <summary>
    /// The optional kernel feature a spec relies on, named by option and config, for a refusal with <c>EOPNOTSUPP</c> or
    /// <c>EAFNOSUPPORT</c>; <see langword="null"/> when it needs nothing beyond IPv4/IPv6 routing.
    /// </summary>
    internal static string? KernelFeatureOf(RouteSpec spec)
    {
        if (spec.MplsLabel is not null)
        {
            return "an MPLS route (ip -f mpls route, RouteSpec.ForMplsLabel; AF_MPLS needs CONFIG_MPLS_ROUTING)";
        }

        bool mpls = spec.Encapsulation is MplsEncapsulation;
        bool seg6 = spec.Encapsulation is Seg6Encapsulation;
        foreach (RouteNextHop hop in spec.NextHopList)
        {
            mpls |= hop.Encapsulation is MplsEncapsulation;
            seg6 |= hop.Encapsulation is Seg6Encapsulation;
        }

        return mpls ? "MPLS encapsulation (encap mpls, MplsEncapsulation; LWTUNNEL_ENCAP_MPLS needs CONFIG_MPLS_IPTUNNEL)"
            : seg6 ? "seg6 encapsulation (encap seg6, Seg6Encapsulation; LWTUNNEL_ENCAP_SEG6 needs CONFIG_IPV6_SEG6_LWTUNNEL)"
            : null;
    }

    private static void ValidateMpls(RouteSpec spec)
    {
        if (spec.Gateway is not null || spec.PreferredSource is not null || spec.Encapsulation is not null || spec.Expires is not null || spec.NextHopList.Count > 0 || spec.Metrics is not null)
        {
            throw new ArgumentException("An MPLS route takes Via, Link and MplsOutgoingLabels (ip -f mpls route add LABEL as LABELS via inet ADDRESS dev LINK), not Gateway, PreferredSource, Encapsulation, Expires, Metrics or NextHops.", nameof(spec));
        }

        if (spec.Via is { } via && via.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"The next hop of an MPLS route is an IPv4 or IPv6 address, not {via}.", nameof(spec));
        }

        if (spec.MplsOutgoingLabelList is { Count: > 0 } outgoing)
        {
            MplsEncapsulation.ValidateLabels(outgoing, nameof(spec), "An MPLS route's 'as'");
        }

        spec.Link?.Validate(nameof(spec));
        if (spec.Table == 0)
        {
            throw new ArgumentException("Table 0 (RT_TABLE_UNSPEC) is not a routing table; use null for main.", nameof(spec));
        }
    }

    private static void CheckFamily(IPAddress? address, AddressFamily family, string what, RouteSpec spec)
    {
        if (address is not null && address.AddressFamily != family)
        {
            throw new ArgumentException($"The {what} {address} is not an {IPPrefix.FamilyName(family)} address like the destination {spec.Destination}.", nameof(spec));
        }
    }

    /// <summary>Writes RTM_NEWROUTE or RTM_DELROUTE. <paramref name="hopIndexes"/> holds the resolved link index of each next hop.</summary>
    internal static int WriteModify(Span<byte> buffer, ushort type, NetlinkMessageFlags flags, RouteSpec spec, int linkIndex, ReadOnlySpan<int> hopIndexes)
        => RequestPipeline.Encode(buffer, (type, flags, spec, linkIndex, hopIndexes.ToArray()), WriteModify);

    /// <summary>
    /// The one encoder of route changes: RTM_NEWROUTE or RTM_DELROUTE for a spec whose links are resolved (<c>LinkIndex</c>,
    /// and <c>HopIndexes</c> per next hop); used by <see cref="RouteManager"/> and <see cref="RtnetlinkBatch"/> alike.
    /// </summary>
    internal static void WriteModify(ref NetlinkMessageWriter writer, (ushort Type, NetlinkMessageFlags Flags, RouteSpec Spec, int LinkIndex, int[] HopIndexes) request)
    {
        (ushort type, NetlinkMessageFlags flags, RouteSpec spec, int linkIndex, int[] hopIndexes) = request;
        bool deleting = type == LinuxRtnetlink.RTM_DELROUTE;
        bool mpls = spec.MplsLabel is not null;
        bool ipv6 = spec.Family == AddressFamily.InterNetworkV6;

        // ip -f mpls route del sends RTN_UNICAST; IP deletes leave the type open.
        RouteType routeType = spec.Type ?? (deleting && !mpls ? RouteType.Unspecified : RouteType.Unicast);
        uint table = spec.Table ?? (routeType is RouteType.Local or RouteType.Broadcast or RouteType.Nat or RouteType.Anycast ? RouteTables.Local : RouteTables.Main);
        byte scope = spec.Scope is { } s ? (byte)s : DefaultScope(spec, routeType, deleting, ipv6 || mpls);

        writer.BeginMessage(type, flags);
        writer.WriteHeader(new RtMsg
        {
            Family = mpls ? LinuxLwtunnel.AF_MPLS : (byte)(ipv6 ? LinuxSocket.AF_INET6 : LinuxSocket.AF_INET),
            DestinationLength = mpls ? (byte)20 : (byte)spec.Destination.PrefixLength,
            Table = table <= 255 ? (byte)table : LinuxRtnetlink.RT_TABLE_UNSPEC,
            Protocol = spec.Protocol is { } p ? (byte)p : deleting ? LinuxRtnetlink.RTPROT_UNSPEC : LinuxRtnetlink.RTPROT_BOOT,
            Scope = scope,
            Type = (byte)routeType,
            Flags = spec.OnLink ? LinuxRtnetlink.RTNH_F_ONLINK : 0u,
        });

        // iproute2 order for "ip route add PREFIX encap E via GW table T metric M src S expires N nexthop … dev D METRICS"
        // (an MPLS route: "ip -f mpls route add LABEL as LABELS via inet GW dev D").
        if (spec.MplsLabel is { } label)
        {
            MplsEncapsulation.WriteLabels(ref writer, LinuxRtnetlink.RTA_DST, new[] { label });
            if (spec.MplsOutgoingLabelList is { Count: > 0 } outgoing)
            {
                MplsEncapsulation.WriteLabels(ref writer, LinuxRtnetlink.RTA_NEWDST, outgoing);
            }
        }
        else if (spec.Destination.PrefixLength > 0)
        {
            writer.WriteAddress(LinuxRtnetlink.RTA_DST, spec.Destination.Address);
        }

        if (spec.Encapsulation is { } encapsulation)
        {
            RouteEncapsulation.Write(ref writer, encapsulation);
        }

        if (spec.Gateway is { } gateway)
        {
            writer.WriteAddress(LinuxRtnetlink.RTA_GATEWAY, gateway);
        }

        if (spec.NexthopId is { } nhid)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_NH_ID, nhid);
        }

        if (spec.Via is { } via)
        {
            WriteVia(ref writer, via);
        }

        if (table > 255)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_TABLE, table);
        }

        if (spec.Metric is { } metric)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_PRIORITY, metric);
        }

        if (spec.PreferredSource is { } source)
        {
            writer.WriteAddress(LinuxRtnetlink.RTA_PREFSRC, source);
        }

        if (spec.Expires is { } expires)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_EXPIRES, (uint)expires.TotalSeconds);
        }

        if (spec.NextHopList.Count > 0)
        {
            WriteMultipath(ref writer, spec.NextHopList, hopIndexes);
        }

        if (linkIndex > 0)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_OIF, (uint)linkIndex);
        }

        if (spec.Metrics is { } metrics)
        {
            WriteMetrics(ref writer, metrics);
        }

        writer.EndMessage();
    }

    private static byte DefaultScope(RouteSpec spec, RouteType type, bool deleting, bool ipv6)
    {
        if (ipv6)
        {
            return LinuxRtnetlink.RT_SCOPE_UNIVERSE;
        }

        return type switch
        {
            RouteType.Local or RouteType.Nat => LinuxRtnetlink.RT_SCOPE_HOST,
            RouteType.Broadcast or RouteType.Multicast or RouteType.Anycast => LinuxRtnetlink.RT_SCOPE_LINK,
            RouteType.Unicast or RouteType.Unspecified when deleting => LinuxRtnetlink.RT_SCOPE_NOWHERE,
            RouteType.Unicast or RouteType.Unspecified when spec.Gateway is null && spec.Via is null && spec.NextHopList.Count == 0 && spec.NexthopId is null => LinuxRtnetlink.RT_SCOPE_LINK,
            _ => LinuxRtnetlink.RT_SCOPE_UNIVERSE,
        };
    }

    private static void WriteMultipath(ref NetlinkMessageWriter writer, IList<RouteNextHop> hops, ReadOnlySpan<int> hopIndexes)
    {
        // iproute2 sends RTA_MULTIPATH without NLA_F_NESTED: it is an array of rtnexthop records, not attributes.
        int start = writer.CurrentMessageLength;
        NestedAttribute nest = writer.BeginNested(LinuxRtnetlink.RTA_MULTIPATH);
        for (int i = 0; i < hops.Count; i++)
        {
            RouteNextHop hop = hops[i];
            int hopStart = writer.CurrentMessageLength;
            writer.WritePayload(EmptyNextHop);
            if (hop.Gateway is { } gateway)
            {
                writer.WriteAddress(LinuxRtnetlink.RTA_GATEWAY, gateway);
            }

            if (hop.Via is { } via)
            {
                WriteVia(ref writer, via);
            }

            if (hop.Encapsulation is { } encapsulation)
            {
                RouteEncapsulation.Write(ref writer, encapsulation);
            }

            var record = new RtNextHop
            {
                Length = (ushort)(writer.CurrentMessageLength - hopStart),
                Flags = (byte)hop.Flags,
                Hops = (byte)(hop.Weight - 1),
                Index = hopIndexes[i],
            };
            Bytes.Write(writer.GetCurrentMessage().Slice(hopStart), record);
        }

        writer.EndNested(nest);
        writer.GetCurrentMessage()[start + 3] &= 0x7f;
    }

    /// <summary>RTA_VIA: <c>struct rtvia</c>, the family (host order) then the address.</summary>
    private static void WriteVia(ref NetlinkMessageWriter writer, IPAddress via)
    {
        // An array, not stackalloc: the writer is a ref struct whose attribute methods may keep the span.
        var value = new byte[18];
        bool v6 = via.AddressFamily == AddressFamily.InterNetworkV6;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(value, (ushort)(v6 ? LinuxSocket.AF_INET6 : LinuxSocket.AF_INET));
        byte[] address = via.GetAddressBytes();
        address.CopyTo(value, 2);
        int written = address.Length;
        writer.WriteAttribute(LinuxRtnetlink.RTA_VIA, value.AsSpan(0, 2 + written));
    }

    /// <summary>Reads RTA_VIA (<c>struct rtvia</c>); <see langword="null"/> for a family other than IPv4 and IPv6.</summary>
    private static IPAddress? ReadVia(ReadOnlySpan<byte> value)
    {
        if (value.Length < 2)
        {
            return null;
        }

        ushort viaFamily = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(value);
        int length = viaFamily == LinuxSocket.AF_INET6 ? 16 : viaFamily == LinuxSocket.AF_INET ? 4 : 0;
        if (length == 0 || value.Length < 2 + length)
        {
            return null;
        }

        return new IPAddress(value.Slice(2, length).ToArray());
    }

    private static void WriteMetrics(ref NetlinkMessageWriter writer, RouteMetrics metrics)
    {
        if (metrics.Locks == 0 && !HasAnyMetric(metrics))
        {
            return;
        }

        // Nested without NLA_F_NESTED, as iproute2 sends it; RTAX_LOCK goes last.
        int start = writer.CurrentMessageLength;
        NestedAttribute nest = writer.BeginNested(LinuxRtnetlink.RTA_METRICS);
        for (ushort type = LinuxRtnetlink.RTAX_MTU; type <= LinuxRtnetlink.RTAX_QUICKACK; type++)
        {
            if (metrics.Get(type) is { } value)
            {
                writer.WriteUInt32(type, value);
            }
        }

        if (metrics.Locks != 0)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTAX_LOCK, metrics.Locks);
        }

        writer.EndNested(nest);
        writer.GetCurrentMessage()[start + 3] &= 0x7f;
    }

    private static bool HasAnyMetric(RouteMetrics metrics)
    {
        for (ushort type = LinuxRtnetlink.RTAX_MTU; type <= LinuxRtnetlink.RTAX_QUICKACK; type++)
        {
            if (metrics.Get(type) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the RTM_GETROUTE dump (as <c>ip route show [table T]</c>: the table in RTA_TABLE, none for all tables).</summary>
    internal static int WriteDump(Span<byte> buffer, AddressFamily family, uint? table)
        => RequestPipeline.Encode(buffer, (family, table), WriteDump);

    /// <summary>The RTM_GETROUTE dump of one family (or both) in one table (or all).</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, (AddressFamily Family, uint? Table) request)
    {
        (AddressFamily family, uint? table) = request;
        writer.BeginMessage(LinuxRtnetlink.RTM_GETROUTE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new RtMsg { Family = AddressMessages.ToKernelFamily(family) });
        if (table is { } t)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_TABLE, t);
        }

        writer.EndMessage();
    }

    /// <summary>Writes the RTM_GETROUTE lookup (as <c>ip route get ADDRESS</c>).</summary>
    internal static int WriteGet(Span<byte> buffer, IPAddress destination) => WriteGet(buffer, new RouteLookup(destination), 0, 0);

    /// <summary>The largest RTM_GETROUTE request: headers, two IPv6 addresses and seven small attributes.</summary>
    internal const int MaxGetLength = 16 + 12 + (2 * 20) + (7 * 8);

    /// <summary>
    /// Writes RTM_GETROUTE for <paramref name="lookup"/> with its links already resolved (0 = none), attributes in
    /// iproute2's order: DST, SRC, UID, IP_PROTO, SPORT, DPORT, IIF, OIF, MARK.
    /// </summary>
    internal static int WriteGet(Span<byte> buffer, RouteLookup lookup, int inputIndex, int outputIndex)
        => RequestPipeline.Encode(buffer, (lookup, inputIndex, outputIndex), WriteGet);

    /// <summary>The RTM_GETROUTE lookup of <c>ip route get</c> with its links resolved (0 = none).</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, (RouteLookup Lookup, int InputIndex, int OutputIndex) request)
    {
        (RouteLookup lookup, int inputIndex, int outputIndex) = request;
        bool ipv6 = lookup.IsIPv6;
        int hostLength = ipv6 ? 128 : 32;
        writer.BeginMessage(LinuxRtnetlink.RTM_GETROUTE, NetlinkMessageFlags.Request);
        writer.WriteHeader(new RtMsg
        {
            Family = (byte)(ipv6 ? LinuxSocket.AF_INET6 : LinuxSocket.AF_INET),
            DestinationLength = (byte)hostLength,
            SourceLength = (byte)(lookup.Source is null ? 0 : hostLength),
            Tos = lookup.TypeOfService,

            // iproute2 asks IPv4 lookups to report the table the route came from.
            Flags = (ipv6 ? 0u : LinuxRtnetlink.RTM_F_LOOKUP_TABLE) | (lookup.FibMatch ? LinuxRtnetlink.RTM_F_FIB_MATCH : 0u),
        });
        writer.WriteAddress(LinuxRtnetlink.RTA_DST, lookup.Destination);
        if (lookup.Source is { } source)
        {
            writer.WriteAddress(LinuxRtnetlink.RTA_SRC, source);
        }

        if (lookup.UserId is { } uid)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_UID, uid);
        }

        if (lookup.Protocol is { } protocol)
        {
            writer.WriteUInt8(LinuxRtnetlink.RTA_IP_PROTO, (byte)protocol);
        }

        if (lookup.SourcePort is { } sourcePort)
        {
            writer.WriteUInt16BigEndian(LinuxRtnetlink.RTA_SPORT, sourcePort);
        }

        if (lookup.DestinationPort is { } destinationPort)
        {
            writer.WriteUInt16BigEndian(LinuxRtnetlink.RTA_DPORT, destinationPort);
        }

        if (inputIndex > 0)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_IIF, (uint)inputIndex);
        }

        if (outputIndex > 0)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_OIF, (uint)outputIndex);
        }

        if (lookup.Mark is { } mark)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_MARK, mark);
        }

        writer.EndMessage();
    }

    /// <summary>The output link of a route message (<c>RTA_OIF</c>) without building the read model; 0 when none.</summary>
    internal static int ReadOutputLink(in NetlinkMessage message)
    {
        foreach (NetlinkAttribute attribute in message.GetAttributes<RtMsg>())
        {
            if (attribute.Type == LinuxRtnetlink.RTA_OIF)
            {
                return attribute.GetInt32();
            }
        }

        return 0;
    }

    /// <summary>The table of a route message (<c>RTA_TABLE</c>, else <c>rtm_table</c>) without building the read model.</summary>
    internal static uint ReadTable(in NetlinkMessage message)
    {
        uint table = message.ReadHeader<RtMsg>().Table;
        foreach (NetlinkAttribute attribute in message.GetAttributes<RtMsg>())
        {
            if (attribute.Type == LinuxRtnetlink.RTA_TABLE)
            {
                table = attribute.GetUInt32();
            }
        }

        return table;
    }

    /// <summary>The destination of a route message (<c>RTA_DST</c>, else the unspecified address of its family) without building the read model.</summary>
    internal static IPAddress ReadDestination(in NetlinkMessage message)
    {
        foreach (NetlinkAttribute attribute in message.GetAttributes<RtMsg>())
        {
            if (attribute.Type == LinuxRtnetlink.RTA_DST)
            {
                return attribute.GetIPAddress();
            }
        }

        return message.ReadHeader<RtMsg>().Family == LinuxSocket.AF_INET6 ? IPAddress.IPv6Any : IPAddress.Any;
    }

    /// <summary>Parses one RTM_NEWROUTE message; <see langword="null"/> for families other than IPv4 and IPv6.</summary>
    internal static RouteInfo? Parse(in NetlinkMessage message)
    {
        RtMsg header = message.ReadHeader<RtMsg>();
        AddressFamily family;
        if (header.Family == LinuxSocket.AF_INET)
        {
            family = AddressFamily.InterNetwork;
        }
        else if (header.Family == LinuxSocket.AF_INET6)
        {
            family = AddressFamily.InterNetworkV6;
        }
        else
        {
            return null;
        }

        int max = family == AddressFamily.InterNetwork ? 32 : 128;
        IPAddress? destination = null;
        IPAddress? source = null;
        IPAddress? gateway = null;
        IPAddress? preferredSource = null;
        uint table = header.Table;
        uint? metric = null;
        int oif = 0;
        int iif = 0;
        RouteMetrics? metrics = null;
        List<RouteNextHopInfo>? hops = null;
        TimeSpan? expires = null;
        byte? preference = null;
        uint? mark = null;
        uint? uid = null;
        uint? nexthopId = null;
        IPAddress? via = null;
        ushort encapType = 0;
        ReadOnlySpan<byte> encap = default;
        foreach (NetlinkAttribute attribute in message.GetAttributes<RtMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxRtnetlink.RTA_DST:
                    destination = attribute.GetIPAddress();
                    break;
                case LinuxRtnetlink.RTA_SRC:
                    source = attribute.GetIPAddress();
                    break;
                case LinuxRtnetlink.RTA_GATEWAY:
                    gateway = attribute.GetIPAddress();
                    break;
                case LinuxRtnetlink.RTA_PREFSRC:
                    preferredSource = attribute.GetIPAddress();
                    break;
                case LinuxRtnetlink.RTA_OIF:
                    oif = attribute.GetInt32();
                    break;
                case LinuxRtnetlink.RTA_IIF:
                    iif = attribute.GetInt32();
                    break;
                case LinuxRtnetlink.RTA_PRIORITY:
                    metric = attribute.GetUInt32();
                    break;
                case LinuxRtnetlink.RTA_TABLE:
                    table = attribute.GetUInt32();
                    break;
                case LinuxRtnetlink.RTA_METRICS:
                    metrics = ParseMetrics(attribute);
                    break;
                case LinuxRtnetlink.RTA_MULTIPATH:
                    hops = ParseMultipath(attribute.Value);
                    break;
                case LinuxRtnetlink.RTA_CACHEINFO:
                    if (attribute.Value.Length >= System.Runtime.CompilerServices.Unsafe.SizeOf<RtaCacheinfo>())
                    {
                        // rta_expires is in USER_HZ (100 per second) ticks.
                        int ticks = System.Runtime.InteropServices.MemoryMarshal.Read<RtaCacheinfo>(attribute.Value).Expires;
                        expires = ticks != 0 ? TimeSpan.FromMilliseconds(ticks * 10.0) : null;
                    }

                    break;
                case LinuxRtnetlink.RTA_PREF:
                    preference = attribute.GetUInt8();
                    break;
                case LinuxRtnetlink.RTA_MARK:
                    mark = attribute.GetUInt32();
                    break;
                case LinuxRtnetlink.RTA_UID:
                    uid = attribute.GetUInt32();
                    break;
                case LinuxRtnetlink.RTA_NH_ID:
                    nexthopId = attribute.GetUInt32();
                    break;
                case LinuxRtnetlink.RTA_VIA:
                    via = ReadVia(attribute.Value);
                    break;
                case LinuxRtnetlink.RTA_ENCAP_TYPE:
                    encapType = attribute.GetUInt16();
                    break;
                case LinuxRtnetlink.RTA_ENCAP:
                    encap = attribute.Value;
                    break;
                default:
                    break;
            }
        }

        // A destination or source of the other family would make IPPrefix throw ArgumentException on a malformed message.
        if ((destination is not null && destination.AddressFamily != family) || (source is not null && source.AddressFamily != family))
        {
            throw new NetlinkProtocolException($"An RTM_NEWROUTE of family {header.Family} carries an address of another family in RTA_DST or RTA_SRC.");
        }

        var info = new RouteInfo(new IPPrefix(destination ?? (family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any), Math.Min((int)header.DestinationLength, max)))
        {
            Source = source is null ? null : new IPPrefix(source, Math.Min((int)header.SourceLength, max)),
            Tos = header.Tos,
            Table = table,
            Protocol = (RouteProtocol)header.Protocol,
            Scope = (RouteScope)header.Scope,
            Type = (RouteType)header.Type,
            Flags = (RouteNextHopFlags)(byte)(header.Flags & 0xff),
            Gateway = gateway,
            LinkIndex = oif,
            InputLinkIndex = iif,
            Metric = metric,
            PreferredSource = preferredSource,
            Metrics = metrics,
            Expires = expires,
            Preference = preference,
            IsCloned = (header.Flags & LinuxRtnetlink.RTM_F_CLONED) != 0,
            CacheFlags = (RouteCacheFlags)(header.Flags & 0xFFFF_0000),
            Mark = mark,
            UserId = uid,
            NexthopId = nexthopId,
            Via = via,
            Encapsulation = RouteEncapsulation.Parse(encapType, encap),
        };
        if (hops is not null)
        {
            info.NextHops = hops;
        }

        return info;
    }

    private static RouteMetrics ParseMetrics(NetlinkAttribute attribute)
    {
        var metrics = new RouteMetrics();
        foreach (NetlinkAttribute metric in attribute.EnumerateNested())
        {
            if (metric.Value.Length == 4)
            {
                metrics.Set(metric.Type, metric.GetUInt32());
            }
        }

        return metrics;
    }

    private static List<RouteNextHopInfo> ParseMultipath(ReadOnlySpan<byte> value)
    {
        var hops = new List<RouteNextHopInfo>();
        while (value.Length >= 8)
        {
            RtNextHop record = System.Runtime.InteropServices.MemoryMarshal.Read<RtNextHop>(value);
            if (record.Length < 8 || record.Length > value.Length)
            {
                throw new NetlinkProtocolException($"A struct rtnexthop in RTA_MULTIPATH claims {record.Length} bytes but {value.Length} remain.");
            }

            var hop = new RouteNextHopInfo(record.Index, record.Hops + 1, (RouteNextHopFlags)record.Flags);
            ushort encapType = 0;
            ReadOnlySpan<byte> encap = default;
            foreach (NetlinkAttribute attribute in new NetlinkAttributeEnumerator(value.Slice(8, record.Length - 8)))
            {
                switch (attribute.Type)
                {
                    case LinuxRtnetlink.RTA_GATEWAY:
                        hop.Gateway = attribute.GetIPAddress();
                        break;
                    case LinuxRtnetlink.RTA_VIA:
                        hop.Via = ReadVia(attribute.Value);
                        break;
                    case LinuxRtnetlink.RTA_ENCAP_TYPE:
                        encapType = attribute.GetUInt16();
                        break;
                    case LinuxRtnetlink.RTA_ENCAP:
                        encap = attribute.Value;
                        break;
                }
            }

            hop.Encapsulation = RouteEncapsulation.Parse(encapType, encap);

            hops.Add(hop);
            value = value.Slice(Math.Min(NetlinkMessageWriter.Align(record.Length), value.Length));
        }

        return hops;
    }
}
