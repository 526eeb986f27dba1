using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// Runs <c>lnet -n NS … -j</c> and <c>ip -j …</c> on the same fresh named namespace and compares them field by field;
/// creates links, addresses and routes with lnet and checks them with <c>ip -j</c>; checks errors, exit codes and
/// <c>netns exec</c>.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetTests
{
    private string _name = string.Empty;
    private string? _peerName;
    private NetNamespace? _ns;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _name = Privileged.UniqueName();
        _ns = NetNamespace.Create(_name);
        // Tentative IPv6 addresses would change between the lnet and ip reads.
        IpOracle.Execute(_ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
        Ip("link", "set", "lo", "up");
    }

    [TearDown]
    public void TearDown()
    {
        _ns?.Dispose();
        _ns = null;
        foreach (string? name in new[] { _name, _peerName })
        {
            if (name is not null && NetNamespace.Exists(name))
            {
                NetNamespace.Delete(name);
            }
        }
    }

    private string Ip(params string[] args) => IpOracle.Run(_ns!, args);

    private JsonElement IpJson(params string[] args) => IpOracle.Json(_ns!, args);

    private (int Exit, string Out, string Error) Lnet(params string[] args) => LnetHarness.Lnet(_name, args);

    private void LnetOk(params string[] args)
    {
        (int exit, _, string error) = Lnet(args);
        Assert.That(exit, Is.Zero, $"lnet {string.Join(' ', args)}: {error}");
    }

    private JsonElement LnetJson(params string[] args) => LnetHarness.LnetJson(_name, args);

    /// <summary>
    /// Compares <c>lnet -j ARGS</c> with <c>ip -j ARGS</c>. The kernel updates operstate and carrier asynchronously
    /// (linkwatch), so a difference is re-read a few times before it counts; returns lnet's output.
    /// </summary>
    private JsonElement AssertSameAsIp(params string[] args)
    {
        List<string> differences = [];
        JsonElement lnet = default;
        JsonElement ip = default;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            lnet = LnetJson(args);
            ip = IpJson(args);
            differences = JsonSubset.Differences(lnet, ip);
            if (differences.Count == 0)
            {
                break;
            }

            Thread.Sleep(200);
        }

        Assert.That(differences, Is.Empty, $"lnet -j {string.Join(' ', args)}\nlnet: {lnet.GetRawText()}\nip:   {ip.GetRawText()}");
        return lnet;
    }

    private static JsonElement ByField(JsonElement array, string field, string value)
        => array.EnumerateArray().Single(e => e.TryGetProperty(field, out JsonElement v) && v.GetString() == value);

    private void BuildTopology()
    {
        _peerName = Privileged.UniqueName();
        Ip("netns", "add", _peerName);
        Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Ip("link", "add", "br0", "type", "bridge");
        Ip("link", "set", "v1", "master", "br0");
        Ip("link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "198.51.100.1", "remote", "198.51.100.9");
        Ip("link", "add", "m0", "link", "v0", "type", "macvlan", "mode", "bridge");
        Ip("link", "add", "p0", "type", "veth", "peer", "name", "p1");
        Ip("link", "add", "x0", "type", "veth", "peer", "name", "x1", "netns", _peerName);
        Ip("link", "set", "p0", "alias", "point to point");
        foreach (string up in new[] { "v0", "v1", "br0", "p0", "p1", "x0" })
        {
            Ip("link", "set", up, "up");
        }

        Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        Ip("addr", "add", "2001:db8::1/64", "dev", "v0");
        Ip("addr", "add", "203.0.113.1", "peer", "203.0.113.2/32", "dev", "p0");
        Ip("addr", "add", "198.51.100.129/25", "brd", "+", "label", "p0:x", "dev", "p0");
        Ip("addr", "add", "198.51.100.130/25", "dev", "p0");
        Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2", "metric", "50");
        Ip("route", "add", "203.0.113.64/26", "via", "198.51.100.3", "table", "100");
        Ip("route", "add", "unreachable", "203.0.113.250/32", "table", "100");
        Ip("route", "add", "blackhole", "198.51.100.200/32");
        Ip("route", "add", "203.0.113.128/25", "nexthop", "via", "198.51.100.2", "weight", "1", "nexthop", "via", "198.51.100.3", "weight", "2");
        Ip("route", "add", "default", "via", "198.51.100.254", "proto", "static");
        Ip("-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "metric", "100");
        Ip("neigh", "add", "198.51.100.5", "lladdr", "02:00:00:00:00:05", "dev", "v0", "nud", "permanent");
        Ip("neigh", "add", "198.51.100.6", "lladdr", "02:00:00:00:00:06", "dev", "v0", "nud", "noarp");
        Ip("neigh", "add", "198.51.100.7", "lladdr", "02:00:00:00:00:07", "dev", "p0", "nud", "stale", "router");
        Ip("-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:15", "dev", "v0", "nud", "permanent", "router");
        Ip("neigh", "add", "proxy", "198.51.100.44", "dev", "v0");
        Ip("rule", "add", "from", "198.51.100.0/24", "table", "100", "pref", "1000");
        Ip("rule", "add", "fwmark", "0x10/0xff", "lookup", "100", "pref", "1001");
        Ip("rule", "add", "to", "203.0.113.0/24", "blackhole", "pref", "1002");
        Ip("rule", "add", "iif", "v0", "oif", "p0", "lookup", "main", "pref", "1003");
        Ip("rule", "add", "not", "from", "198.51.100.7", "lookup", "100", "pref", "1004");
        Ip("rule", "add", "fwmark", "0x20", "prohibit", "pref", "1005");
        Ip("rule", "add", "from", "all", "lookup", "main", "suppress_prefixlength", "0", "pref", "1006");
        Ip("-6", "rule", "add", "from", "2001:db8::/32", "table", "100", "pref", "2000");
    }

    [Test]
    public void LinkShow_Json_MatchesIp()
    {
        BuildTopology();
        JsonElement links = AssertSameAsIp("link", "show");
        Assert.Multiple(() =>
        {
            Assert.That(links.GetArrayLength(), Is.EqualTo(9), "lo, v0, v1, br0, vx0, m0, p0, p1, x0");
            foreach (JsonElement link in links.EnumerateArray())
            {
                Assert.That(JsonSubset.Missing(link, "ifindex", "ifname", "flags", "mtu", "qdisc", "operstate", "linkmode", "group", "txqlen", "link_type", "address", "broadcast"), Is.Empty, link.GetRawText());
            }

            JsonElement v1 = ByField(links, "ifname", "v1");
            Assert.That(v1.GetProperty("master").GetString(), Is.EqualTo("br0"));
            Assert.That(v1.GetProperty("link").GetString(), Is.EqualTo("v0"));
            Assert.That(ByField(links, "ifname", "m0").GetProperty("link").GetString(), Is.EqualTo("v0"));
            JsonElement x0 = ByField(links, "ifname", "x0");
            Assert.That(JsonSubset.Missing(x0, "link_index", "link_netnsid"), Is.Empty, "a veth whose peer is in another namespace");
            Assert.That(ByField(links, "ifname", "p0").GetProperty("ifalias").GetString(), Is.EqualTo("point to point"));
        });
    }

    [Test]
    public void LinkShow_DetailsJson_MatchesIpLinkInfo()
    {
        BuildTopology();
        foreach (string name in new[] { "vx0", "br0", "m0", "v0", "v1" })
        {
            JsonElement link = AssertSameAsIp("-d", "link", "show", "dev", name)[0];
            Assert.That(link.GetProperty("linkinfo").GetProperty("info_kind").GetString(), Is.Not.Empty, name);
        }

        JsonElement vxlan = LnetJson("-d", "link", "show", "vx0")[0].GetProperty("linkinfo").GetProperty("info_data");
        Assert.That(JsonSubset.Missing(vxlan, "id", "remote", "local", "port", "learning", "ttl"), Is.Empty);
        JsonElement bridge = LnetJson("-d", "link", "show", "br0")[0].GetProperty("linkinfo").GetProperty("info_data");
        Assert.That(JsonSubset.Missing(bridge, "forward_delay", "hello_time", "max_age", "ageing_time", "stp_state", "priority", "vlan_filtering"), Is.Empty);
    }

    [Test]
    public void AddrShow_Json_MatchesIp()
    {
        BuildTopology();
        JsonElement links = AssertSameAsIp("addr", "show");
        JsonElement p0 = ByField(links, "ifname", "p0").GetProperty("addr_info");
        Assert.Multiple(() =>
        {
            foreach (JsonElement address in links.EnumerateArray().SelectMany(l => l.GetProperty("addr_info").EnumerateArray()))
            {
                Assert.That(JsonSubset.Missing(address, "family", "local", "prefixlen", "scope", "valid_life_time", "preferred_life_time"), Is.Empty, address.GetRawText());
            }

            JsonElement peer = ByField(p0, "local", "203.0.113.1");
            Assert.That(peer.GetProperty("address").GetString(), Is.EqualTo("203.0.113.2"));
            JsonElement labelled = ByField(p0, "local", "198.51.100.129");
            Assert.That(labelled.GetProperty("label").GetString(), Is.EqualTo("p0:x"));
            Assert.That(labelled.GetProperty("broadcast").GetString(), Is.EqualTo("198.51.100.255"));
            Assert.That(ByField(p0, "local", "198.51.100.130").GetProperty("secondary").GetBoolean(), Is.True);
        });
        AssertSameAsIp("-6", "addr", "show", "dev", "v0");
        AssertSameAsIp("-4", "addr", "show");
    }

    [Test]
    public void RouteShow_Json_MatchesIp()
    {
        BuildTopology();
        JsonElement main = AssertSameAsIp("route", "show");
        AssertSameAsIp("-6", "route", "show");
        JsonElement table100 = AssertSameAsIp("route", "show", "table", "100");
        AssertSameAsIp("route", "show", "table", "all");
        AssertSameAsIp("-6", "route", "show", "table", "all");
        Assert.Multiple(() =>
        {
            JsonElement viaGateway = ByField(main, "dst", "203.0.113.0/24");
            Assert.That(JsonSubset.Missing(viaGateway, "gateway", "dev", "metric", "flags"), Is.Empty);
            Assert.That(ByField(main, "dst", "198.51.100.200").GetProperty("type").GetString(), Is.EqualTo("blackhole"));
            JsonElement multipath = ByField(main, "dst", "203.0.113.128/25");
            Assert.That(multipath.GetProperty("nexthops").GetArrayLength(), Is.EqualTo(2));
            Assert.That(JsonSubset.Missing(multipath.GetProperty("nexthops")[1], "gateway", "dev", "weight", "flags"), Is.Empty);
            Assert.That(ByField(main, "dst", "default").GetProperty("protocol").GetString(), Is.EqualTo("static"));
            Assert.That(ByField(main, "dst", "198.51.100.0/24").GetProperty("prefsrc").GetString(), Is.EqualTo("198.51.100.1"));
            Assert.That(ByField(table100, "dst", "203.0.113.250").GetProperty("type").GetString(), Is.EqualTo("unreachable"));
        });
    }

    [Test]
    public void NeighShow_Json_MatchesIp()
    {
        BuildTopology();
        JsonElement entries = AssertSameAsIp("neigh", "show");
        AssertSameAsIp("neigh", "show", "dev", "v0");
        AssertSameAsIp("neigh", "show", "nud", "all");
        AssertSameAsIp("neigh", "show", "proxy");
        AssertSameAsIp("-6", "neigh", "show");
        Assert.Multiple(() =>
        {
            JsonElement permanent = ByField(entries, "dst", "198.51.100.5");
            Assert.That(JsonSubset.Missing(permanent, "dst", "dev", "lladdr", "state"), Is.Empty);
            Assert.That(permanent.GetProperty("state")[0].GetString(), Is.EqualTo("PERMANENT"));
            Assert.That(JsonSubset.Missing(ByField(entries, "dst", "198.51.100.7"), "router"), Is.Empty);
            Assert.That(entries.EnumerateArray().Any(e => e.GetProperty("dst").GetString() == "198.51.100.6"), Is.False, "NOARP entries are hidden, as by ip");
            Assert.That(JsonSubset.Missing(LnetJson("neigh", "show", "proxy")[0], "proxy"), Is.Empty);
        });
    }

    [Test]
    public void RuleShow_Json_MatchesIp()
    {
        BuildTopology();
        JsonElement rules = AssertSameAsIp("rule", "show");
        AssertSameAsIp("-6", "rule", "show");
        JsonElement Rule(uint priority) => rules.EnumerateArray().Single(r => r.GetProperty("priority").GetUInt32() == priority);
        Assert.Multiple(() =>
        {
            Assert.That(JsonSubset.Missing(Rule(1000), "priority", "src", "srclen", "table"), Is.Empty);
            Assert.That(JsonSubset.Missing(Rule(1001), "fwmark", "fwmask", "table"), Is.Empty);
            Assert.That(JsonSubset.Missing(Rule(1002), "dst", "dstlen", "action"), Is.Empty);
            Assert.That(JsonSubset.Missing(Rule(1003), "iif", "oif"), Is.Empty);
            Assert.That(JsonSubset.Missing(Rule(1004), "not", "table"), Is.Empty);
            Assert.That(JsonSubset.Missing(Rule(1006), "suppress_prefixlen"), Is.Empty);
            Assert.That(Rule(32766).GetProperty("table").GetString(), Is.EqualTo("main"));
        });
    }

    [Test]
    public void RuleFlush_LeavesWhatIpRuleFlushLeaves()
    {
        BuildTopology();
        LnetOk("rule", "flush");
        Assert.Multiple(() =>
        {
            Assert.That(IpJson("rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new[] { 0u }), "ip rule flush keeps priority 0 only");
            Assert.That(IpJson("-6", "rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new[] { 0u, 2000u, 32766u }), "IPv4 only without -6");
        });
        LnetOk("-6", "rule", "flush");
        Assert.That(IpJson("-6", "rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new[] { 0u }));
    }

    [Test]
    public void NeighAndRuleCommands_Create_IpSeesTheResult()
    {
        Ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
        LnetOk("neigh", "add", "198.51.100.5", "lladdr", "02:00:00:00:00:05", "dev", "a0", "nud", "permanent");
        LnetOk("n", "add", "198.51.100.6", "lladdr", "02:00:00:00:00:06", "dev", "a0", "nud", "reachable", "router");
        LnetOk("neigh", "replace", "198.51.100.5", "lladdr", "02:00:00:00:00:55", "dev", "a0", "nud", "permanent");
        LnetOk("neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:15", "dev", "a0");
        LnetOk("neigh", "add", "proxy", "198.51.100.44", "dev", "a0");
        LnetOk("rule", "add", "from", "198.51.100.0/24", "table", "100", "pref", "1000");
        LnetOk("rule", "add", "fwmark", "0x10/0xff", "lookup", "100", "priority", "1001");
        LnetOk("rule", "add", "to", "203.0.113.0/24", "blackhole", "pref", "1002");
        LnetOk("rule", "add", "iif", "a0", "oif", "a1", "table", "main", "pref", "1003");
        LnetOk("-6", "rule", "add", "from", "2001:db8::/32", "lookup", "100", "pref", "2000");

        JsonElement neighbours = IpJson("neigh", "show");
        JsonElement rules = IpJson("rule", "show");
        JsonElement Rule(uint priority) => rules.EnumerateArray().Single(r => r.GetProperty("priority").GetUInt32() == priority);
        Assert.Multiple(() =>
        {
            Assert.That(ByField(neighbours, "dst", "198.51.100.5").GetProperty("lladdr").GetString(), Is.EqualTo("02:00:00:00:00:55"));
            JsonElement router = ByField(neighbours, "dst", "198.51.100.6");
            Assert.That(router.GetProperty("state")[0].GetString(), Is.EqualTo("REACHABLE"));
            Assert.That(router.TryGetProperty("router", out _), Is.True);
            Assert.That(ByField(neighbours, "dst", "2001:db8::5").GetProperty("state")[0].GetString(), Is.EqualTo("PERMANENT"), "ip neigh add's default state");
            Assert.That(ByField(IpJson("neigh", "show", "proxy"), "dst", "198.51.100.44").TryGetProperty("proxy", out _), Is.True);
            Assert.That(Rule(1000).GetProperty("src").GetString(), Is.EqualTo("198.51.100.0"));
            Assert.That(Rule(1000).GetProperty("srclen").GetInt32(), Is.EqualTo(24));
            Assert.That(Rule(1001).GetProperty("fwmask").GetString(), Is.EqualTo("0xff"));
            Assert.That(Rule(1002).GetProperty("action").GetString(), Is.EqualTo("blackhole"));
            Assert.That(Rule(1003).GetProperty("oif").GetString(), Is.EqualTo("a1"));
            Assert.That(IpJson("-6", "rule", "show").EnumerateArray().Any(r => r.GetProperty("priority").GetUInt32() == 2000), Is.True);
        });
        AssertSameAsIp("neigh", "show");
        AssertSameAsIp("rule", "show");

        LnetOk("neigh", "del", "198.51.100.6", "dev", "a0");
        LnetOk("neigh", "add", "198.51.100.8", "lladdr", "02:00:00:00:00:08", "dev", "a0", "nud", "stale");
        LnetOk("neigh", "flush", "dev", "a0");
        LnetOk("rule", "del", "pref", "1002");
        LnetOk("rule", "del", "from", "198.51.100.0/24", "table", "100");
        Assert.Multiple(() =>
        {
            IEnumerable<string?> left = IpJson("neigh", "show").EnumerateArray().Select(n => n.GetProperty("dst").GetString());
            Assert.That(left, Does.Not.Contain("198.51.100.6").And.Not.Contain("198.51.100.8"), "deleted, and flushed (stale)");
            Assert.That(left, Does.Contain("198.51.100.5"), "flush keeps permanent entries, as ip's");
            Assert.That(IpJson("rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Does.Not.Contain(1002u).And.Not.Contain(1000u));
        });
    }

    [Test]
    public void Monitor_Json_PrintsOneObjectPerChangeUntilCancelled()
    {
        var output = new StringWriter();
        TextWriter synchronized = TextWriter.Synchronized(output);
        using var cancel = new CancellationTokenSource();
        Task<int> monitor = Task.Run(() => LinuxNet.Samples.Lnet.Lnet.Run(["-n", _name, "-j", "monitor", "link", "address", "route", "neigh", "rule"], synchronized, synchronized, cancel.Token));
        try
        {
            // The subscription starts asynchronously: poke the namespace until a first event shows the monitor listens.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            for (int i = 0; !Read(synchronized, output).Contains("\"ifname\":\"w", StringComparison.Ordinal) && DateTime.UtcNow < deadline; i++)
            {
                Ip("link", "add", $"w{i}", "type", "veth", "peer", "name", $"w{i}p");
                Thread.Sleep(100);
            }

            Ip("link", "set", "w0", "up");
            Ip("addr", "add", "198.51.100.1/24", "dev", "w0");
            Ip("neigh", "add", "198.51.100.5", "lladdr", "02:00:00:00:00:05", "dev", "w0");
            Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2", "dev", "w0");
            Ip("rule", "add", "to", "203.0.113.0/24", "lookup", "100", "pref", "1000");
            Ip("rule", "del", "pref", "1000");
            string[] expected = ["\"local\":\"198.51.100.1\"", "\"lladdr\":\"02:00:00:00:00:05\"", "\"dst\":\"203.0.113.0/24\"", "\"deleted\":true,\"priority\":1000"];
            while (DateTime.UtcNow < deadline && !expected.All(e => Read(synchronized, output).Contains(e, StringComparison.Ordinal)))
            {
                Thread.Sleep(100);
            }
        }
        finally
        {
            cancel.Cancel();
        }

        Assert.That(monitor.Wait(TimeSpan.FromSeconds(10)), Is.True, "monitor ends on cancellation");
        string[] lines = Read(synchronized, output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement[] events = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(monitor.Result, Is.Zero);
            Assert.That(events.Any(e => e.TryGetProperty("ifname", out JsonElement n) && n.GetString() == "w0" && e.TryGetProperty("flags", out _)), Is.True, "link event");
            Assert.That(events.Any(e => e.TryGetProperty("addr_info", out JsonElement a) && a[0].GetProperty("local").GetString() == "198.51.100.1"), Is.True, "address event");
            Assert.That(events.Any(e => e.TryGetProperty("lladdr", out JsonElement l) && l.GetString() == "02:00:00:00:00:05"), Is.True, "neighbour event");
            Assert.That(events.Any(e => e.TryGetProperty("gateway", out JsonElement g) && g.GetString() == "198.51.100.2"), Is.True, "route event");
            Assert.That(events.Count(e => e.TryGetProperty("priority", out JsonElement p) && p.GetUInt32() == 1000), Is.EqualTo(2), "rule added and deleted");
            Assert.That(events.Any(e => e.TryGetProperty("deleted", out JsonElement d) && d.GetBoolean() && e.TryGetProperty("priority", out _)), Is.True);
        });
    }

    /// <summary>What the monitor wrote so far; SyncTextWriter locks on itself, so reading under that lock is consistent.</summary>
    private static string Read(TextWriter synchronized, StringWriter output)
    {
        lock (synchronized)
        {
            return output.ToString();
        }
    }

    [Test]
    public void RouteGet_Json_AgreesWithIpOnDeviceGatewayAndSource()
    {
        BuildTopology();
        JsonElement lnet = LnetJson("route", "get", "198.51.100.77")[0];
        JsonElement ip = IpJson("route", "get", "198.51.100.77")[0];
        Assert.Multiple(() =>
        {
            foreach (string field in new[] { "dst", "dev", "prefsrc" })
            {
                Assert.That(lnet.GetProperty(field).GetString(), Is.EqualTo(ip.GetProperty(field).GetString()), field);
            }
        });
    }

    [Test]
    public void RouteGet_WithMarkAndFibMatch_AgreesWithIp()
    {
        BuildTopology();
        Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.3", "table", "100");
        Ip("rule", "add", "fwmark", "7", "table", "100");
        Ip("rule", "add", "uidrange", "1000-1000", "table", "100"); // ahead of the topology's blackhole rule for 203.0.113.0/24
        foreach (string[] words in new[]
        {
            new[] { "route", "get", "203.0.113.5", "mark", "7" },
            new[] { "route", "get", "fibmatch", "203.0.113.5", "mark", "7" },
            new[] { "route", "get", "203.0.113.5", "from", "198.51.100.1", "ipproto", "udp", "dport", "53" },
            new[] { "route", "get", "203.0.113.5", "uid", "1000" },
            new[] { "route", "get", "198.51.100.1" },     // local: cache <local>
            new[] { "route", "get", "198.51.100.255" },   // broadcast: cache <local,brd>
        })
        {
            // The whole answer, JSON and text: mark, uid and the cache line of a resolved (cloned) route included.
            AssertSameAsIp(words);
            (int exit, string text, string error) = Lnet(words);
            Assert.That(exit, Is.Zero, error);
            Assert.That(text, Is.EqualTo(Ip(words)), string.Join(' ', words));
        }
    }

    [Test]
    public void LinkCommands_CreateAndChange_IpSeesTheResult()
    {
        LnetOk("link", "add", "a0", "type", "veth", "peer", "name", "a1");
        LnetOk("link", "add", "br9", "type", "bridge", "stp_state", "0", "forward_delay", "400");
        LnetOk("link", "add", "vx9", "type", "vxlan", "id", "99", "dstport", "4789", "local", "203.0.113.1", "remote", "203.0.113.9");
        LnetOk("link", "add", "link", "a0", "name", "mv9", "type", "macvlan", "mode", "private");
        LnetOk("link", "add", "ifb9", "type", "ifb");
        LnetOk("link", "set", "a1", "master", "br9");
        LnetOk("link", "set", "dev", "a0", "mtu", "1400", "address", "02:00:00:00:00:a0", "alias", "lab side", "up");
        LnetOk("link", "set", "ifb9", "name", "ifb8", "txqueuelen", "77", "promisc", "on", "mode", "dormant");
        LnetOk("link", "del", "mv9");

        JsonElement links = IpJson("-d", "link", "show");
        Assert.Multiple(() =>
        {
            JsonElement a0 = ByField(links, "ifname", "a0");
            Assert.That(a0.GetProperty("mtu").GetInt32(), Is.EqualTo(1400));
            Assert.That(a0.GetProperty("address").GetString(), Is.EqualTo("02:00:00:00:00:a0"));
            Assert.That(a0.GetProperty("ifalias").GetString(), Is.EqualTo("lab side"));
            Assert.That(a0.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Contain("UP"));
            Assert.That(a0.GetProperty("linkinfo").GetProperty("info_kind").GetString(), Is.EqualTo("veth"));
            Assert.That(ByField(links, "ifname", "a1").GetProperty("master").GetString(), Is.EqualTo("br9"));
            Assert.That(ByField(links, "ifname", "ifb8").GetProperty("linkmode").GetString(), Is.EqualTo("DORMANT"));
            Assert.That(ByField(links, "ifname", "br9").GetProperty("linkinfo").GetProperty("info_data").GetProperty("forward_delay").GetInt32(), Is.EqualTo(400));
            JsonElement vxlan = ByField(links, "ifname", "vx9").GetProperty("linkinfo").GetProperty("info_data");
            Assert.That(vxlan.GetProperty("id").GetInt32(), Is.EqualTo(99));
            Assert.That(vxlan.GetProperty("remote").GetString(), Is.EqualTo("203.0.113.9"));
            Assert.That(vxlan.GetProperty("port").GetInt32(), Is.EqualTo(4789));
            JsonElement ifb = ByField(links, "ifname", "ifb8");
            Assert.That(ifb.GetProperty("txqlen").GetInt32(), Is.EqualTo(77));
            Assert.That(ifb.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Contain("PROMISC"));
            Assert.That(links.EnumerateArray().Any(l => l.GetProperty("ifname").GetString() == "mv9"), Is.False, "deleted");
        });
        AssertSameAsIp("-d", "link", "show");
    }

    [Test]
    public void LinkSet_Netns_MovesTheLinkIntoTheNamedNamespace()
    {
        _peerName = Privileged.UniqueName();
        LnetOk("netns", "add", _peerName);
        LnetOk("link", "add", "mv0", "type", "veth", "peer", "name", "mv1");
        LnetOk("link", "set", "mv1", "netns", _peerName);
        using NetNamespace peer = NetNamespace.Open(_peerName);
        Assert.Multiple(() =>
        {
            Assert.That(IpOracle.Json(peer, "link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()), Does.Contain("mv1"));
            Assert.That(IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()), Does.Not.Contain("mv1"));
        });
    }

    [Test]
    public void AddrAndRouteCommands_Create_IpSeesTheResult()
    {
        Ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
        Ip("link", "set", "a0", "up");
        Ip("link", "set", "a1", "up");
        LnetOk("addr", "add", "198.51.100.1/24", "dev", "a0");
        LnetOk("address", "add", "203.0.113.1", "peer", "203.0.113.2/32", "dev", "a0");
        LnetOk("a", "add", "198.51.100.129/25", "brd", "+", "label", "a0:lab", "dev", "a0");
        LnetOk("addr", "add", "2001:db8::1/64", "dev", "a0", "nodad");
        LnetOk("route", "add", "203.0.113.0/24", "via", "198.51.100.2", "metric", "50");
        LnetOk("r", "add", "203.0.113.64/26", "via", "198.51.100.3", "dev", "a0", "table", "100", "proto", "static");
        LnetOk("route", "add", "blackhole", "198.51.100.200");
        LnetOk("route", "add", "203.0.113.128/25", "nexthop", "via", "198.51.100.2", "weight", "1", "nexthop", "via", "198.51.100.3", "weight", "3");
        LnetOk("route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "metric", "100");
        LnetOk("route", "add", "default", "via", "198.51.100.254", "mtu", "1400");
        LnetOk("route", "replace", "203.0.113.0/24", "via", "198.51.100.4", "metric", "50");

        JsonElement addresses = IpJson("addr", "show", "dev", "a0")[0].GetProperty("addr_info");
        JsonElement routes = IpJson("route", "show");
        Assert.Multiple(() =>
        {
            Assert.That(ByField(addresses, "local", "203.0.113.1").GetProperty("address").GetString(), Is.EqualTo("203.0.113.2"));
            JsonElement labelled = ByField(addresses, "local", "198.51.100.129");
            Assert.That(labelled.GetProperty("label").GetString(), Is.EqualTo("a0:lab"));
            Assert.That(labelled.GetProperty("broadcast").GetString(), Is.EqualTo("198.51.100.255"));
            Assert.That(ByField(addresses, "local", "2001:db8::1").GetProperty("prefixlen").GetInt32(), Is.EqualTo(64));
            JsonElement replaced = ByField(routes, "dst", "203.0.113.0/24");
            Assert.That(replaced.GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.4"));
            Assert.That(replaced.GetProperty("metric").GetInt32(), Is.EqualTo(50));
            Assert.That(ByField(routes, "dst", "198.51.100.200").GetProperty("type").GetString(), Is.EqualTo("blackhole"));
            JsonElement hops = ByField(routes, "dst", "203.0.113.128/25").GetProperty("nexthops");
            Assert.That(hops[1].GetProperty("weight").GetInt32(), Is.EqualTo(3));
            Assert.That(ByField(routes, "dst", "default").GetProperty("metrics")[0].GetProperty("mtu").GetInt32(), Is.EqualTo(1400));
            JsonElement table100 = IpJson("route", "show", "table", "100")[0];
            Assert.That(table100.GetProperty("protocol").GetString(), Is.EqualTo("static"));
            Assert.That(ByField(IpJson("-6", "route", "show"), "dst", "2001:db8:1::/48").GetProperty("gateway").GetString(), Is.EqualTo("2001:db8::2"));
        });
        AssertSameAsIp("route", "show");
        AssertSameAsIp("addr", "show");

        LnetOk("route", "del", "203.0.113.128/25");
        LnetOk("addr", "del", "198.51.100.129/25", "dev", "a0");
        Assert.Multiple(() =>
        {
            Assert.That(IpJson("route", "show").EnumerateArray().Select(r => r.GetProperty("dst").GetString()), Does.Not.Contain("203.0.113.128/25"));
            Assert.That(IpJson("addr", "show", "dev", "a0")[0].GetProperty("addr_info").EnumerateArray().Select(a => a.GetProperty("local").GetString()), Does.Not.Contain("198.51.100.129"));
        });
        LnetOk("-4", "addr", "flush", "dev", "a0");
        Assert.That(IpJson("-4", "addr", "show", "dev", "a0").GetArrayLength(), Is.Zero, "ip -4 lists no link without IPv4 addresses");
    }

    [Test]
    public void AddrAdd_Duplicate_FailsLikeIp()
    {
        Ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
        LnetOk("addr", "add", "198.51.100.1/24", "dev", "a0");
        (int exit, string output, string error) = Lnet("addr", "add", "198.51.100.1/24", "dev", "a0");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2), "ip exits 2 when the kernel refuses");
            Assert.That(error, Does.StartWith("Error:").Or.StartWith("RTNETLINK answers:"));
            Assert.That(output, Is.Empty);
        });
    }

    [Test]
    public void LinkAdd_Duplicate_PrintsTheErrnoTextWithoutExtendedAck()
    {
        Ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
        (int exit, _, string error) = Lnet("link", "add", "a0", "type", "veth", "peer", "name", "a2");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim(), Is.EqualTo("RTNETLINK answers: File exists"));
        });
    }

    [TestCase(new[] { "frobnicate" }, 1, "Object \"frobnicate\" is unknown")]
    [TestCase(new[] { "link", "frobnicate" }, 255, "Command \"frobnicate\" is unknown")]
    [TestCase(new[] { "link", "set", "nosuch0", "up" }, 1, "Cannot find device \"nosuch0\"")]
    [TestCase(new[] { "addr", "add", "198.51.100.1/33", "dev", "lo" }, 1, "Error: any valid prefix is expected")]
    [TestCase(new[] { "route", "add", "203.0.113.0/24", "via" }, 255, "Command line is not complete")]
    [TestCase(new[] { "link", "add", "z0", "type", "veth" }, 255, "peer")]
    public void Run_BadUsage_ExitsNonZeroWithAMessage(string[] args, int expectedExit, string expectedMessage)
    {
        (int exit, string output, string error) = Lnet(args);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(expectedExit));
            Assert.That(error, Does.Contain(expectedMessage));
            Assert.That(output, Is.Empty);
        });
    }

    [Test]
    public void Run_UnknownNamespace_FailsLikeIp()
    {
        var stderr = new StringWriter();
        int exit = LinuxNet.Samples.Lnet.Lnet.Run(["-n", Privileged.UniqueName(), "link"], new StringWriter(), stderr);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(255));
            Assert.That(stderr.ToString(), Does.StartWith("Cannot open network namespace").And.Contain("No such file or directory"));
        });
    }

    [Test]
    public void NetnsExec_Command_RunsInsideAndReturnsTheChildsExitCode()
    {
        Ip("link", "add", "inside0", "type", "veth", "peer", "name", "inside1");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = LinuxNet.Samples.Lnet.Lnet.Run(["netns", "exec", _name, "cat", "/proc/self/net/dev"], stdout, stderr);
        string devices = stdout.ToString();
        int failing = LinuxNet.Samples.Lnet.Lnet.Run(["netns", "exec", _name, "sh", "-c", "exit 7"], new StringWriter(), new StringWriter());
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, stderr.ToString());
            Assert.That(devices, Does.Contain("inside0:").And.Contain("inside1:").And.Contain("lo:"));
            Assert.That(devices, Does.Not.Contain("eth0:"), "only the namespace's interfaces");
            Assert.That(devices.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(5), "2 header lines + lo + the veth pair");
            Assert.That(failing, Is.EqualTo(7));
        });
    }

    [Test]
    public void Netns_AddListDelete_IpAgrees()
    {
        string other = Privileged.UniqueName();
        _peerName = other;
        LnetOk("netns", "add", other);
        (int exit, string list, _) = Lnet("-j", "netns", "list");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(IpOracle.RunHere("netns", "list"), Does.Contain(other));
            using JsonDocument names = JsonDocument.Parse(list);
            Assert.That(names.RootElement.EnumerateArray().Select(n => n.GetProperty("name").GetString()), Does.Contain(other).And.Contain(_name));
        });
        LnetOk("netns", "del", other);
        Assert.That(IpOracle.RunHere("netns", "list"), Does.Not.Contain(other));
    }

    [Test]
    public void Tuntap_AddAndDelete_PersistentDeviceInsideTheNamespace()
    {
        LnetOk("tuntap", "add", "dev", "tp0", "mode", "tap");
        LnetOk("tuntap", "add", "dev", "tn0", "mode", "tun", "user", "0", "multi_queue");
        JsonElement links = IpJson("-d", "link", "show");
        Assert.Multiple(() =>
        {
            Assert.That(ByField(links, "ifname", "tp0").GetProperty("link_type").GetString(), Is.EqualTo("ether"));
            Assert.That(ByField(links, "ifname", "tn0").GetProperty("link_type").GetString(), Is.EqualTo("none"));
            Assert.That(ByField(links, "ifname", "tn0").GetProperty("linkinfo").GetProperty("info_kind").GetString(), Is.EqualTo("tun"));
            Assert.That(IpOracle.RunHere("-o", "link"), Does.Not.Contain("tp0").And.Not.Contain("tn0"), "created inside the namespace only");
        });
        AssertSameAsIp("link", "show");
        LnetOk("tuntap", "del", "dev", "tp0", "mode", "tap");
        LnetOk("tuntap", "del", "dev", "tn0", "mode", "tun", "multi_queue");
        Assert.That(IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()), Is.EqualTo(new[] { "lo" }));
    }

    [Test]
    public void Statistics_LinkAndAddr_SameAsIpInJsonAndText()
    {
        // No IPv6 (no router or neighbour solicitations), so the counters stand still between the two reads once the
        // traffic below is through.
        IpOracle.Execute(_ns!, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        Ip("addr", "add", "198.51.100.2/24", "dev", "v1");
        Ip("link", "set", "v0", "up");
        Ip("link", "set", "v1", "up");
        Ip("neigh", "add", "198.51.100.9", "lladdr", "02:00:00:00:00:09", "dev", "v0", "nud", "permanent");
        using (var socket = _ns!.Run(() => new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp)))
        {
            for (int i = 0; i < 1200; i++)
            {
                // Through v0 to a neighbour that does not answer: TX counters in the thousands widen the columns.
                socket.SendTo(new byte[1000], new System.Net.IPEndPoint(System.Net.IPAddress.Parse("198.51.100.9"), 9));
            }
        }

        Thread.Sleep(200);
        JsonElement links = AssertSameAsIp("-s", "link", "show");
        Assert.That(ByField(links, "ifname", "v0").GetProperty("stats64").GetProperty("tx").GetProperty("packets").GetUInt64(), Is.GreaterThanOrEqualTo(1200UL));
        AssertSameAsIp("-s", "addr", "show");
        foreach (string[] command in new[] { new[] { "-s", "link", "show" }, new[] { "-s", "addr", "show" }, new[] { "-s", "link", "show", "v0" } })
        {
            (int exit, string text, string error) = Lnet(command);
            Assert.That(exit, Is.Zero, error);
            Assert.That(text, Is.EqualTo(Ip(command)), string.Join(' ', command));
        }
    }

    [Test]
    public void LinkShow_Text_LooksLikeIp()
    {
        Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        (int exit, string text, _) = Lnet("link", "show", "v0");
        string ip = Ip("link", "show", "v0");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(text.TrimEnd(), Is.EqualTo(ip.TrimEnd()));
        });
    }
}
