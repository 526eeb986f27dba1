using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// <c>lnet ethtool …</c> and <c>lnet mptcp …</c> on a fresh named namespace with a veth pair, against <c>ethtool</c>
/// and <c>ip mptcp</c> run in the same namespace: same text, same JSON, same exit codes.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetGenlTests
{
    private string _name = string.Empty;
    private NetNamespace? _ns;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _name = Privileged.UniqueName();
        _ns = NetNamespace.Create(_name);
        Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Ip("link", "set", "v0", "up");
        Ip("link", "set", "v1", "up");
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
    public void EthtoolK_EveryLine_IsALineEthtoolPrints()
    {
        (int exit, string output, _) = Lnet("ethtool", "-k", "v0");
        HashSet<string> ethtool = Ethtool("-k", "v0").Split('\n').Select(l => l.Trim()).ToHashSet();
        string[] lines = output.TrimEnd().Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(lines[0], Is.EqualTo("Features for v0:"));
            Assert.That(lines, Has.Length.GreaterThan(30));
            Assert.That(lines.Where(l => !ethtool.Contains(l)), Is.Empty, "lines ethtool -k does not print");
        }
    }

    [Test]
    public void EthtoolJsonK_MatchesEthtoolsJsonForEveryFeatureBothPrint()
    {
        (int exit, string output, _) = Lnet("ethtool", "--json", "-k", "v0");
        Assert.That(exit, Is.Zero);
        using JsonDocument ours = JsonDocument.Parse(output);
        using JsonDocument theirs = JsonDocument.Parse(Ethtool("--json", "-k", "v0"));
        Dictionary<string, string> expected = theirs.RootElement[0].EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        int compared = 0;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ours.RootElement[0].GetProperty("ifname").GetString(), Is.EqualTo("v0"));
            foreach (JsonProperty feature in ours.RootElement[0].EnumerateObject().Where(p => p.Name != "ifname"))
            {
                Assert.That(expected.ContainsKey(feature.Name), Is.True, feature.Name + " is not in ethtool's JSON");
                if (expected.TryGetValue(feature.Name, out string? json))
                {
                    compared++;
                    Assert.That(feature.Value.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal), Is.EqualTo(json.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal)), feature.Name);
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(30));
    }

    [Test]
    public void EthtoolBigK_GroOff_EthtoolShowsItAndExitCodesMatch()
    {
        Assert.That(Lnet("ethtool", "-K", "v0", "gro", "off").Exit, Is.Zero);
        Assert.That(Ethtool("-k", "v0"), Does.Contain("generic-receive-offload: off"));
        Assert.That(Lnet("ethtool", "-K", "v0", "generic-receive-offload", "on").Exit, Is.Zero);
        Assert.That(Ethtool("-k", "v0"), Does.Contain("generic-receive-offload: on"));

        (int exit, string output, _) = Lnet("ethtool", "-K", "v0", "rx-lro", "on");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(1), "ethtool exits 1 when nothing could change");
            Assert.That(output, Is.EqualTo("Could not change any device features\nActual changes:\nrx-lro: off [requested on]\n"));
        }

        (exit, _, string error) = Lnet("ethtool", "-K", "v0", "vlan-challenged", "on");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(92), "ethtool's exit code for a refused -K");
            Assert.That(error, Does.StartWith("netlink error: attempt to change non-ethtool features\n"));
        }

        (exit, _, error) = Lnet("ethtool", "-K", "v0", "no-such-feature", "on");
        Assert.That((exit, error.Contains("no-such-feature", StringComparison.Ordinal)), Is.EqualTo((1, true)));
    }

    [Test]
    public void EthtoolDev_EveryLine_IsALineEthtoolPrints()
    {
        (int exit, string output, _) = Lnet("ethtool", "v0");
        HashSet<string> ethtool = Ethtool("v0").Split('\n').ToHashSet();
        string[] lines = output.TrimEnd().Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(lines, Does.Contain("\tLink detected: yes").And.Contain("\tSpeed: 10000Mb/s"));
            Assert.That(lines.Where(l => !ethtool.Contains(l)), Is.Empty);
        }
    }

    [Test]
    public void EthtoolL_MatchesEthtoolExactly()
    {
        Assert.That(Lnet("ethtool", "-L", "v0", "rx", "2").Exit, Is.Zero);
        Assert.That(Lnet("ethtool", "-l", "v0").Out, Is.EqualTo(Ethtool("-l", "v0")));
        (int exit, _, string error) = Lnet("ethtool", "-L", "v0", "rx", "99");
        Assert.That((exit, error), Is.EqualTo((1, "netlink error: requested channel count exceeds maximum\nnetlink error: Invalid argument\n")));
    }

    [TestCase("-g")]
    [TestCase("--show-priv-flags")]
    public void EthtoolRingsAndPrivateFlags_Veth_FailAsEthtoolDoes(string option)
    {
        (int exit, _, string error) = Lnet("ethtool", option, "v0");
        InvalidOperationException ethtool = Assert.Throws<InvalidOperationException>(() => Ethtool(option, "v0"))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Is.EqualTo("netlink error: Operation not supported\n"));
            Assert.That(ethtool.Message, Does.Contain("exited with 1: netlink error: Operation not supported"));
        }
    }

    [Test]
    public void MptcpEndpoint_AddShowDeleteFlush_SameAsIp()
    {
        Assert.That(Lnet("mptcp", "endpoint", "add", "198.51.100.1", "id", "5", "dev", "v0", "signal", "backup").Exit, Is.Zero);
        Assert.That(Lnet("mptcp", "endpoint", "add", "2001:db8::1", "id", "6", "subflow", "fullmesh").Exit, Is.Zero);
        Ip("mptcp", "endpoint", "add", "203.0.113.1", "port", "8080", "signal");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lnet("mptcp", "endpoint", "show").Out, Is.EqualTo(Ip("mptcp", "endpoint", "show")));
            Assert.That(Lnet("-j", "mptcp", "endpoint", "show").Out.Trim(), Is.EqualTo(Ip("-j", "mptcp", "endpoint", "show").Trim()));
        }

        Assert.That(Lnet("mptcp", "endpoint", "delete", "id", "6").Exit, Is.Zero);
        Assert.That(Ip("mptcp", "endpoint", "show"), Does.Not.Contain("2001:db8::1"));
        Assert.That(Lnet("mptcp", "endpoint", "flush").Exit, Is.Zero);
        Assert.That(Ip("mptcp", "endpoint", "show"), Is.Empty);
    }

    [Test]
    public void MptcpErrors_ExitCodesAndTextAsIp()
    {
        (int exit, _, string error) = Lnet("mptcp", "endpoint", "delete", "id", "77");
        Assert.That((exit, error.Trim()), Is.EqualTo((2, "Error: address not found.")));
        (exit, _, error) = Lnet("mptcp", "endpoint", "add", "198.51.100.1", "id", "256");
        Assert.That((exit, error.Trim()), Is.EqualTo((255, "Error: argument \"256\" is wrong: invalid ID")));
        Assert.That(Ip("mptcp", "endpoint", "show"), Is.Empty);
    }

    [Test]
    public void MptcpLimits_SetShow_SameAsIp()
    {
        Assert.That(Lnet("mptcp", "limits", "set", "subflows", "3", "add_addr_accepted", "2").Exit, Is.Zero);
        Assert.That(Lnet("mptcp", "limits", "show").Out, Is.EqualTo(Ip("mptcp", "limits", "show")));
        Ip("mptcp", "limits", "set", "subflows", "4");
        using JsonDocument json = JsonDocument.Parse(Lnet("-j", "mptcp", "limits").Out);
        Assert.That(json.RootElement.GetProperty("subflows").GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public void Help_NamesTheGenlObjects_AndTheirHelpExitsAsTheToolsDo()
    {
        var stderr = new StringWriter();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(LinuxNet.Samples.Lnet.Lnet.Run(["help"], new StringWriter(), stderr), Is.EqualTo(255), "ip help exits 255");
            Assert.That(stderr.ToString(), Does.Contain("OBJECT += { mptcp | ethtool }"));
            (int mptcpExit, _, string mptcpHelp) = Lnet("mptcp", "help");
            Assert.That(mptcpExit, Is.EqualTo(255), "ip mptcp help: stderr, 255");
            Assert.That(mptcpHelp, Does.Contain("lnet mptcp endpoint add ADDRESS"));
            (int ethtoolExit, string ethtoolHelp, _) = Lnet("ethtool", "help");
            Assert.That(ethtoolExit, Is.Zero, "ethtool -h: stdout, 0");
            Assert.That(ethtoolHelp, Does.Contain("lnet ethtool [--json] -k"));
        }
    }

    private string Ip(params string[] args) => IpOracle.Run(_ns!, args);

    private string Ethtool(params string[] args) => IpOracle.Execute(_ns!, "ethtool", args);

    private (int Exit, string Out, string Error) Lnet(params string[] args) => LnetHarness.Lnet(_name, args);
}
