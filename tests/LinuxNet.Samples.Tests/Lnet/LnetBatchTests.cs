using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// <c>lnet -batch FILE</c> against <c>ip -batch FILE</c>: one file of link, address and route lines applied by lnet in
/// one fresh named namespace and by ip in another gives the same state read back with <c>ip -j</c>; a failing line
/// stops the batch (<c>Command failed FILE:LINE</c>, exit 1) unless <c>-force</c>; <c>-batch -</c> reads stdin.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetBatchTests
{
    private const string Commands = """
        # links: a bridge (up, with carrier and no ports) and a veth pair left down
        link add lb0 type bridge
        link set lb0 up
        link add lb1 type veth peer name lb2
        link set lb1 mtu 1400
        link set lb2 alias "peer of lb1"   # a quoted word with blanks

        addr add 198.51.100.1/24 dev lb0
        addr add 2001:db8:7::1/64 dev lb0 nodad
        route add 203.0.113.0/24 via 198.51.100.254 dev lb0
        route add 2001:db8:8::/64 via 2001:db8:7::fe \
            dev lb0 metric 50
        route add '2001:db8:9::1/128' dev lb0
        """;

    private readonly List<string> _names = [];
    private readonly List<NetNamespace> _namespaces = [];
    private string _directory = string.Empty;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _directory = Directory.CreateTempSubdirectory("lnet-batch-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        foreach (NetNamespace ns in _namespaces)
        {
            ns.Dispose();
        }

        foreach (string name in _names)
        {
            if (NetNamespace.Exists(name))
            {
                NetNamespace.Delete(name);
            }
        }

        _namespaces.Clear();
        _names.Clear();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void Batch_AppliesLinksAddressesAndRoutes_AsIpBatchDoes()
    {
        string file = Write("commands", Commands);
        (string lnetName, NetNamespace lnetNs) = Namespace();
        (_, NetNamespace ipNs) = Namespace();

        (int exit, string output, string error) = LnetHarness.Lnet(lnetName, "-batch", file);
        Assert.That((exit, output, error), Is.EqualTo((0, string.Empty, string.Empty)));
        IpOracle.Run(ipNs, "-batch", file);

        Assert.That(State(lnetNs), Is.EqualTo(State(ipNs)));
        Assert.That(State(lnetNs), Does.Contain("route 2001:db8:8::/64 via 2001:db8:7::fe dev lb0 metric 50")
            .And.Contain("route 203.0.113.0/24 via 198.51.100.254 dev lb0 metric 0")
            .And.Contain("route 2001:db8:9::1 via - dev lb0 metric 1024")
            .And.Contain("addr lb0 inet6 2001:db8:7::1/64")
            .And.Some.StartsWith("link lb2 mtu 1500 alias peer of lb1 flags")
            .And.Some.StartsWith("link lb1 mtu 1400 alias - flags"));
    }

    [Test]
    public void FailingLine_StopsTheBatch_UnlessForce()
    {
        const string failing = """
            link add lb0 type bridge

            route add 2001:db8:9::/64 dev nosuch
            link add lb1 type bridge
            """;
        string file = Write("failing", failing);
        (string name, NetNamespace ns) = Namespace();
        (_, NetNamespace ipNs) = Namespace();

        (int exit, _, string error) = LnetHarness.Lnet(name, "-batch", file);
        (int ipExit, _, string ipError) = LnetHarness.Tool(ipNs, "ip", "-batch", file);
        Assert.That(exit, Is.EqualTo(1).And.EqualTo(ipExit));
        Assert.That(error, Is.EqualTo(ipError));
        Assert.That(error, Does.Contain($"Command failed {file}:3"));
        Assert.That(Links(ns), Is.EquivalentTo(new[] { "lo", "lb0" }));

        IpOracle.Run(ns, "link", "del", "lb0");
        IpOracle.Run(ipNs, "link", "del", "lb0");
        (exit, _, error) = LnetHarness.Lnet(name, "-force", "-batch", file);
        (ipExit, _, ipError) = LnetHarness.Tool(ipNs, "ip", "-force", "-batch", file);
        Assert.That(exit, Is.EqualTo(1).And.EqualTo(ipExit));
        Assert.That(error, Is.EqualTo(ipError));
        Assert.That(Links(ns), Is.EquivalentTo(new[] { "lo", "lb0", "lb1" }));
    }

    [Test]
    public void BatchFromStdin_RunsEachLine_WithOutputInOrder()
    {
        (string name, NetNamespace ns) = Namespace();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var stdin = new StringReader("link add lb0 type bridge\n-j link show lb0\nlink show dev lb0\n");

        int exit = LinuxNet.Samples.Lnet.Lnet.Run(["-n", name, "-batch", "-"], stdin, stdout, stderr);

        Assert.That(exit, Is.Zero, stderr.ToString());
        string[] lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("[{").And.Contain("\"ifname\":\"lb0\""));
        Assert.That(lines[1], Does.Contain(": lb0: <BROADCAST,MULTICAST>"));
        Assert.That(Links(ns), Is.EquivalentTo(new[] { "lo", "lb0" }));
    }

    [Test]
    public void UnreadableFile_FailsAsIp()
    {
        (string name, NetNamespace ns) = Namespace();
        string missing = Path.Combine(_directory, "missing");
        (int exit, _, string error) = LnetHarness.Lnet(name, "-batch", missing);
        (int ipExit, _, string ipError) = LnetHarness.Tool(ns, "ip", "-batch", missing);
        Assert.That(exit, Is.EqualTo(ipExit));
        Assert.That(error, Is.EqualTo(ipError));
    }

    private (string Name, NetNamespace Ns) Namespace()
    {
        string name = Privileged.UniqueName();
        _names.Add(name);
        NetNamespace ns = NetNamespace.Create(name);
        _namespaces.Add(ns);
        IpOracle.Execute(ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
        return (name, ns);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text + "\n");
        return path;
    }

    private static string[] Links(NetNamespace ns)
        => [.. IpOracle.Json(ns, "link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!)];

    // What ip -j reads back, without what differs between two namespaces by chance (MAC addresses, lifetimes).
    private static List<string> State(NetNamespace ns)
    {
        var state = new List<string>();
        foreach (JsonElement l in IpOracle.Json(ns, "link", "show").EnumerateArray())
        {
            string alias = l.TryGetProperty("ifalias", out JsonElement a) ? a.GetString()! : "-";
            string flags = string.Join(',', l.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
            state.Add($"link {l.GetProperty("ifname").GetString()} mtu {l.GetProperty("mtu").GetInt32()} alias {alias} flags {flags}");
        }

        foreach (JsonElement l in IpOracle.Json(ns, "addr", "show").EnumerateArray())
        {
            foreach (JsonElement info in l.GetProperty("addr_info").EnumerateArray())
            {
                string local = info.GetProperty("local").GetString()!;
                if (!local.StartsWith("fe80:", StringComparison.Ordinal))
                {
                    state.Add($"addr {l.GetProperty("ifname").GetString()} {info.GetProperty("family").GetString()} {local}/{info.GetProperty("prefixlen").GetInt32()}");
                }
            }
        }

        foreach (string family in new[] { "-4", "-6" })
        {
            foreach (JsonElement r in IpOracle.Json(ns, family, "route", "show").EnumerateArray())
            {
                string via = r.TryGetProperty("gateway", out JsonElement g) ? g.GetString()! : "-";
                int metric = r.TryGetProperty("metric", out JsonElement m) ? m.GetInt32() : 0;
                state.Add($"route {r.GetProperty("dst").GetString()} via {via} dev {r.GetProperty("dev").GetString()} metric {metric}");
            }
        }

        state.Sort(StringComparer.Ordinal);
        return state;
    }
}
