using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using LinuxNet.Netlink;
using static LinuxNet.LinuxIfLink;

namespace LinuxNet.Route;

/// <summary>Builds <c>RTM_*LINK</c> requests byte for byte as iproute2 does, and parses link messages.</summary>
/// <remarks>
/// iproute2 never sets <c>NLA_F_NESTED</c> on <c>IFLA_LINKINFO</c>, <c>IFLA_INFO_DATA</c> or <c>VETH_INFO_PEER</c>, and sends
/// <c>IFLA_INFO_KIND</c> without a NUL; the kernel parses these attributes liberally and accepts both forms, so the
/// requests copy iproute2 exactly (see TestData/iproute2/README.md).
/// </remarks>
internal static class LinkMessages
{
    /// <summary>Enough for any single link request (the largest, a veth with a peer, is under 200 bytes).</summary>
    internal const int RequestBufferSize = 512;

    internal const NetlinkMessageFlags CreateFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create;
    internal const NetlinkMessageFlags ModifyFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;
    internal const NetlinkMessageFlags DumpFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump;

    /// <summary><c>ip link show</c>: AF_PACKET, <c>IFLA_EXT_MASK = RTEXT_FILTER_VF</c>.</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETLINK, DumpFlags);
        writer.WriteHeader(new IfInfoMsg { Family = LinuxSocket.AF_PACKET });
        writer.WriteUInt32(IFLA_EXT_MASK, LinuxRtnetlink.RTEXT_FILTER_VF);
        writer.EndMessage();
    }

    /// <summary>iproute2's name lookup (<c>ll_name_to_index</c>): AF_UNSPEC, mask VF|SKIP_STATS, then the name.</summary>
    internal static void WriteLookup(ref NetlinkMessageWriter writer, string name)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETLINK, NetlinkMessageFlags.Request);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteUInt32(IFLA_EXT_MASK, LinuxRtnetlink.RTEXT_FILTER_VF | LinuxRtnetlink.RTEXT_FILTER_SKIP_STATS);
        WriteName(ref writer, name);
        writer.EndMessage();
    }

    /// <summary>
    /// A link named in a request: <c>IFLA_IFNAME</c>, or <c>IFLA_ALT_IFNAME</c> for a name too long to be an interface
    /// name (an alternative name), as iproute2's <c>ll_link_get</c>. A short alternative name travels in
    /// <c>IFLA_IFNAME</c>: the kernel looks both kinds of name up in the same table.
    /// </summary>
    internal static void WriteName(ref NetlinkMessageWriter writer, string name)
        => writer.WriteString(AlternativeName.NeedsAltIfname(name) ? IFLA_ALT_IFNAME : IFLA_IFNAME, name);

    /// <summary>
    /// <c>ip link property add|del dev LINK altname NAME…</c>: RTM_NEWLINKPROP (flags as ip: create, exclusive, append) or
    /// RTM_DELLINKPROP, the link by index, and the names in an <c>IFLA_PROP_LIST</c> nest.
    /// </summary>
    internal static void WriteAlternativeNames(ref NetlinkMessageWriter writer, (int Index, bool Add, string[] Names) request)
    {
        writer.BeginMessage(
            request.Add ? LinuxLinkProp.RTM_NEWLINKPROP : LinuxLinkProp.RTM_DELLINKPROP,
            request.Add ? CreateFlags | NetlinkMessageFlags.Append : ModifyFlags);
        writer.WriteHeader(new IfInfoMsg { Index = request.Index });
        NestedAttribute list = writer.BeginNested(IFLA_PROP_LIST);
        foreach (string name in request.Names)
        {
            writer.WriteString(IFLA_ALT_IFNAME, name);
        }

        writer.EndNested(list);
        writer.EndMessage();
    }

    /// <summary><c>ip link show dev NAME</c>: AF_PACKET, the name, then mask VF.</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, string name)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETLINK, NetlinkMessageFlags.Request);
        writer.WriteHeader(new IfInfoMsg { Family = LinuxSocket.AF_PACKET });
        WriteName(ref writer, name);
        writer.WriteUInt32(IFLA_EXT_MASK, LinuxRtnetlink.RTEXT_FILTER_VF);
        writer.EndMessage();
    }

    /// <summary><c>ip link show dev LINK</c> by name or, for an index, AF_PACKET with <c>ifi_index</c> and mask VF.</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, LinkReference link)
    {
        if (link.IsName)
        {
            WriteGet(ref writer, link.Name!);
        }
        else
        {
            WriteGet(ref writer, link.Index);
        }
    }

    /// <summary>A get by index: AF_PACKET, <c>ifi_index</c>, mask VF.</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, int index)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETLINK, NetlinkMessageFlags.Request);
        writer.WriteHeader(new IfInfoMsg { Family = LinuxSocket.AF_PACKET, Index = index });
        writer.WriteUInt32(IFLA_EXT_MASK, LinuxRtnetlink.RTEXT_FILTER_VF);
        writer.EndMessage();
    }

    /// <summary><c>ip link del</c>: RTM_DELLINK naming the device by index only.</summary>
    internal static void WriteDelete(ref NetlinkMessageWriter writer, int index)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_DELLINK, ModifyFlags);
        writer.WriteHeader(new IfInfoMsg { Index = index });
        writer.EndMessage();
    }

    /// <summary>
    /// Starts an <c>ip link set</c> request: RTM_NEWLINK (as iproute2 sends it, not RTM_SETLINK) with flags 0x5, the
    /// device named by index, and <paramref name="flags"/>/<paramref name="change"/> in the ifinfomsg.
    /// </summary>
    internal static void BeginSet(ref NetlinkMessageWriter writer, int index, uint flags = 0, uint change = 0)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_NEWLINK, ModifyFlags);
        writer.WriteHeader(new IfInfoMsg { Index = index, Flags = flags, Change = change });
    }

    /// <summary>
    /// <c>ip link set dev LINK …</c>: the one encoder of every link change, a single RTM_NEWLINK carrying each change of
    /// the request in iproute2's argument order (<c>mtu address txqueuelen alias mode master netns</c>),
    /// the new name last as iproute2 adds it, and <c>up</c>/<c>down</c>/<c>promisc</c> in <c>ifi_flags</c>/<c>ifi_change</c>.
    /// </summary>
    internal static void WriteChange(ref NetlinkMessageWriter writer, (int Index, LinkChange Change, int MasterIndex) request)
    {
        ref readonly LinkChange change = ref request.Change;
        uint flags = 0;
        uint mask = 0;
        if (change.Up is { } up)
        {
            mask |= LinuxNetDeviceFlags.IFF_UP;
            flags |= up ? LinuxNetDeviceFlags.IFF_UP : 0;
        }

        if (change.Promiscuous is { } promiscuous)
        {
            mask |= LinuxNetDeviceFlags.IFF_PROMISC;
            flags |= promiscuous ? LinuxNetDeviceFlags.IFF_PROMISC : 0;
        }

        BeginSet(ref writer, request.Index, flags, mask);
        if (change.Mtu is { } mtu)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_MTU, (uint)mtu);
        }

        if (change.Address is { } address)
        {
            writer.WritePhysicalAddress(LinuxIfLink.IFLA_ADDRESS, address);
        }

        if (change.TransmitQueueLength is { } length)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_TXQLEN, (uint)length);
        }

        if (change.Alias is { } alias)
        {
            writer.WriteAttribute(LinuxIfLink.IFLA_IFALIAS, alias);
        }

        if (change.Mode is { } mode)
        {
            writer.WriteUInt8(LinuxIfLink.IFLA_LINKMODE, (byte)mode);
        }

        if (change.HasMaster)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_MASTER, (uint)request.MasterIndex);
        }

        if (change.NamespaceFd is { } fd)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_NET_NS_FD, (uint)fd);
        }

        if (change.NamespacePid is { } pid)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_NET_NS_PID, (uint)pid);
        }

        if (change.Name is { } name)
        {
            writer.WriteString(LinuxIfLink.IFLA_IFNAME, name);
        }

        writer.EndMessage();
    }

    /// <summary><c>ip link add</c> for <paramref name="spec"/>, with its lower device and peer-namespace fd already resolved.</summary>
    internal static void WriteCreate(ref NetlinkMessageWriter writer, LinkSpec spec, int lowerIndex, int peerNamespaceFd)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_NEWLINK, CreateFlags);
        writer.WriteHeader(default(IfInfoMsg));
        spec.WriteCommonAttributes(ref writer);
        if (spec.UsesLinkAttribute && lowerIndex > 0)
        {
            writer.WriteUInt32(IFLA_LINK, (uint)lowerIndex);
        }

        writer.WriteString(IFLA_IFNAME, spec.Name);
        NestedAttribute info = writer.BeginNested(IFLA_LINKINFO);
        WriteKind(ref writer, spec.Kind);
        if (spec.HasInfoData)
        {
            NestedAttribute data = writer.BeginNested(IFLA_INFO_DATA);
            spec.WriteInfoData(ref writer, lowerIndex, peerNamespaceFd);
            EndNested(ref writer, data);
        }

        EndNested(ref writer, info);
        writer.EndMessage();
    }

    /// <summary><c>IFLA_INFO_KIND</c> as iproute2 writes it: the bytes of the kind, no NUL.</summary>
    internal static void WriteKind(ref NetlinkMessageWriter writer, string kind)
        => writer.WriteAttribute(IFLA_INFO_KIND, KindBytes(kind));

    // UTF-8 literals live in the assembly's data, so writing them allocates nothing.
    private static ReadOnlySpan<byte> KindBytes(string kind) => kind switch
    {
        "veth" => "veth"u8,
        "bridge" => "bridge"u8,
        "vxlan" => "vxlan"u8,
        "macvlan" => "macvlan"u8,
        "macvtap" => "macvtap"u8,
        "ifb" => "ifb"u8,
        "vlan" => "vlan"u8,
        "dummy" => "dummy"u8,
        "bond" => "bond"u8,
        "ipvlan" => "ipvlan"u8,
        "wireguard" => "wireguard"u8,
        _ => Encoding.ASCII.GetBytes(kind),
    };

    /// <summary>Ends a nest and clears <c>NLA_F_NESTED</c>, as iproute2's <c>addattr_nest_end</c> leaves it.</summary>
    internal static void EndNested(ref NetlinkMessageWriter writer, NestedAttribute nested)
    {
        writer.EndNested(nested);
        Span<byte> message = writer.GetCurrentMessage();
        message[nested.Offset - nested.MessageStart + 3] &= 0x7f;
    }

    /// <summary>Reads the interface index of a link message (for name lookups).</summary>
    internal static int ReadIndex(NetlinkMessage message) => message.ReadHeader<IfInfoMsg>().Index;

    /// <summary>Parses one RTM_NEWLINK message into a <see cref="LinkInfo"/>.</summary>
    /// <exception cref="NetlinkProtocolException">The message is malformed.</exception>
    internal static LinkInfo Parse(NetlinkMessage message)
    {
        IfInfoMsg header = message.ReadHeader<IfInfoMsg>();
        string? name = null;
        ReadOnlySpan<byte> infoData = default;
        bool hasInfoData = false;
        int? parent = null;
        int? linkNamespace = null;
        var link = new LinkInfo(header.Index, string.Empty);
        foreach (NetlinkAttribute attribute in message.GetAttributes<IfInfoMsg>())
        {
            switch (attribute.Type)
            {
                case IFLA_IFNAME: name = attribute.GetString(); break;
                case IFLA_MTU: link.Mtu = (int)attribute.GetUInt32(); break;
                case IFLA_MIN_MTU: link.MinMtu = (int)attribute.GetUInt32(); break;
                case IFLA_MAX_MTU: link.MaxMtu = (int)attribute.GetUInt32(); break;
                case IFLA_ADDRESS: link.Address = attribute.GetPhysicalAddress(); break;
                case IFLA_BROADCAST: link.BroadcastAddress = attribute.GetPhysicalAddress(); break;
                case IFLA_MASTER: link.MasterIndex = (int)attribute.GetUInt32(); break;
                case IFLA_LINK: parent = (int)attribute.GetUInt32(); break;
                case IFLA_LINK_NETNSID: linkNamespace = attribute.GetInt32(); break;
                case IFLA_TXQLEN: link.TransmitQueueLength = (int)attribute.GetUInt32(); break;
                case IFLA_IFALIAS: link.Alias = ReadText(attribute.Value); break;
                case IFLA_GROUP: link.Group = attribute.GetUInt32(); break;
                case IFLA_PROMISCUITY: link.Promiscuity = (int)attribute.GetUInt32(); break;
                case IFLA_QDISC: link.QueueingDiscipline = ReadText(attribute.Value); break;
                case IFLA_CARRIER: link.Carrier = attribute.GetUInt8() != 0; break;
                case IFLA_OPERSTATE: link.OperationalState = (OperationalState)attribute.GetUInt8(); break;
                case IFLA_LINKMODE: link.Mode = (LinkMode)attribute.GetUInt8(); break;
                case IFLA_STATS64: link.Statistics = ReadStatistics(attribute.Value); break;
                case IFLA_PROP_LIST: link.AlternativeNames = ReadAlternativeNames(attribute); break;
                case IFLA_LINKINFO:
                    foreach (NetlinkAttribute info in attribute.EnumerateNested())
                    {
                        switch (info.Type)
                        {
                            case IFLA_INFO_KIND: link.Kind = ReadKind(info.Value); break;
                            case IFLA_INFO_SLAVE_KIND: link.PortKind = ReadKind(info.Value); break;
                            case IFLA_INFO_DATA: infoData = info.Value; hasInfoData = true; break;
                            default: break;
                        }
                    }

                    break;
                default: break;
            }
        }

        if (name is null)
        {
            throw new NetlinkProtocolException($"RTM_NEWLINK for interface index {header.Index} has no IFLA_IFNAME.");
        }

        link.Name = name;
        link.Flags = (LinkFlags)header.Flags;
        link.HardwareType = header.Type;
        link.ParentIndex = parent;
        link.LinkNamespaceId = linkNamespace;
        link.KindInfo = ParseKindInfo(link.Kind, infoData, hasInfoData, parent, linkNamespace);
        return link;
    }

    private static LinkKindInfo? ParseKindInfo(string? kind, ReadOnlySpan<byte> data, bool hasData, int? parent, int? linkNamespace)
    {
        switch (kind)
        {
            case "veth":
                return new VethKindInfo { PeerIndex = parent, PeerNamespaceId = linkNamespace };
            case "bridge":
                return hasData ? ParseBridge(data) : new BridgeKindInfo();
            case "macvlan":
            case "macvtap":
                var macvlan = new MacvlanKindInfo(kind);
                foreach (NetlinkAttribute a in new NetlinkAttributeEnumerator(data))
                {
                    switch (a.Type)
                    {
                        case IFLA_MACVLAN_MODE: macvlan.Mode = (MacvlanMode)a.GetUInt32(); break;
                        case IFLA_MACVLAN_FLAGS: macvlan.Flags = a.GetUInt16(); break;
                        default: break;
                    }
                }

                return macvlan;
            case "vxlan":
                return ParseVxlan(data);
            case "tun":
                return ParseTun(data);
            case "vlan":
                var vlan = new VlanKindInfo();
                foreach (NetlinkAttribute a in new NetlinkAttributeEnumerator(data))
                {
                    switch (a.Type)
                    {
                        case IFLA_VLAN_ID: vlan.Id = a.GetUInt16(); break;
                        case IFLA_VLAN_PROTOCOL: vlan.Protocol = a.GetUInt16BigEndian(); break;
                        default: break;
                    }
                }

                return vlan;
            case "ipvlan":
                var ipvlan = new IpvlanKindInfo();
                foreach (NetlinkAttribute a in new NetlinkAttributeEnumerator(data))
                {
                    switch (a.Type)
                    {
                        case IFLA_IPVLAN_MODE: ipvlan.Mode = (IpvlanMode)a.GetUInt16(); break;
                        case IFLA_IPVLAN_FLAGS: ipvlan.Flags = a.GetUInt16(); break;
                        default: break;
                    }
                }

                return ipvlan;
            case "bond":
                var bond = new BondKindInfo();
                foreach (NetlinkAttribute a in new NetlinkAttributeEnumerator(data))
                {
                    if (a.Type == IFLA_BOND_MODE)
                    {
                        bond.Mode = (BondMode)a.GetUInt8();
                    }
                }

                return bond;
            default:
                return null;
        }
    }

    private static BridgeKindInfo ParseBridge(ReadOnlySpan<byte> data)
    {
        var bridge = new BridgeKindInfo();
        foreach (NetlinkAttribute a in new NetlinkAttributeEnumerator(data))
        {
            switch (a.Type)
            {
                case IFLA_BR_FORWARD_DELAY: bridge.ForwardDelay = FromClockTicks(a.GetUInt32()); break;
                case IFLA_BR_HELLO_TIME: bridge.HelloTime = FromClockTicks(a.GetUInt32()); break;
                case IFLA_BR_MAX_AGE: bridge.MaxAge = FromClockTicks(a.GetUInt32()); break;
                case IFLA_BR_AGEING_TIME: bridge.AgeingTime = FromClockTicks(a.GetUInt32()); break;
                case IFLA_BR_STP_STATE: bridge.StpEnabled = a.GetUInt32() != 0; break;
                case IFLA_BR_PRIORITY: bridge.Priority = a.GetUInt16(); break;
                case IFLA_BR_VLAN_FILTERING: bridge.VlanFiltering = a.GetUInt8() != 0; break;
                case IFLA_BR_VLAN_PROTOCOL: bridge.VlanProtocol = a.GetUInt16BigEndian(); break;
                case IFLA_BR_VLAN_DEFAULT_PVID: bridge.VlanDefaultPvid = a.GetUInt16(); break;
                case IFLA_BR_MCAST_SNOOPING: bridge.MulticastSnooping = a.GetUInt8() != 0; break;
                default: break;
            }
        }

        return bridge;
    }

    private static VxlanKindInfo ParseVxlan(ReadOnlySpan<byte> data)
    {
        var vxlan = new VxlanKindInfo();
        foreach (NetlinkAttribute a in new NetlinkAttributeEnumerator(data))
        {
            switch (a.Type)
            {
                case IFLA_VXLAN_ID: vxlan.Id = a.GetUInt32(); break;
                case IFLA_VXLAN_PORT: vxlan.Port = a.GetUInt16BigEndian(); break;
                case IFLA_VXLAN_LINK: vxlan.UnderlayIndex = (int)a.GetUInt32(); break;
                case IFLA_VXLAN_LEARNING: vxlan.Learning = a.GetUInt8() != 0; break;
                case IFLA_VXLAN_TTL: vxlan.Ttl = a.GetUInt8(); break;
                case IFLA_VXLAN_LOCAL:
                case IFLA_VXLAN_LOCAL6:
                    vxlan.Local = a.GetIPAddress();
                    break;
                case IFLA_VXLAN_GROUP:
                case IFLA_VXLAN_GROUP6:
                    IPAddress remote = a.GetIPAddress();
                    if (IsMulticast(remote))
                    {
                        vxlan.Group = remote;
                    }
                    else
                    {
                        vxlan.Remote = remote;
                    }

                    break;
                default: break;
            }
        }

        return vxlan;
    }

    private static string[] ReadAlternativeNames(NetlinkAttribute list)
    {
        var names = new System.Collections.Generic.List<string>();
        foreach (NetlinkAttribute property in list.EnumerateNested())
        {
            if (property.Type == IFLA_ALT_IFNAME)
            {
                names.Add(property.GetString());
            }
        }

        return names.ToArray();
    }

    internal static bool IsMulticast(IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetworkV6
            ? address.IsIPv6Multicast
            : (address.GetAddressBytes()[0] & 0xf0) == 0xe0;

    // USER_HZ is 100 on every Linux architecture: bridge times are hundredths of a second.
    internal static TimeSpan FromClockTicks(uint ticks) => TimeSpan.FromTicks(ticks * (TimeSpan.TicksPerSecond / 100));

    internal static uint ToClockTicks(TimeSpan time) => (uint)(time.Ticks / (TimeSpan.TicksPerSecond / 100));

    internal static uint? ToClockTicksChecked(TimeSpan time)
    {
        long ticks = time.Ticks / (TimeSpan.TicksPerSecond / 100);
        return ticks is >= 0 and <= uint.MaxValue ? (uint)ticks : null;
    }

    internal static unsafe LinkStatistics ReadStatistics(ReadOnlySpan<byte> value)
    {
        RtnlLinkStats64 stats = default;
        var destination = new Span<byte>(&stats, sizeof(RtnlLinkStats64));
        value.Slice(0, Math.Min(value.Length, destination.Length)).CopyTo(destination);
        return new LinkStatistics(stats);
    }

    /// <summary>A string attribute that may or may not carry its NUL (iproute2 sends kinds without one).</summary>
    private static TunKindInfo ParseTun(ReadOnlySpan<byte> data)
    {
        var tun = new TunKindInfo();
        foreach (NetlinkAttribute a in new NetlinkAttributeEnumerator(data))
        {
            switch (a.Type)
            {
                // IFF_TUN = 1, IFF_TAP = 2 (linux/if_tun.h).
                case IFLA_TUN_TYPE: tun.IsTap = a.GetUInt8() == 2; break;
                case IFLA_TUN_PI: tun.PacketInformation = a.GetUInt8() != 0; break;
                case IFLA_TUN_VNET_HDR: tun.VirtioNetHeader = a.GetUInt8() != 0; break;
                case IFLA_TUN_PERSIST: tun.Persistent = a.GetUInt8() != 0; break;
                case IFLA_TUN_MULTI_QUEUE: tun.MultiQueue = a.GetUInt8() != 0; break;
                case IFLA_TUN_OWNER: tun.Owner = a.GetUInt32(); break;
                case IFLA_TUN_GROUP: tun.Group = a.GetUInt32(); break;
                case IFLA_TUN_NUM_QUEUES: tun.Queues = a.GetUInt32(); break;
                case IFLA_TUN_NUM_DISABLED_QUEUES: tun.DisabledQueues = a.GetUInt32(); break;
                default: break;
            }
        }

        return tun;
    }

    private static unsafe string ReadText(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        ReadOnlySpan<byte> bytes = nul >= 0 ? value.Slice(0, nul) : value;
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        fixed (byte* p = bytes)
        {
            return Encoding.UTF8.GetString(p, bytes.Length);
        }
    }

    /// <summary>Kind names come from a short list: return the literal instead of allocating.</summary>
    private static string ReadKind(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        ReadOnlySpan<byte> bytes = nul >= 0 ? value.Slice(0, nul) : value;
        if (bytes.SequenceEqual("veth"u8))
        {
            return "veth";
        }

        if (bytes.SequenceEqual("bridge"u8))
        {
            return "bridge";
        }

        if (bytes.SequenceEqual("vxlan"u8))
        {
            return "vxlan";
        }

        if (bytes.SequenceEqual("macvlan"u8))
        {
            return "macvlan";
        }

        if (bytes.SequenceEqual("macvtap"u8))
        {
            return "macvtap";
        }

        if (bytes.SequenceEqual("tun"u8))
        {
            return "tun";
        }

        return ReadText(bytes);
    }
}
