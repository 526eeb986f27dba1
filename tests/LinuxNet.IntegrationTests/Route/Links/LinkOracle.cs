using System.Net.NetworkInformation;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Links;

/// <summary>Reads links with <c>ip -j -d link show</c> and compares them with LinuxNet's <see cref="LinkInfo"/>.</summary>
internal static class LinkOracle
{
    private static readonly (string Name, LinkFlags Flag)[] FlagNames =
    [
        ("LOOPBACK", LinkFlags.Loopback), ("BROADCAST", LinkFlags.Broadcast), ("POINTOPOINT", LinkFlags.PointToPoint),
        ("MULTICAST", LinkFlags.Multicast), ("NOARP", LinkFlags.NoArp), ("ALLMULTI", LinkFlags.AllMulticast),
        ("PROMISC", LinkFlags.Promiscuous), ("MASTER", LinkFlags.Master), ("SLAVE", LinkFlags.Slave), ("DEBUG", LinkFlags.Debug),
        ("DYNAMIC", LinkFlags.Dynamic), ("AUTOMEDIA", LinkFlags.AutoMedia), ("PORTSEL", LinkFlags.PortSelect),
        ("NOTRAILERS", LinkFlags.NoTrailers), ("UP", LinkFlags.Up), ("LOWER_UP", LinkFlags.LowerUp), ("DORMANT", LinkFlags.Dormant),
        ("ECHO", LinkFlags.Echo),
    ];

    public static JsonElement[] Show(NetNamespace ns) => IpOracle.Json(ns, "-d", "link", "show").EnumerateArray().ToArray();

    public static JsonElement Show(NetNamespace ns, string name) => IpOracle.Json(ns, "-d", "link", "show", "dev", name)[0];

    public static bool Exists(NetNamespace ns, string name) => Show(ns).Any(l => l.GetProperty("ifname").GetString() == name);

    /// <summary>The flags as ip prints them (RUNNING is never printed; M-DOWN is ip's own annotation).</summary>
    public static string[] FlagSet(LinkFlags flags)
        => FlagNames.Where(f => (flags & f.Flag) != 0).Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    public static string[] FlagSet(JsonElement link)
        => link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).Where(f => f != "M-DOWN").OrderBy(n => n, StringComparer.Ordinal).ToArray();

    public static string Mac(PhysicalAddress? address)
        => address is null ? "" : string.Join(":", address.GetAddressBytes().Select(b => b.ToString("x2")));

    public static string? Kind(JsonElement link)
        => link.TryGetProperty("linkinfo", out JsonElement info) && info.TryGetProperty("info_kind", out JsonElement kind) ? kind.GetString() : null;

    public static JsonElement InfoData(JsonElement link) => link.GetProperty("linkinfo").GetProperty("info_data");

    public static string? Str(JsonElement e, string property) => e.TryGetProperty(property, out JsonElement v) ? v.ToString() : null;

    /// <summary>Asserts the fields ip and LinuxNet both report for a link agree.</summary>
    public static void AssertSame(JsonElement ip, LinkInfo link, IReadOnlyList<LinkInfo> all)
    {
        string? Name(int? index) => index is int i ? all.FirstOrDefault(l => l.Index == i)?.Name : null;
        Assert.Multiple(() =>
        {
            Assert.That(link.Index, Is.EqualTo(ip.GetProperty("ifindex").GetInt32()), "ifindex");
            Assert.That(link.Name, Is.EqualTo(ip.GetProperty("ifname").GetString()), "ifname");
            Assert.That(link.Kind, Is.EqualTo(Kind(ip)), "kind");
            Assert.That(link.Mtu, Is.EqualTo(ip.GetProperty("mtu").GetInt32()), "mtu");
            Assert.That(FlagSet(link.Flags), Is.EqualTo(FlagSet(ip)), "flags");
            Assert.That(Mac(link.Address), Is.EqualTo(Str(ip, "address") ?? ""), "address");
            Assert.That(Mac(link.BroadcastAddress), Is.EqualTo(Str(ip, "broadcast") ?? ""), "broadcast");
            Assert.That(link.OperationalState.ToString().ToUpperInvariant(), Is.EqualTo(ip.GetProperty("operstate").GetString()!.Replace("_", "")), "operstate");
            Assert.That(link.Mode.ToString().ToUpperInvariant(), Is.EqualTo(ip.GetProperty("linkmode").GetString()), "linkmode");
            Assert.That(link.TransmitQueueLength, Is.EqualTo(ip.GetProperty("txqlen").GetInt32()), "txqlen");
            Assert.That(Name(link.MasterIndex), Is.EqualTo(Str(ip, "master")), "master");
            Assert.That(link.Alias, Is.EqualTo(Str(ip, "ifalias")), "alias");
            Assert.That(link.MinMtu, Is.EqualTo(ip.TryGetProperty("min_mtu", out JsonElement min) ? min.GetInt32() : null), "min_mtu");
            Assert.That(link.MaxMtu, Is.EqualTo(ip.TryGetProperty("max_mtu", out JsonElement max) ? max.GetInt32() : null), "max_mtu");
            if (ip.TryGetProperty("link", out JsonElement parent) && parent.ValueKind == JsonValueKind.String)
            {
                Assert.That(Name(link.ParentIndex), Is.EqualTo(parent.GetString()), "link (parent/peer)");
            }

            if (ip.TryGetProperty("link_index", out JsonElement parentIndex))
            {
                Assert.That(link.ParentIndex, Is.EqualTo(parentIndex.GetInt32()), "link_index");
            }

            if (ip.TryGetProperty("link_netnsid", out JsonElement netnsid))
            {
                Assert.That(link.LinkNamespaceId, Is.EqualTo(netnsid.GetInt32()), "link_netnsid");
            }

            switch (link.KindInfo)
            {
                case VxlanKindInfo vxlan:
                    JsonElement data = InfoData(ip);
                    Assert.That(vxlan.Id, Is.EqualTo(data.GetProperty("id").GetUInt32()), "vxlan id");
                    Assert.That(vxlan.Port, Is.EqualTo(data.GetProperty("port").GetInt32()), "vxlan port");
                    Assert.That(vxlan.Local?.ToString(), Is.EqualTo(Str(data, "local") ?? Str(data, "local6")), "vxlan local");
                    Assert.That(vxlan.Remote?.ToString(), Is.EqualTo(Str(data, "remote") ?? Str(data, "remote6")), "vxlan remote");
                    Assert.That(vxlan.Group?.ToString(), Is.EqualTo(Str(data, "group") ?? Str(data, "group6")), "vxlan group");
                    Assert.That(Name(vxlan.UnderlayIndex), Is.EqualTo(Str(data, "link")), "vxlan dev");
                    Assert.That(vxlan.Learning, Is.EqualTo(data.GetProperty("learning").GetBoolean()), "vxlan learning");
                    break;
                case MacvlanKindInfo macvlan:
                    Assert.That(macvlan.Mode.ToString().ToLowerInvariant(), Is.EqualTo(InfoData(ip).GetProperty("mode").GetString()), "macvlan mode");
                    break;
                case BridgeKindInfo bridge:
                    JsonElement br = InfoData(ip);
                    Assert.That(bridge.ForwardDelay.TotalMilliseconds / 10, Is.EqualTo(br.GetProperty("forward_delay").GetInt32()), "forward_delay");
                    Assert.That(bridge.AgeingTime.TotalMilliseconds / 10, Is.EqualTo(br.GetProperty("ageing_time").GetInt32()), "ageing_time");
                    Assert.That(bridge.StpEnabled ? 1 : 0, Is.EqualTo(br.GetProperty("stp_state").GetInt32()), "stp_state");
                    Assert.That(bridge.Priority, Is.EqualTo(br.GetProperty("priority").GetInt32()), "priority");
                    break;
                case VethKindInfo veth when ip.TryGetProperty("link_index", out JsonElement peer):
                    Assert.That(veth.PeerIndex, Is.EqualTo(peer.GetInt32()), "veth peer index");
                    break;
            }
        });
    }
}
