using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary>Prints links the way <c>ip link show</c> and the link part of <c>ip addr show</c> do, as text or <c>ip -j</c> JSON.</summary>
internal static class LinkView
{
    private static string NameOf(IReadOnlyDictionary<int, LinkInfo> byIndex, int index)
        => byIndex.TryGetValue(index, out LinkInfo? link) ? link.Name : "if" + index.ToString(CultureInfo.InvariantCulture);

    private static bool MasterDown(LinkInfo link, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        // iproute2 looks the IFLA_LINK index up in its own namespace's cache; a link it does not know counts as down.
        if (link.ParentIndex is not int parent || parent == 0)
        {
            return false;
        }

        return !(byIndex.TryGetValue(parent, out LinkInfo? p) && p.IsUp);
    }

    private static string Group(uint group) => group == 0 ? "default" : group.ToString(CultureInfo.InvariantCulture);

    private static string? HardwareAddress(LinkInfo link, System.Net.NetworkInformation.PhysicalAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length is 4 or 16 && link.HardwareType is 768 or 769 or 776 or 778 or 823)
        {
            return new IPAddress(bytes).ToString();
        }

        return Names.Mac(address);
    }

    public static JsonObject Json(LinkInfo link, IReadOnlyDictionary<int, LinkInfo> byIndex, bool linkMode, bool details, bool linkLayer = true)
    {
        var o = new JsonObject { ["ifindex"] = link.Index };
        if (link.ParentIndex is int parent)
        {
            if (parent == 0)
            {
                o["link"] = null;
            }
            else if (link.LinkNamespaceId is not null)
            {
                o["link_index"] = parent;
            }
            else
            {
                o["link"] = NameOf(byIndex, parent);
            }
        }

        o["ifname"] = link.Name;
        o["flags"] = new JsonArray(Names.LinkFlagWords(link.Flags, MasterDown(link, byIndex)).Select(w => (JsonNode)w!).ToArray());
        o["mtu"] = link.Mtu;
        if (link.QueueingDiscipline is { } qdisc)
        {
            o["qdisc"] = qdisc;
        }

        if (link.MasterIndex is int master)
        {
            o["master"] = NameOf(byIndex, master);
        }

        o["operstate"] = Names.OperState(link.OperationalState);
        if (linkMode)
        {
            o["linkmode"] = Names.LinkModeName(link.Mode); // ip link prints it, ip addr does not
        }

        o["group"] = Group(link.Group);
        o["txqlen"] = link.TransmitQueueLength;
        if (!linkLayer)
        {
            // ip -4/-6 addr leaves out the link-layer line.
            return o;
        }

        o["link_type"] = Names.LinkType(link.HardwareType);
        if (HardwareAddress(link, link.Address) is { } address)
        {
            o["address"] = address;
        }

        if (HardwareAddress(link, link.BroadcastAddress) is { } broadcast)
        {
            o[(link.Flags & LinkFlags.PointToPoint) != 0 ? "link_pointtopoint" : "broadcast"] = broadcast;
        }

        if (link.LinkNamespaceId is int nsid)
        {
            o["link_netnsid"] = nsid;
        }

        if (details)
        {
            o["promiscuity"] = link.Promiscuity;
            if (link.MinMtu is int min)
            {
                o["min_mtu"] = min;
            }

            if (link.MaxMtu is int max)
            {
                o["max_mtu"] = max;
            }

            if (link.Kind is not null || link.PortKind is not null)
            {
                var info = new JsonObject();
                if (link.Kind is { } kind)
                {
                    info["info_kind"] = kind;
                    if (KindData(link, byIndex) is { } data)
                    {
                        info["info_data"] = data;
                    }
                }

                if (link.PortKind is { } portKind)
                {
                    info["info_slave_kind"] = portKind;
                }

                o["linkinfo"] = info;
            }
        }

        if (linkMode && link.Alias is { } alias)
        {
            // ip link prints the alias; ip addr does not.
            o["ifalias"] = alias;
        }

        if (link.AlternativeNames.Count > 0)
        {
            // ip link and ip addr both print the alternative names (IFLA_PROP_LIST).
            o["altnames"] = new JsonArray(link.AlternativeNames.Select(n => (JsonNode)n!).ToArray());
        }

        return o;
    }

    private static long Centiseconds(TimeSpan t) => (long)Math.Round(t.TotalMilliseconds / 10);

    private static JsonObject? KindData(LinkInfo link, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        switch (link.KindInfo)
        {
            case BridgeKindInfo b:
            {
                var o = new JsonObject
                {
                    ["forward_delay"] = Centiseconds(b.ForwardDelay),
                    ["hello_time"] = Centiseconds(b.HelloTime),
                    ["max_age"] = Centiseconds(b.MaxAge),
                    ["ageing_time"] = Centiseconds(b.AgeingTime),
                    ["stp_state"] = b.StpEnabled ? 1 : 0,
                    ["priority"] = (int)b.Priority,
                };

                // ip prints what the kernel sent, and nothing for what it did not.
                if (b.VlanFiltering is bool filtering)
                {
                    o["vlan_filtering"] = filtering ? 1 : 0;
                }

                if (b.VlanProtocol is ushort protocol)
                {
                    o["vlan_protocol"] = protocol == 0x88a8 ? "802.1ad" : "802.1Q";
                }

                if (b.VlanDefaultPvid is ushort pvid)
                {
                    o["vlan_default_pvid"] = (int)pvid;
                }

                if (b.MulticastSnooping is bool snooping)
                {
                    o["mcast_snooping"] = snooping ? 1 : 0;
                }

                return o;
            }
            case VxlanKindInfo v:
            {
                var o = new JsonObject { ["id"] = v.Id };
                if (v.Remote is { } remote)
                {
                    o[remote.AddressFamily == AddressFamily.InterNetwork ? "remote" : "remote6"] = remote.ToString();
                }

                if (v.Group is { } group)
                {
                    o[group.AddressFamily == AddressFamily.InterNetwork ? "group" : "group6"] = group.ToString();
                }

                if (v.Local is { } local)
                {
                    o[local.AddressFamily == AddressFamily.InterNetwork ? "local" : "local6"] = local.ToString();
                }

                if (v.UnderlayIndex is int underlay)
                {
                    o["link"] = NameOf(byIndex, underlay);
                }

                o["port"] = (int)v.Port;
                o["learning"] = v.Learning;
                o["ttl"] = (int)v.Ttl;
                return o;
            }

            case MacvlanKindInfo m:
                return new JsonObject { ["mode"] = MacvlanModeName(m.Mode) };
            case VlanKindInfo vlan:
                return new JsonObject { ["protocol"] = vlan.Protocol == 0x88a8 ? "802.1ad" : "802.1Q", ["id"] = (int)vlan.Id };
            case IpvlanKindInfo ipvlan:
                return new JsonObject { ["mode"] = ipvlan.Mode.ToString().ToLowerInvariant() };
            case BondKindInfo bond:
                return new JsonObject { ["mode"] = BondModeName(bond.Mode) };
            default:
                return null;
        }
    }

    public static string MacvlanModeName(MacvlanMode mode) => mode switch
    {
        MacvlanMode.Private => "private",
        MacvlanMode.Vepa => "vepa",
        MacvlanMode.Bridge => "bridge",
        MacvlanMode.Passthru => "passthru",
        MacvlanMode.Source => "source",
        _ => ((int)mode).ToString(CultureInfo.InvariantCulture),
    };

    public static string BondModeName(BondMode mode) => mode switch
    {
        BondMode.BalanceRoundRobin => "balance-rr",
        BondMode.ActiveBackup => "active-backup",
        BondMode.BalanceXor => "balance-xor",
        BondMode.Broadcast => "broadcast",
        BondMode.Ieee8023ad => "802.3ad",
        BondMode.BalanceTlb => "balance-tlb",
        BondMode.BalanceAlb => "balance-alb",
        _ => ((int)mode).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The two (or more) lines <c>ip link show</c> prints for a link (<paramref name="showQueue"/> false: as <c>ip monitor</c> prints it, without the queue length).</summary>
    public static void Text(StringBuilder text, LinkInfo link, IReadOnlyDictionary<int, LinkInfo> byIndex, bool linkCommand, bool details, bool linkLayer = true, bool showQueue = true)
    {
        text.Append(CultureInfo.InvariantCulture, $"{link.Index}: {link.Name}");
        if (link.ParentIndex is int parent)
        {
            text.Append('@').Append(parent == 0 ? "NONE" : link.LinkNamespaceId is not null ? "if" + parent.ToString(CultureInfo.InvariantCulture) : NameOf(byIndex, parent));
        }

        text.Append(CultureInfo.InvariantCulture, $": <{string.Join(",", Names.LinkFlagWords(link.Flags, MasterDown(link, byIndex)))}> mtu {link.Mtu}");
        if (link.QueueingDiscipline is { } qdisc)
        {
            text.Append(" qdisc ").Append(qdisc);
        }

        if (link.MasterIndex is int master)
        {
            text.Append(" master ").Append(NameOf(byIndex, master));
        }

        text.Append(CultureInfo.InvariantCulture, $" state {Names.OperState(link.OperationalState)}");
        if (linkCommand)
        {
            text.Append(" mode ").Append(Names.LinkModeName(link.Mode));
        }

        // ip monitor prints neither the mode nor the queue length, and leaves the space after the group.
        text.Append(CultureInfo.InvariantCulture, $" group {Group(link.Group)} ");
        if (showQueue)
        {
            text.Append(CultureInfo.InvariantCulture, $"qlen {link.TransmitQueueLength}");
        }

        text.AppendLine();
        if (!linkLayer)
        {
            return;
        }

        text.Append("    link/").Append(Names.LinkType(link.HardwareType));
        if (HardwareAddress(link, link.Address) is { } address)
        {
            text.Append(' ').Append(address);
        }

        if (HardwareAddress(link, link.BroadcastAddress) is { } broadcast)
        {
            text.Append((link.Flags & LinkFlags.PointToPoint) != 0 ? " peer " : " brd ").Append(broadcast);
        }

        if (link.LinkNamespaceId is int nsid)
        {
            text.Append(CultureInfo.InvariantCulture, $" link-netnsid {nsid}");
        }

        if (details)
        {
            text.Append(CultureInfo.InvariantCulture, $" promiscuity {link.Promiscuity}");
            if (link.MinMtu is int min && link.MaxMtu is int max)
            {
                text.Append(CultureInfo.InvariantCulture, $" minmtu {min} maxmtu {max}");
            }

            if (link.Kind is { } kind)
            {
                text.AppendLine().Append("    ").Append(kind);
                if (KindData(link, byIndex) is { } data)
                {
                    foreach ((string key, JsonNode? value) in data)
                    {
                        // ip's text words differ from its JSON keys for a few vxlan settings.
                        string word = (kind, key, value?.ToString()) switch
                        {
                            ("vxlan", "port", var v) => $"dstport {v}",
                            ("vxlan", "learning", "true") => "learning",
                            ("vxlan", "learning", _) => "nolearning",
                            ("vxlan", "ttl", "0") => "ttl auto",
                            ("vxlan", "link", var v) => $"dev {v}",
                            (_, _, var v) => $"{key} {v}",
                        };
                        text.Append(' ').Append(word);
                    }
                }
            }

            if (link.PortKind is { } portKind)
            {
                text.AppendLine().Append("    ").Append(portKind).Append("_slave");
            }
        }

        if (linkCommand && link.Alias is { } alias)
        {
            text.AppendLine().Append("    alias ").Append(alias);
        }

        foreach (string altname in link.AlternativeNames)
        {
            text.AppendLine().Append("    altname ").Append(altname);
        }

        text.AppendLine();
    }

    /// <summary>The <c>stats64</c> object of <c>ip -j -s</c>: one level of counters; <c>compressed</c> only when non-zero.</summary>
    public static JsonObject StatisticsJson(LinkStatistics s)
    {
        var rx = new JsonObject
        {
            ["bytes"] = s.RxBytes,
            ["packets"] = s.RxPackets,
            ["errors"] = s.RxErrors,
            ["dropped"] = s.RxDropped,
            ["over_errors"] = s.RxOverErrors,
            ["multicast"] = s.Multicast,
        };
        if (s.RxCompressed != 0)
        {
            rx["compressed"] = s.RxCompressed;
        }

        var tx = new JsonObject
        {
            ["bytes"] = s.TxBytes,
            ["packets"] = s.TxPackets,
            ["errors"] = s.TxErrors,
            ["dropped"] = s.TxDropped,
            ["carrier_errors"] = s.TxCarrierErrors,
            ["collisions"] = s.Collisions,
        };
        if (s.TxCompressed != 0)
        {
            tx["compressed"] = s.TxCompressed;
        }

        return new JsonObject { ["rx"] = rx, ["tx"] = tx };
    }

    /// <summary>
    /// The four lines <c>ip -s</c> prints under a link, with iproute2's column sizing: each column as wide as its
    /// header or its widest number (the first column's header starts four characters into it).
    /// </summary>
    public static void StatisticsText(StringBuilder text, LinkStatistics s)
    {
        ulong[] rx = [s.RxBytes, s.RxPackets, s.RxErrors, s.RxDropped, s.RxMissedErrors, s.Multicast, s.RxCompressed];
        ulong[] tx = [s.TxBytes, s.TxPackets, s.TxErrors, s.TxDropped, s.TxCarrierErrors, s.Collisions, s.TxCompressed];
        int[] widths = ["*X errors:".Length, "packets".Length, "errors".Length, "dropped".Length, "heartbt".Length, "overrun".Length, "compressed".Length];
        for (int i = 0; i < widths.Length; i++)
        {
            widths[i] = Math.Max(widths[i], Math.Max(Digits(rx[i]), Digits(tx[i])));
        }

        Counters(text, "RX", ["bytes", "packets", "errors", "dropped", "missed", "mcast"], rx, widths);
        Counters(text, "TX", ["bytes", "packets", "errors", "dropped", "carrier", "collsns"], tx, widths);
    }

    private static void Counters(StringBuilder text, string direction, string[] headers, ulong[] values, int[] widths)
    {
        text.Append("    ").Append(direction).Append(": ").Append(headers[0].PadLeft(widths[0] - 4));
        for (int i = 1; i < headers.Length; i++)
        {
            text.Append(' ').Append(headers[i].PadLeft(widths[i]));
        }

        text.Append(' ').Append((values[6] != 0 ? "compressed" : string.Empty).PadLeft(widths[6])).AppendLine();
        text.Append("    ");
        for (int i = 0; i < headers.Length; i++)
        {
            text.Append(values[i].ToString(CultureInfo.InvariantCulture).PadLeft(widths[i])).Append(' ');
        }

        if (values[6] != 0)
        {
            text.Append(values[6].ToString(CultureInfo.InvariantCulture).PadLeft(widths[6])).Append(' ');
        }

        text.AppendLine();
    }

    private static int Digits(ulong value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
