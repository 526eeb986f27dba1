using System.Diagnostics;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// <c>lnet tc …</c> on a fresh named namespace (veth v0/v1, ifb0; IPv6 off so no packet moves a counter between the
/// two reads) against <c>tc</c> run in the same namespace: the same objects made by either, the same <c>-j -s</c>
/// JSON field by field, the same text, the same exit codes.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetTcTests
{
    // Kernel times in seconds since install/use: they may tick between tc's read and lnet's.
    private static readonly string[] Volatile = ["installed", "last_used", "first_used", "expires"];

    private string _name = string.Empty;
    private NetNamespace? _ns;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _name = Privileged.UniqueName();
        _ns = NetNamespace.Create(_name);
        IpOracle.Execute(_ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Ip("link", "add", "ifb0", "type", "ifb");
        foreach (string dev in new[] { "v0", "v1", "ifb0" })
        {
            Ip("link", "set", dev, "up");
        }
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

    [Test]
    public void MadeByLnet_TcJsonAndTextMatchLnets()
    {
        string[][] commands =
        [
            ["qdisc", "add", "dev", "v0", "root", "handle", "1:", "htb", "default", "10", "r2q", "5"],
            ["class", "add", "dev", "v0", "parent", "1:", "classid", "1:10", "htb", "rate", "5mbit", "ceil", "10mbit", "prio", "1", "burst", "15k", "cburst", "15k"],
            ["qdisc", "add", "dev", "v0", "parent", "1:10", "handle", "10:", "tbf", "rate", "1mbit", "burst", "10kb", "latency", "50ms"],
            ["qdisc", "add", "dev", "v1", "ingress"],
            ["qdisc", "add", "dev", "ifb0", "root", "handle", "2:", "pfifo", "limit", "100"],
            ["filter", "add", "dev", "v1", "parent", "ffff:", "protocol", "all", "prio", "1", "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev", "ifb0"],
            ["filter", "add", "dev", "v0", "parent", "1:", "protocol", "ip", "prio", "2", "u32", "match", "ip", "src", "203.0.113.1/32", "match", "ip", "protocol", "6", "0xff", "match", "ip", "dport", "80", "0xffff", "classid", "1:10"],
        ];
        foreach (string[] command in commands)
        {
            (int exit, _, string error) = Lnet(["tc", .. command]);
            Assert.That(exit, Is.Zero, $"lnet tc {string.Join(' ', command)}: {error}");
        }

        AssertSameOutput("qdisc", "show");
        AssertSameOutput("qdisc", "show", "dev", "v0");
        AssertSameOutput("filter", "show", "dev", "v1", "ingress");
        AssertSameOutput("filter", "show", "dev", "v0", "parent", "1:");
        Assert.That(Lnet("tc", "class", "show", "dev", "v0").Out, Is.EqualTo(Tc("class", "show", "dev", "v0").Out));
    }

    [Test]
    public void MadeByTc_LnetDeletesAndShowsWhatTcShows()
    {
        Tc("qdisc", "add", "dev", "v0", "root", "handle", "1:", "tbf", "rate", "10mbit", "burst", "32kb", "latency", "50ms");
        Tc("qdisc", "add", "dev", "v1", "root", "handle", "3:", "bfifo", "limit", "10000");
        Tc("qdisc", "add", "dev", "v1", "clsact");
        Tc("filter", "add", "dev", "v1", "ingress", "protocol", "ip", "prio", "2", "u32", "match", "ip", "dst", "198.51.100.2/32", "action", "mirred", "ingress", "mirror", "dev", "ifb0");
        AssertSameOutput("qdisc", "show");
        AssertSameOutput("filter", "show", "dev", "v1", "ingress");

        Assert.That(Lnet("tc", "filter", "del", "dev", "v1", "ingress", "prio", "2").Exit, Is.Zero);
        Assert.That(Lnet("tc", "qdisc", "del", "dev", "v0", "root").Exit, Is.Zero);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Tc("filter", "show", "dev", "v1", "ingress").Out, Is.Empty);
            Assert.That(Tc("qdisc", "show", "dev", "v0").Out, Does.Not.Contain("tbf"));
        }
    }

    [TestCase("qdisc", "add", "dev", "v0", "root", "tbf", "rate", "0", "burst", "10k", "latency", "1ms")]
    [TestCase("qdisc", "add", "dev", "v0", "root", "netem", "delay", "100ms")]
    [TestCase("qdisc", "add", "dev", "v0", "root", "fq_codel")]
    [TestCase("qdisc", "add", "dev", "nonexistent", "root", "pfifo")]
    [TestCase("qdisc", "bogus")]
    [TestCase("class", "add", "dev", "v0", "parent", "1:", "classid", "1:2:3", "htb", "rate", "1mbit")]
    [TestCase("class", "add", "dev", "v0", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit")]
    [TestCase("qdisc", "del", "dev", "v0", "ingress")]
    public void Refusal_SameExitCodeAsTc(params string[] command)
    {
        (int tcExit, _, string tcError) = Tc(command);
        (int exit, _, string error) = Lnet(["tc", .. command]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(tcExit), $"tc said: {tcError}; lnet said: {error}");
            if (tcError.StartsWith("Error: ", StringComparison.Ordinal) && tcExit == 2)
            {
                Assert.That(error, Is.EqualTo(tcError), "the kernel's text");
            }
        }
    }

    private void AssertSameOutput(params string[] command)
    {
        (int tcExit, string tcJson, _) = Tc(["-j", "-s", .. command]);
        (int exit, string json, string error) = Lnet(["tc", "-j", "-s", .. command]);
        Assert.That(exit, Is.EqualTo(tcExit), error);
        using JsonDocument theirs = JsonDocument.Parse(tcJson);
        using JsonDocument ours = JsonDocument.Parse(json);
        var differences = new List<string>();
        Assert.That(ours.RootElement.GetArrayLength(), Is.EqualTo(theirs.RootElement.GetArrayLength()), $"{string.Join(' ', command)}: object count");
        for (int i = 0; i < theirs.RootElement.GetArrayLength(); i++)
        {
            Compare(ours.RootElement[i], theirs.RootElement[i], $"{string.Join(' ', command)}[{i}]", differences);
        }

        Assert.That(differences, Is.Empty);
        if (!command.Contains("qdisc") || command.Contains("dev"))
        {
            // Without a dev, tc prints pfifo_fast/noqueue options lnet does not decode; elsewhere the text is the same.
            // An action's ages (installed/used/firstused, in 1/100 s since the event) are read at each dump: the kernel
            // omits a zero one, so two dumps in and after the tick of an install differ. Compare everything else.
            Assert.That(WithoutAges(Lnet(["tc", "-s", .. command]).Out), Is.EqualTo(WithoutAges(Tc(["-s", .. command]).Out)));
        }
    }

    // Field by field, in tc's order, duplicate keys ("match") included; values compared as raw JSON.
    private static string WithoutAges(string text) => System.Text.RegularExpressions.Regex.Replace(text, " (installed|used|firstused) [0-9]+ sec", string.Empty);

    private static void Compare(JsonElement ours, JsonElement theirs, string path, List<string> differences)
    {
        if (theirs.ValueKind != JsonValueKind.Object)
        {
            if (ours.GetRawText() != theirs.GetRawText())
            {
                differences.Add($"{path}: lnet {ours.GetRawText()}, tc {theirs.GetRawText()}");
            }

            return;
        }

        string kind = theirs.TryGetProperty("kind", out JsonElement k) ? k.GetString() ?? string.Empty : string.Empty;
        List<JsonProperty> a = ours.EnumerateObject().Where(p => !Volatile.Contains(p.Name)).ToList();
        List<JsonProperty> b = theirs.EnumerateObject().Where(p => !Volatile.Contains(p.Name)).ToList();
        if (!a.Select(p => p.Name).SequenceEqual(b.Select(p => p.Name)))
        {
            differences.Add($"{path}: lnet keys [{string.Join(',', a.Select(p => p.Name))}], tc keys [{string.Join(',', b.Select(p => p.Name))}]");
            return;
        }

        for (int i = 0; i < a.Count; i++)
        {
            // Kinds lnet does not decode (the default pfifo_fast, noqueue): their options are not compared.
            if (a[i].Name == "options" && kind is "pfifo_fast" or "noqueue" or "mq")
            {
                continue;
            }

            if (b[i].Value.ValueKind == JsonValueKind.Array)
            {
                JsonElement[] x = a[i].Value.EnumerateArray().ToArray(), y = b[i].Value.EnumerateArray().ToArray();
                if (x.Length != y.Length)
                {
                    differences.Add($"{path}.{b[i].Name}: lnet {x.Length} elements, tc {y.Length}");
                    continue;
                }

                for (int j = 0; j < x.Length; j++)
                {
                    Compare(x[j], y[j], $"{path}.{b[i].Name}[{j}]", differences);
                }
            }
            else
            {
                Compare(a[i].Value, b[i].Value, $"{path}.{b[i].Name}", differences);
            }
        }
    }

    private string Ip(params string[] args) => IpOracle.Run(_ns!, args);

    private (int Exit, string Out, string Error) Tc(params string[] args) => LnetHarness.Tool(_ns!, "tc", args);

    private (int Exit, string Out, string Error) Lnet(params string[] args) => LnetHarness.Lnet(_name, args);
}
