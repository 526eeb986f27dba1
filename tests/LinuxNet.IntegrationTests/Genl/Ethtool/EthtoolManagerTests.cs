using System.Text.Json;
using LinuxNet.Genl.Ethtool;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Genl.Ethtool;

/// <summary>ethtool over netlink on a veth in a fresh namespace, with Debian's <c>ethtool</c> (netlink) as the oracle.</summary>
[TestFixture]
[Category("Privileged")]
public class EthtoolManagerTests
{
    private GenlLab _lab = null!;

    private EthtoolManager Ethtool => _lab.Session.Ethtool;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = GenlLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void GetFeatures_Veth_MatchesEthtoolJson()
    {
        _lab.Ethtool("-K", "v0", "rx-gro", "on", "tx-tcp-segmentation", "off");
        Dictionary<string, JsonElement> expected = EthtoolJsonFeatures("v0");
        IReadOnlyList<EthtoolFeature> features = Ethtool.GetFeatures("v0");

        int compared = 0;
        using (Assert.EnterMultipleScope())
        {
            foreach (EthtoolFeature feature in features)
            {
                // ethtool's JSON uses the kernel names except where it folds a feature into a legacy name; those are skipped.
                if (!expected.TryGetValue(feature.EthtoolName, out JsonElement oracle) || oracle.GetProperty("fixed").ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                compared++;
                Assert.That(feature.Active, Is.EqualTo(oracle.GetProperty("active").GetBoolean()), feature.Name + " active");
                Assert.That(feature.Fixed, Is.EqualTo(oracle.GetProperty("fixed").GetBoolean()), feature.Name + " fixed");
                Assert.That(feature.Requested, Is.EqualTo(oracle.GetProperty("requested").GetBoolean()), feature.Name + " requested");
            }
        }

        Assert.That(compared, Is.GreaterThan(30), "too few features compared with ethtool");
        Assert.That(features.Single(f => f.Name == "rx-gro").Active, Is.True);
        Assert.That(features.Single(f => f.Name == "tx-tcp-segmentation").Active, Is.False);
    }

    [Test]
    public async Task SetFeaturesAsync_GroOffTsoOff_EthtoolShowsThemOff()
    {
        _lab.Ethtool("-K", "v0", "rx-gro", "on");
        IReadOnlyList<EthtoolFeatureChange> changes = await Ethtool.SetFeaturesAsync("v0", new Dictionary<string, bool> { ["rx-gro"] = false, ["tx-tcp-segmentation"] = false });

        Dictionary<string, JsonElement> after = EthtoolJsonFeatures("v0");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after["generic-receive-offload"].GetProperty("active").GetBoolean(), Is.False);
            Assert.That(after["tx-tcp-segmentation"].GetProperty("active").GetBoolean(), Is.False);
            Assert.That(changes.Where(c => c.Changed).Select(c => (c.Name, c.Active)), Does.Contain(("rx-gro", false)).And.Contain(("tx-tcp-segmentation", false)));
            Assert.That(changes.All(c => c.AsRequested), Is.True);
        }

        // Turned back on by the oracle, read back by LinuxNet.
        _lab.Ethtool("-K", "v0", "rx-gro", "on");
        Assert.That(Ethtool.GetFeatures("v0").Single(f => f.Name == "rx-gro").Active, Is.True);
    }

    [Test]
    public void SetFeatures_FixedFeature_ReportsItIsNotAsRequested()
    {
        // rx-lro is fixed off on veth: ethtool prints "Could not change any device features" and "rx-lro: off [requested on]".
        IReadOnlyList<EthtoolFeatureChange> changes = Ethtool.SetFeatures("v0", new Dictionary<string, bool> { ["rx-lro"] = true });
        EthtoolFeatureChange lro = changes.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lro.Name, Is.EqualTo("rx-lro"));
            Assert.That(lro.Active, Is.False);
            Assert.That(lro.Changed, Is.False);
            Assert.That(lro.AsRequested, Is.False);
            Assert.That(lro.ToString(), Is.EqualTo("rx-lro: off [requested on]"));
        }
    }

    [Test]
    public void SetFeatures_NonEthtoolFeature_ThrowsWithTheKernelsText()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => Ethtool.SetFeatures("v0", new Dictionary<string, bool> { ["vlan-challenged"] = true }))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
            Assert.That(e.ExtendedAckMessage, Is.EqualTo("attempt to change non-ethtool features"));
        }
    }

    [Test]
    public void SetFeatures_UnknownName_ThrowsBeforeTheChange()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Ethtool.SetFeatures("v0", new Dictionary<string, bool> { ["rx-gro"] = false, ["no-such-feature"] = true }))!;
        Assert.That(e.Message, Does.Contain("no-such-feature"));
        Assert.That(EthtoolJsonFeatures("v0")["generic-receive-offload"].GetProperty("requested").GetBoolean(), Is.EqualTo(Ethtool.GetFeatures("v0").Single(f => f.Name == "rx-gro").Requested), "nothing was sent");
    }

    [Test]
    public void GetFeatures_NoSuchDevice_ThrowsEnodev()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => Ethtool.GetFeatures("nosuch0"))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.ENODEV));
    }

    [Test]
    public async Task GetLinkInfo_Veth_MatchesEthtoolSettings()
    {
        string text = _lab.Ethtool("v0");
        EthtoolLinkInfo info = await Ethtool.GetLinkInfoAsync(_lab.Index("v0"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.Name, Is.EqualTo("v0"));
            Assert.That(text, Does.Contain($"Speed: {info.Speed}Mb/s"));
            Assert.That(text, Does.Contain($"Duplex: {info.Duplex}"));
            Assert.That(text, Does.Contain($"Auto-negotiation: {(info.AutoNegotiation ? "on" : "off")}"));
            Assert.That(text, Does.Contain($"Port: {info.PortName}"));
            Assert.That(text, Does.Contain($"Link detected: {(info.LinkDetected == true ? "yes" : "no")}"));
            Assert.That(info.LinkDetected, Is.True);
        }

        _lab.Ip("link", "set", "v1", "down");
        Assert.That(Ethtool.GetLinkInfo("v0").LinkDetected, Is.False);
        Assert.That(_lab.Ethtool("v0"), Does.Contain("Link detected: no"));
    }

    [Test]
    public void SetChannels_Rx2_EthtoolShowsIt()
    {
        EthtoolChannels before = Ethtool.GetChannels("v0");
        Assert.That(_lab.Ethtool("-l", "v0"), Does.Contain($"RX:\t\t{before.MaxRx}"));

        Ethtool.SetChannels("v0", rx: 2);

        EthtoolChannels after = Ethtool.GetChannels("v0");
        string text = _lab.Ethtool("-l", "v0");
        string current = text[text.IndexOf("Current hardware settings", StringComparison.Ordinal)..];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.Rx, Is.EqualTo(2u));
            Assert.That(current, Does.Contain("RX:\t\t2"));
            Assert.That(after.Combined, Is.Null);
            Assert.That(current, Does.Contain("Combined:\tn/a"));
        }
    }

    [Test]
    public void SetChannels_AboveMaximum_ThrowsWithTheKernelsText()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => Ethtool.SetChannels("v0", rx: 1000))!;
        Assert.That(e.ExtendedAckMessage, Is.EqualTo("requested channel count exceeds maximum"));
        Assert.That(Ethtool.GetChannels("v0").Rx, Is.EqualTo(1u), "nothing changed");
    }

    [Test]
    public void SetChannels_NoCount_ThrowsBeforeAnySyscall()
        => Assert.Throws<ArgumentException>(() => Ethtool.SetChannels("v0"));

    [Test]
    public void GetRingsAndPrivateFlags_Veth_AreNotSupportedAsEthtoolSays()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<NetlinkException>(() => Ethtool.GetRings("v0"))!.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
            Assert.That(Assert.Throws<NetlinkException>(() => Ethtool.GetPrivateFlags("v0"))!.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
            Assert.That(() => _lab.Ethtool("-g", "v0"), Throws.InvalidOperationException.With.Message.Contains("Operation not supported"));
        }
    }

    private Dictionary<string, JsonElement> EthtoolJsonFeatures(string device)
    {
        using JsonDocument document = JsonDocument.Parse(_lab.Ethtool("--json", "-k", device));
        return document.RootElement[0].EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object).ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
