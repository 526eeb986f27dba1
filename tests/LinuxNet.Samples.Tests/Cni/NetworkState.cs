using System.Text.Json;
using System.Text.Json.Nodes;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Cni;

/// <summary>
/// A namespace's links, addresses, routes and bridge ports as <c>ip -j</c> and <c>bridge -j</c> print them, with what
/// differs between any two runs taken out: interface indexes, MACs (and the IPv6 link-local addresses made from them),
/// the random host-veth names (all become <c>veth*</c>), timers. Each part is a sorted list of JSON lines.
/// </summary>
internal sealed record NetworkState(string Links, string Addresses, string Routes, string BridgePorts)
{
    private static readonly string[] LinkFields =
        ["ifname", "link", "flags", "mtu", "qdisc", "master", "operstate", "linkmode", "group", "txqlen", "link_type", "broadcast", "link_netnsid", "promiscuity", "allmulti", "min_mtu", "max_mtu", "num_tx_queues", "num_rx_queues"];

    private static readonly string[] BridgeFields = ["forward_delay", "hello_time", "max_age", "ageing_time", "stp_state", "priority", "vlan_filtering", "vlan_protocol", "mcast_snooping"];

    private static readonly string[] PortFields = ["state", "priority", "cost", "hairpin", "guard", "learning", "flood", "proxy_arp", "isolated"];

    /// <summary>Reads the state until two reads half a second apart agree (carrier and operstate settle asynchronously), at most 8 s.</summary>
    public static NetworkState Settled(NetNamespace ns)
    {
        NetworkState previous = Read(ns);
        for (int i = 0; i < 16; i++)
        {
            Thread.Sleep(500);
            NetworkState current = Read(ns);
            if (current == previous)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    public static NetworkState Read(NetNamespace ns)
    {
        var links = new List<string>();
        foreach (JsonElement link in IpOracle.Json(ns, "-d", "link", "show").EnumerateArray())
        {
            var o = new JsonObject();
            foreach (string field in LinkFields)
            {
                if (link.TryGetProperty(field, out JsonElement value))
                {
                    o[field] = JsonNode.Parse(value.GetRawText());
                }
            }

            if (link.TryGetProperty("linkinfo", out JsonElement info))
            {
                Copy(info, o, "info_kind");
                Copy(info, o, "info_slave_kind");
                if (info.TryGetProperty("info_data", out JsonElement data))
                {
                    foreach (string field in BridgeFields)
                    {
                        Copy(data, o, field, "bridge_");
                    }
                }

                if (info.TryGetProperty("info_slave_data", out JsonElement port))
                {
                    foreach (string field in PortFields)
                    {
                        Copy(port, o, field, "port_");
                    }
                }
            }

            links.Add(Normalize(o));
        }

        var addresses = new List<string>();
        foreach (JsonElement link in IpOracle.Json(ns, "addr", "show").EnumerateArray())
        {
            string name = VethName(link.GetProperty("ifname").GetString()!);
            foreach (JsonElement address in link.GetProperty("addr_info").EnumerateArray())
            {
                if (address.GetProperty("family").GetString() == "inet6" && address.GetProperty("scope").GetString() == "link")
                {
                    continue;
                }

                var o = JsonNode.Parse(address.GetRawText())!.AsObject();
                o["dev"] = name;
                addresses.Add(Normalize(o));
            }
        }

        var routes = new List<string>();
        foreach (string family in (string[])["-4", "-6"])
        {
            foreach (JsonElement route in IpOracle.Json(ns, family, "route", "show", "table", "all").EnumerateArray())
            {
                string dst = route.GetProperty("dst").GetString()!;
                if (dst.StartsWith("fe80:", StringComparison.Ordinal) && dst != "fe80::/64")
                {
                    continue;
                }

                routes.Add(Normalize(JsonNode.Parse(route.GetRawText())!.AsObject()));
            }
        }

        var ports = new List<string>();
        string bridge = IpOracle.Execute(ns, "bridge", "-j", "link", "show");
        using JsonDocument bridgePorts = JsonDocument.Parse(string.IsNullOrWhiteSpace(bridge) ? "[]" : bridge);
        foreach (JsonElement port in bridgePorts.RootElement.EnumerateArray())
        {
            var o = JsonNode.Parse(port.GetRawText())!.AsObject();
            o.Remove("ifindex");
            ports.Add(Normalize(o));
        }

        return new NetworkState(Join(links), Join(addresses), Join(routes), Join(ports));
    }

    /// <summary>Every link name in the namespace.</summary>
    public static IReadOnlyList<string> LinkNames(NetNamespace ns)
        => IpOracle.Json(ns, "link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).ToArray();

    private static string Join(List<string> lines)
    {
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static void Copy(JsonElement from, JsonObject to, string field, string prefix = "")
    {
        if (from.TryGetProperty(field, out JsonElement value))
        {
            to[prefix + field] = JsonNode.Parse(value.GetRawText());
        }
    }

    private static string Normalize(JsonObject o)
    {
        foreach (string field in (string[])["ifname", "dev", "label", "link"])
        {
            if (o[field] is JsonValue value && value.TryGetValue(out string? name))
            {
                o[field] = VethName(name);
            }
        }

        return o.ToJsonString();
    }

    private static string VethName(string name) => name.StartsWith("veth", StringComparison.Ordinal) ? "veth*" : name;
}
