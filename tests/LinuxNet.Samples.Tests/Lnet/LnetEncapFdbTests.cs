using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// <c>lnet route</c>'s via/encap/expires/append/prepend/change and <c>lnet fdb</c> against <c>ip</c> and <c>bridge</c> on
/// the same fresh named namespace: JSON compared field by field both ways, text byte for byte, exit codes and stderr.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetEncapFdbTests
{
    private string _name = string.Empty;
    private NetNamespace? _ns;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _name = Privileged.UniqueName();
        _ns = NetNamespace.Create(_name);
        Ip("link", "set", "lo", "up");
        Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Ip("link", "set", "v0", "up");
        Ip("link", "set", "v1", "up");
        Ip("addr", "add", "198.51.100.2/24", "dev", "v0");
        Ip("addr", "add", "2001:db8::2/64", "dev", "v0", "nodad");
    }

    [TearDown]
    public void TearDown()
    {
        _ns?.Dispose();
        _ns = null;
        if (NetNamespace.Exists(_name))
        {
            NetNamespace.Delete(_name);
        }
    }

    private string Ip(params string[] args) => IpOracle.Run(_ns!, args);

    private string Bridge(params string[] args) => IpOracle.Execute(_ns!, "bridge", args);

    private (int Exit, string Out, string Error) Lnet(params string[] args) => LnetHarness.Lnet(_name, args);

    private (int Exit, string Out, string Error) Tool(string tool, params string[] args) => LnetHarness.Tool(_ns!, tool, args);

    private static JsonElement Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    // bridge's "link" object is lnet's "bridge link"; bridge's options (-d) go before lnet's object too.
    private static string[] LnetArgs(string tool, string[] args)
    {
        if (tool != "bridge" || !args.Contains("link"))
        {
            return args;
        }

        string[] options = args.TakeWhile(a => a.StartsWith('-')).ToArray();
        return [.. options, "bridge", .. args.Skip(options.Length)];
    }

    /// <summary>lnet's and the tool's JSON for the same arguments hold the same fields with the same values, both ways; re-read a few times (expires ticks).</summary>
    private void AssertSameJson(string tool, params string[] args)
    {
        List<string> differences = [];
        string lnet = "", other = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            (int exit, lnet, string error) = Lnet(["-j", .. LnetArgs(tool, args)]);
            Assert.That(exit, Is.Zero, error);
            (int toolExit, other, string toolError) = Tool(tool, ["-j", .. args]);
            Assert.That(toolExit, Is.Zero, toolError);
            differences = [.. JsonSubset.Differences(Parse(lnet), Parse(other)), .. JsonSubset.Differences(Parse(other), Parse(lnet))];
            if (differences.Count == 0)
            {
                return;
            }

            Thread.Sleep(200);
        }

        Assert.That(differences, Is.Empty, $"{tool} -j {string.Join(' ', args)}\nlnet: {lnet}\n{tool}: {other}");
    }

    private void AssertSameText(string tool, params string[] args)
    {
        string lnet = "", other = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            lnet = Lnet(LnetArgs(tool, args)).Out;
            other = Tool(tool, args).Out;
            if (lnet == other)
            {
                return;
            }

            Thread.Sleep(200);
        }

        Assert.That(lnet, Is.EqualTo(other), $"{tool} {string.Join(' ', args)}");
    }

    private void AddRoutesWithIp()
    {
        Ip("-6", "route", "add", "2001:db8:6::/64", "encap", "seg6", "mode", "encap", "segs", "2001:db8::a,2001:db8::b", "dev", "v0");
        Ip("-6", "route", "add", "2001:db8:7::/64", "encap", "seg6", "mode", "inline", "segs", "2001:db8::c", "hmac", "10", "dev", "v0");
        Ip("-6", "route", "add", "2001:db8:9::/64", "nexthop", "via", "2001:db8::1", "dev", "v0", "encap", "seg6", "mode", "encap", "segs", "2001:db8::f", "nexthop", "via", "2001:db8::3", "dev", "v0");
        Ip("-6", "route", "add", "2001:db8:5::/64", "via", "2001:db8::1", "dev", "v0", "expires", "300");
        Ip("route", "add", "203.0.113.0/26", "via", "inet6", "2001:db8::1", "dev", "v0");
        Ip("route", "add", "203.0.113.64/26", "nexthop", "via", "inet6", "2001:db8::1", "dev", "v0", "nexthop", "via", "198.51.100.1", "dev", "v0");
        Ip("route", "add", "203.0.113.128/25", "encap", "seg6", "mode", "encap", "segs", "2001:db8::e", "dev", "v0");
    }

    [TestCase("-f", "mpls", "route", "add", "100", "as", "200", "via", "inet", "198.51.100.1", "dev", "v0")]
    [TestCase("-f", "mpls", "route", "replace", "100", "as", "to", "200/300", "dev", "v0")]
    [TestCase("-M", "route", "del", "100")]
    [TestCase("-f", "mpls", "route", "add", "abc")]
    [TestCase("-f", "foo", "route", "show")]
    public void MplsRoutes_SameExitCodeAndErrorAsIp(params string[] command)
    {
        // This kernel has no MPLS routing: ip and lnet both send the label route and both report the kernel's refusal
        // (exit 2); bad words are refused before anything is sent, with ip's text and code.
        (int ipExit, _, string ipError) = Tool("ip", command);
        (int exit, _, string error) = Lnet(command);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ipExit), error);
            Assert.That(error.Trim(), Is.EqualTo(ipError.Trim()));
        });
    }

    [Test]
    public void RouteShow_ViaEncapExpires_JsonAndTextMatchIp()
    {
        AddRoutesWithIp();
        AssertSameJson("ip", "route", "show");
        AssertSameJson("ip", "-6", "route", "show");
        AssertSameText("ip", "route", "show");
        AssertSameText("ip", "-6", "route", "show");
    }

    [Test]
    public void RouteAdd_ViaEncapExpires_IpShowsTheSameAsForIpsOwnCommands()
    {
        // The same routes once by lnet (in table 100) and once by ip (table 200): ip must show both alike.
        string[][] commands =
        [
            ["-6", "route", "add", "2001:db8:6::/64", "encap", "seg6", "mode", "encap", "segs", "2001:db8::a,2001:db8::b", "dev", "v0"],
            ["-6", "route", "add", "2001:db8:7::/64", "encap", "seg6", "mode", "inline", "segs", "2001:db8::c", "hmac", "7", "dev", "v0"],
            ["-6", "route", "add", "2001:db8:9::/64", "nexthop", "via", "2001:db8::1", "dev", "v0", "encap", "seg6", "mode", "encap", "segs", "2001:db8::f", "nexthop", "via", "2001:db8::3", "dev", "v0"],
            ["route", "add", "203.0.113.0/26", "via", "inet6", "2001:db8::1", "dev", "v0"],
            ["route", "add", "203.0.113.64/26", "nexthop", "via", "inet6", "2001:db8::1", "dev", "v0", "nexthop", "via", "198.51.100.1", "dev", "v0"],
            ["route", "add", "203.0.113.128/25", "encap", "seg6", "mode", "l2encap", "segs", "2001:db8::e", "dev", "v0"],
        ];
        // "table T" right after the prefix: ip takes nothing but nexthops after the first "nexthop".
        static string[] InTable(string[] command, string table)
        {
            int prefix = Array.IndexOf(command, "add") + 2;
            return [.. command[..prefix], "table", table, .. command[prefix..]];
        }

        foreach (string[] command in commands)
        {
            (int exit, _, string error) = Lnet(InTable(command, "100"));
            Assert.That(exit, Is.Zero, $"lnet {string.Join(' ', command)}: {error}");
            Ip(InTable(command, "200"));
        }

        foreach (string family in new[] { "-4", "-6" })
        {
            string lnet = Ip(family, "-j", "route", "show", "table", "100");
            string ip = Ip(family, "-j", "route", "show", "table", "200");
            Assert.That(lnet, Is.EqualTo(ip), family);
        }

        Assert.That(Lnet("-6", "route", "add", "2001:db8:5::/64", "via", "2001:db8::1", "expires", "300").Exit, Is.Zero);
        Assert.That(Parse(Ip("-6", "-j", "route", "show", "2001:db8:5::/64"))[0].GetProperty("expires").GetInt32(), Is.InRange(290, 300));
    }

    [Test]
    public void RouteAppendPrependChange_SameOrderAsIp()
    {
        foreach ((string verb, string gateway) in new[] { ("add", "198.51.100.1"), ("append", "198.51.100.3"), ("prepend", "198.51.100.4"), ("change", "198.51.100.5") })
        {
            Ip("route", verb, "203.0.113.0/25", "via", gateway, "table", "200");
            Assert.That(Lnet("route", verb, "203.0.113.0/25", "via", gateway, "table", "100").Exit, Is.Zero, verb);
        }

        Assert.That(Ip("-j", "route", "show", "table", "100"), Is.EqualTo(Ip("-j", "route", "show", "table", "200")));
        (int toolExit, _, string toolError) = Tool("ip", "route", "change", "198.51.100.128/25", "via", "198.51.100.5");
        (int exit, _, string error) = Lnet("route", "change", "198.51.100.128/25", "via", "198.51.100.5");
        Assert.That((exit, error), Is.EqualTo((toolExit, toolError)), "a change of a missing route fails as ip's");
    }

    [TestCase("route", "add", "203.0.113.192/26", "encap", "mpls", "100/200", "via", "198.51.100.1", "dev", "v0")]
    [TestCase("route", "add", "203.0.113.192/26", "encap", "mpls", "300", "ttl", "16", "via", "198.51.100.1", "dev", "v0")]
    public void RouteAdd_MplsEncapOnThisKernel_FailsAsIp(params string[] command)
    {
        (int toolExit, _, string toolError) = Tool("ip", command);
        (int exit, _, string error) = Lnet(command);
        Assert.That((exit, error), Is.EqualTo((toolExit, toolError)));
        Assert.That(exit, Is.EqualTo(2));
    }

    private void BuildBridgeAndVxlan()
    {
        Ip("link", "add", "br0", "type", "bridge");
        Ip("link", "add", "d0", "type", "veth", "peer", "name", "d1");
        Ip("link", "set", "d0", "master", "br0");
        Ip("link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "198.51.100.2", "nolearning");
        foreach (string link in new[] { "br0", "d0", "d1", "vx0" })
        {
            Ip("link", "set", link, "up");
        }

        // Dynamic entries need the port forwarding (EPERM before), which follows the veth carrier.
        Assert.That(ProcessStateSettle(() => Bridge("-j", "link", "show").Contains("\"state\":\"forwarding\"", StringComparison.Ordinal)), Is.True);
    }

    private static bool ProcessStateSettle(Func<bool> condition)
    {
        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }

    [Test]
    public void FdbShow_EntriesMadeByBridge_JsonAndTextMatchBridge()
    {
        BuildBridgeAndVxlan();
        Bridge("fdb", "add", "02:00:00:00:00:01", "dev", "d0", "master");
        Bridge("fdb", "add", "02:00:00:00:00:02", "dev", "d0", "master", "static");
        Bridge("fdb", "add", "02:00:00:00:00:03", "dev", "d0", "master", "dynamic");
        Bridge("fdb", "add", "02:00:00:00:00:05", "dev", "d0", "self");
        Bridge("fdb", "add", "00:00:00:00:00:00", "dev", "vx0", "dst", "203.0.113.5", "vni", "77", "port", "4790");
        Bridge("fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "203.0.113.7");
        Bridge("fdb", "add", "02:00:00:00:00:06", "dev", "vx0", "dst", "203.0.113.6", "via", "v0");
        foreach (string[] show in new[] { new[] { "fdb", "show" }, ["fdb", "show", "dev", "vx0"], ["fdb", "show", "br", "br0"], ["fdb", "show", "brport", "d0"] })
        {
            AssertSameJson("bridge", show);
            AssertSameText("bridge", show);
        }
    }

    [Test]
    public void FdbAddAppendReplaceDel_BridgeShowsTheSameAsForItsOwnCommands()
    {
        BuildBridgeAndVxlan();
        Ip("link", "add", "vx1", "type", "vxlan", "id", "43", "dstport", "4789", "local", "198.51.100.2", "nolearning");
        Ip("link", "add", "br1", "type", "bridge");
        Ip("link", "add", "d2", "type", "veth", "peer", "name", "d3");
        Ip("link", "set", "d2", "master", "br1");
        // lnet works on d0/vx0, bridge on d2/vx1; the outputs must agree once the device names are swapped.
        string[][] commands =
        [
            ["fdb", "add", "02:00:00:00:00:01", "dev", "D", "master", "static"],
            ["fdb", "add", "02:00:00:00:00:02", "dev", "D", "master"],
            ["fdb", "replace", "02:00:00:00:00:01", "dev", "D", "master", "permanent"],
            ["fdb", "add", "00:00:00:00:00:00", "dev", "X", "dst", "203.0.113.5", "vni", "77", "port", "4790", "self", "permanent"],
            ["fdb", "append", "00:00:00:00:00:00", "dev", "X", "dst", "203.0.113.7"],
            ["fdb", "add", "02:00:00:00:00:06", "dev", "X", "dst", "203.0.113.6", "via", "v0"],
            ["fdb", "del", "02:00:00:00:00:02", "dev", "D", "master"],
            ["fdb", "del", "00:00:00:00:00:00", "dev", "X", "dst", "203.0.113.7"],
        ];
        foreach (string[] command in commands)
        {
            (int exit, _, string error) = Lnet([.. command.Select(w => w == "D" ? "d0" : w == "X" ? "vx0" : w)]);
            Assert.That(exit, Is.Zero, $"lnet {string.Join(' ', command)}: {error}");
            Bridge([.. command.Select(w => w == "D" ? "d2" : w == "X" ? "vx1" : w)]);
        }

        Assert.That(Bridge("fdb", "show", "dev", "vx0"), Is.EqualTo(Bridge("fdb", "show", "dev", "vx1")));
        string mine = Keep(Bridge("fdb", "show", "dev", "d0"), "02:00:00:00:00:0");
        Assert.That(mine, Does.Contain("02:00:00:00:00:01 master br0 permanent"));
        Assert.That(mine, Is.EqualTo(Keep(Bridge("fdb", "show", "dev", "d2"), "02:00:00:00:00:0").Replace("br1", "br0", StringComparison.Ordinal)));
    }

    // Only our entries: each port also has its own learnt/permanent MAC, which differs between d0 and d2.
    private static string Keep(string lines, string prefix) => string.Join("\n", lines.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));

    [TestCase("fdb", "add", "02:00:00:00:00:01", "dev", "nosuch", "master")]
    [TestCase("fdb", "add", "zz:00", "dev", "d0")]
    [TestCase("fdb", "add", "02:00:00:00:00:04", "dev", "d0", "master", "vlan", "5000")]
    [TestCase("fdb", "del", "02:00:00:00:00:09", "dev", "d0", "master")]
    [TestCase("fdb", "frob")]
    public void Fdb_Errors_ExitAndStderrAsBridge(params string[] command)
    {
        BuildBridgeAndVxlan();
        (int toolExit, _, string toolError) = Tool("bridge", command);
        (int exit, _, string error) = Lnet(command);
        Assert.That((exit, error.Replace("lnet fdb", "bridge fdb")), Is.EqualTo((toolExit, toolError)));
        Assert.That(exit, Is.EqualTo(255));
    }

    [Test]
    public void FdbAdd_Duplicate_ExitAndStderrAsBridge()
    {
        BuildBridgeAndVxlan();
        Bridge("fdb", "add", "02:00:00:00:00:01", "dev", "d0", "master", "static");
        (int toolExit, _, string toolError) = Tool("bridge", "fdb", "add", "02:00:00:00:00:01", "dev", "d0", "master", "static");
        (int exit, _, string error) = Lnet("fdb", "add", "02:00:00:00:00:01", "dev", "d0", "master", "static");
        Assert.That((exit, error), Is.EqualTo((toolExit, toolError)));
    }

    [Test]
    public void BridgeLinkShow_JsonAndTextMatchBridge()
    {
        BuildBridgeAndVxlan();
        Bridge("link", "set", "dev", "d0", "cost", "7", "priority", "12", "learning", "off", "hairpin", "on");
        foreach (string[] show in new[] { new[] { "link", "show" }, ["-d", "link", "show"], ["link", "show", "dev", "d0"] })
        {
            AssertSameJson("bridge", show);
            AssertSameText("bridge", show);
        }

        // Multicast entries (33:33:…, from MLD as the links come up) may appear between the two runs: compare the rest.
        static string Unicast(string lines) => string.Join("\n", lines.Split('\n').Where(l => l.Length > 2 && (Convert.ToInt32(l[..2], 16) & 1) == 0));
        Assert.That(Unicast(Lnet("bridge", "fdb", "show").Out), Is.EqualTo(Unicast(Lnet("fdb", "show").Out)), "lnet bridge fdb = lnet fdb");
    }

    [Test]
    public void BridgeLinkSet_BridgeShowsTheSameAsForItsOwnCommand()
    {
        BuildBridgeAndVxlan();
        Ip("link", "add", "d2", "type", "veth", "peer", "name", "d3");
        Ip("link", "set", "d2", "master", "br0");
        Ip("link", "set", "d2", "up");
        Ip("link", "set", "d3", "up");
        string[] settings = ["cost", "5", "priority", "10", "learning", "off", "flood", "off", "hairpin", "on", "guard", "on", "mcast_flood", "off", "isolated", "on"];
        (int exit, _, string error) = Lnet(["bridge", "link", "set", "dev", "d0", .. settings]);
        Assert.That(exit, Is.Zero, error);
        Bridge(["link", "set", "dev", "d2", .. settings]);
        JsonElement[] ports = Parse(Bridge("-d", "-j", "link", "show")).EnumerateArray().ToArray();
        JsonElement mine = ports.Single(p => p.GetProperty("ifname").GetString() == "d0");
        JsonElement theirs = ports.Single(p => p.GetProperty("ifname").GetString() == "d2");
        foreach (JsonProperty property in theirs.EnumerateObject().Where(p => p.Name is not ("ifindex" or "ifname" or "link" or "state")))
        {
            Assert.That(mine.GetProperty(property.Name).GetRawText(), Is.EqualTo(property.Value.GetRawText()), property.Name);
        }

        (int toolExit, _, string toolError) = Tool("bridge", "link", "set", "dev", "v0", "cost", "5");
        (exit, _, error) = Lnet("bridge", "link", "set", "dev", "v0", "cost", "5");
        Assert.That((exit, error), Is.EqualTo((toolExit, toolError)), "not a bridge port");
    }
}
