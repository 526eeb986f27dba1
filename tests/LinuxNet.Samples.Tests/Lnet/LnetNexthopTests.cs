using System.Diagnostics;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// <c>lnet nexthop</c>, <c>lnet netns set|list-id</c>, <c>lnet link property</c> and <c>lnet route … nhid</c> against
/// iproute2 on the same fresh named namespace: <c>-j</c> output field by field, text line by line, errors and exit codes.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetNexthopTests
{
    private readonly Leftovers _leftovers = new();
    private string _name = string.Empty;
    private NetNamespace? _ns;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _name = _leftovers.NewName();
        _ns = NetNamespace.Create(_name);
        Ip("link", "set", "lo", "up");
        Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Ip("link", "set", "v0", "up");
        Ip("link", "set", "v1", "up");
        Ip("address", "add", "198.51.100.1/24", "dev", "v0");
        Ip("-6", "address", "add", "2001:db8::1/64", "dev", "v0", "nodad");
    }

    [TearDown]
    public void TearDown()
    {
        _ns?.Dispose();
        _leftovers.Dispose();
        if (NetNamespace.Exists(_name))
        {
            NetNamespace.Delete(_name);
        }
    }

    private static readonly string[][] Shapes =
    [
        ["id", "1", "via", "198.51.100.2", "dev", "v0"],
        ["id", "2", "via", "2001:db8::2", "dev", "v0"],
        ["id", "3", "dev", "v0", "proto", "static"],
        ["id", "4", "via", "203.0.113.1", "dev", "v0", "onlink"],
        ["id", "5", "blackhole"],
        ["id", "6", "via", "198.51.100.3", "fdb"],
        ["id", "10", "group", "1,3/4"],
        ["id", "11", "group", "1/4,2", "type", "resilient", "buckets", "8", "idle_timer", "60", "unbalanced_timer", "120"],
    ];

    [Test]
    public void NexthopAdd_EveryShape_ShowIsIpsInJsonAndText()
    {
        foreach (string[] shape in Shapes)
        {
            LnetOk(["nexthop", "add", .. shape]);
        }

        AssertSameJson("nexthop", "show");
        AssertSameJson("nexthop", "show", "dev", "v0");
        AssertSameJson("nexthop", "show", "groups");
        AssertSameJson("nexthop", "show", "fdb");
        AssertSameJson("nexthop", "get", "id", "4");
        Assert.That(LnetText("nexthop", "show"), Is.EqualTo(IpText("nexthop", "show")));
        Assert.That(LnetText("nexthop", "show", "id", "11"), Is.EqualTo(IpText("nexthop", "show", "id", "11")));
    }

    [Test]
    public void NexthopShow_MadeByIp_SameAsIp()
    {
        foreach (string[] shape in Shapes)
        {
            Ip(["nexthop", "add", .. shape]);
        }

        Ip("-6", "nexthop", "add", "id", "7", "dev", "v0");
        AssertSameJson("nexthop", "show");
        Assert.That(LnetText("nexthop", "show"), Is.EqualTo(IpText("nexthop", "show")));
    }

    [Test]
    public void NexthopBucket_ShowAndGet_SameAsIpButTheIdleTime()
    {
        Ip("nexthop", "add", "id", "1", "via", "198.51.100.2", "dev", "v0");
        Ip("nexthop", "add", "id", "4", "via", "203.0.113.1", "dev", "v0", "onlink");
        LnetOk("nexthop", "add", "id", "11", "group", "1/4,2", "type", "resilient", "buckets", "8");
        foreach (string[] args in new[] { new[] { "nexthop", "bucket", "show" }, ["nexthop", "bucket", "show", "id", "11"], ["nexthop", "bucket", "show", "nhid", "4"], ["nexthop", "bucket", "get", "id", "11", "index", "3"] })
        {
            JsonElement lnet = LnetJson(args);
            JsonElement ip = IpJson(args);
            Assert.That(Buckets(lnet), Is.EqualTo(Buckets(ip)), string.Join(' ', args));
            Assert.That(JsonSubset.Differences(lnet, ip).Where(d => !d.Contains("idle_time", StringComparison.Ordinal)), Is.Empty, string.Join(' ', args));
        }

        string[] lines = LnetText("nexthop", "bucket", "show", "id", "11").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] ipLines = IpText("nexthop", "bucket", "show", "id", "11").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Select(WithoutIdleTime), Is.EqualTo(ipLines.Select(WithoutIdleTime)));
    }

    [Test]
    public void NexthopReplaceDelFlush_IpSeesTheResultAndTheFlushLineIsIps()
    {
        foreach (string[] shape in Shapes)
        {
            LnetOk(["nexthop", "add", .. shape]);
        }

        LnetOk("nexthop", "replace", "id", "1", "via", "198.51.100.4", "dev", "v0");
        Assert.That(IpJson("nexthop", "get", "id", "1")[0].GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.4"));
        LnetOk("nexthop", "del", "id", "11");
        Assert.That(IpJson("nexthop", "show").EnumerateArray().Select(n => n.GetProperty("id").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6, 10 }));
        (int exit, string output, _) = Lnet("nexthop", "flush");
        (int ipExit, string ipOutput, _) = IpRun("nexthop", "flush");
        Assert.Multiple(() =>
        {
            Assert.That((exit, output), Is.EqualTo((0, "Flushed 7 nexthops\n")));
            Assert.That((ipExit, ipOutput), Is.EqualTo((0, "Nothing to flush\n")), "ip finds nothing left to flush");
            Assert.That(Lnet("nexthop", "flush"), Is.EqualTo(IpRun("nexthop", "flush")));
        });
    }

    [Test]
    public void RouteNhid_AddAndShow_SameAsIp()
    {
        Ip("nexthop", "add", "id", "1", "via", "198.51.100.2", "dev", "v0");
        Ip("nexthop", "add", "id", "4", "via", "203.0.113.1", "dev", "v0", "onlink");
        Ip("nexthop", "add", "id", "10", "group", "1,3/4");
        LnetOk("route", "add", "198.51.100.128/25", "nhid", "10");
        LnetOk("route", "add", "203.0.113.0/24", "nhid", "1");
        JsonElement route = IpJson("route", "show", "198.51.100.128/25")[0];
        Assert.That(route.GetProperty("nhid").GetInt32(), Is.EqualTo(10));
        AssertSameJson("route", "show");
        Assert.That(LnetText("route", "show"), Does.Contain("203.0.113.0/24 nhid 1 via 198.51.100.2 dev v0 "));
    }

    [TestCase("nexthop get id 99")]
    [TestCase("nexthop del id 99")]
    [TestCase("nexthop add id 20 group 99")]
    [TestCase("nexthop add id 1 dev v0")]
    [TestCase("nexthop add id 22 dev nothere")]
    [TestCase("netns set NAME -3")]
    [TestCase("netns set lnt-no-such-namespace 3")]
    [TestCase("link property add dev v0 altname v1")]
    [TestCase("link property add dev nothere altname x")]
    [TestCase("link property del dev v0 altname nothere")]
    public void Errors_SameExitCodeAndTextAsIp(string command)
    {
        Ip("nexthop", "add", "id", "1", "via", "198.51.100.2", "dev", "v0");
        string[] args = command.Replace("NAME", _name, StringComparison.Ordinal).Split(' ');
        (int ipExit, _, string ipError) = IpRun(args);
        (int exit, _, string error) = Lnet(args);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ipExit), error);
            Assert.That(error, Is.EqualTo(ipError));
        });
    }

    [TestCase("nexthop add id 21 group 1/1", "Error: Nexthop id can not be used twice in a group")]
    [TestCase("nexthop add id 23 group 1 type resilient buckets 0", "Error: Number of buckets needs to be non-0")]
    public void Errors_RefusedBeforeTheKernel_SameExitAndTheKernelsWordsAsIp(string command, string words)
    {
        // The library refuses these before sending anything, in the kernel's own words followed by its detail.
        Ip("nexthop", "add", "id", "1", "via", "198.51.100.2", "dev", "v0");
        string[] args = command.Split(' ');
        (int ipExit, _, string ipError) = IpRun(args);
        (int exit, _, string error) = Lnet(args);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ipExit), error);
            Assert.That(ipError, Does.StartWith(words));
            Assert.That(error, Does.StartWith(words));
            Assert.That(IpJson("nexthop", "show").GetArrayLength(), Is.EqualTo(1), "nothing made");
        });
    }

    [Test]
    public void NexthopAdd_DeviceWithoutCarrier_PrintsTheKernelsText()
    {
        Ip("link", "set", "v1", "down");
        (int exit, _, string error) = Lnet("nexthop", "add", "id", "20", "dev", "v0");
        Assert.That((exit, error), Is.EqualTo((2, "Error: Carrier for nexthop device is down.\n")));
        Assert.That(IpRun("nexthop", "add", "id", "20", "dev", "v0"), Is.EqualTo((2, string.Empty, error)));
    }

    [Test]
    public void NetnsSetAndListId_SameAsIp()
    {
        string peer = _leftovers.NewName();
        string other = _leftovers.NewName();
        IpOracle.RunHere("netns", "add", peer);
        IpOracle.RunHere("netns", "add", other);
        LnetOk("netns", "set", peer, "7");
        LnetOk("netns", "set", other, "auto");
        AssertSameJson("netns", "list-id");
        AssertSameJson("netns", "list-id", "nsid", "7");
        Assert.That(LnetText("netns", "list-id"), Is.EqualTo(IpText("netns", "list-id")));
        (int exit, _, string error) = Lnet("netns", "set", other, "7");
        Assert.That((exit, error), Is.EqualTo(IpRun("netns", "set", other, "7") is var ip ? (ip.Exit, ip.Error) : default));
        Assert.That(error, Is.EqualTo("Error: Peer netns already has a nsid assigned.\n"));
    }

    [Test]
    public void NetnsSet_IdTakenByAnotherNamespace_KernelText()
    {
        string peer = _leftovers.NewName();
        string other = _leftovers.NewName();
        IpOracle.RunHere("netns", "add", peer);
        IpOracle.RunHere("netns", "add", other);
        Ip("netns", "set", peer, "7");
        Assert.That(Lnet("netns", "set", other, "7"), Is.EqualTo(IpRun("netns", "set", other, "7")));
        Assert.That(Lnet("netns", "set", other, "7").Error, Is.EqualTo("Error: The specified nsid is already used.\n"));
    }

    [Test]
    public void LinkProperty_AddDel_IpShowsTheAltnamesAndLnetShowsThemAsIp()
    {
        LnetOk("link", "property", "add", "dev", "v0", "altname", "v0-alternative-name-long", "altname", "ab:cd");
        Assert.That(IpJson("link", "show", "dev", "v0")[0].GetProperty("altnames").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { "v0-alternative-name-long", "ab:cd" }));
        AssertSameJson("link", "show");
        AssertSameJson("address", "show", "dev", "v0");
        AssertSameJson("link", "show", "dev", "v0-alternative-name-long");
        Assert.That(LnetText("link", "show", "dev", "v0"), Is.EqualTo(IpText("link", "show", "dev", "v0")));
        Assert.That(LnetText("link", "show", "dev", "ab:cd"), Is.EqualTo(IpText("link", "show", "dev", "ab:cd")));

        LnetOk("link", "set", "dev", "v0-alternative-name-long", "mtu", "1400");
        LnetOk("link", "property", "del", "dev", "v0-alternative-name-long", "altname", "v0-alternative-name-long");
        JsonElement v0 = IpJson("link", "show", "dev", "v0")[0];
        Assert.Multiple(() =>
        {
            Assert.That(v0.GetProperty("mtu").GetInt32(), Is.EqualTo(1400));
            Assert.That(v0.GetProperty("altnames").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { "ab:cd" }));
        });
    }

    [TestCase("with space")]
    [TestCase("with/slash")]
    public void LinkProperty_BadAltname_SameTextAndExitAsIp(string name)
    {
        (int exit, _, string error) = Lnet("link", "property", "add", "dev", "v0", "altname", name);
        Assert.That((exit, error), Is.EqualTo(IpRun("link", "property", "add", "dev", "v0", "altname", name) is var ip ? (ip.Exit, ip.Error) : default));
        Assert.That(exit, Is.EqualTo(255));
    }

    private static string WithoutIdleTime(string line) => System.Text.RegularExpressions.Regex.Replace(line, "idle_time [0-9.]+ ", "idle_time T ");

    private static (int, int, int)[] Buckets(JsonElement array) => array.EnumerateArray().Select(b => (
        b.GetProperty("id").GetInt32(),
        b.GetProperty("bucket").GetProperty("index").GetInt32(),
        b.GetProperty("bucket").GetProperty("nhid").GetInt32())).ToArray();

    private string Ip(params string[] args) => IpOracle.Run(_ns!, args);

    private JsonElement IpJson(params string[] args) => IpOracle.Json(_ns!, args);

    private string IpText(params string[] args) => IpOracle.Run(_ns!, args);

    private (int Exit, string Out, string Error) IpRun(params string[] args) => LnetHarness.Tool(_ns!, "ip", args);

    private (int Exit, string Out, string Error) Lnet(params string[] args) => LnetHarness.Lnet(_name, args);

    private void LnetOk(params string[] args)
    {
        (int exit, _, string error) = Lnet(args);
        Assert.That(exit, Is.Zero, $"lnet {string.Join(' ', args)}: {error}");
    }

    private string LnetText(params string[] args) => LnetHarness.LnetText(_name, args);

    private JsonElement LnetJson(params string[] args) => LnetHarness.LnetJson(_name, args);

    private void AssertSameJson(params string[] args)
    {
        JsonElement lnet = LnetJson(args);
        JsonElement ip = IpJson(args);
        Assert.That(lnet.GetArrayLength(), Is.EqualTo(ip.GetArrayLength()), $"lnet -j {string.Join(' ', args)}\nlnet: {lnet.GetRawText()}\nip:   {ip.GetRawText()}");
        Assert.That(JsonSubset.Differences(lnet, ip), Is.Empty, $"lnet -j {string.Join(' ', args)}\nlnet: {lnet.GetRawText()}\nip:   {ip.GetRawText()}");
    }
}
