using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class AlternativeNameTests
{
    private const string Long = "v0-alternative-name-long";
    private RouteLab _lab = null!;

    private LinkManager Links => _lab.Manager;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void AddAlternativeName_LongAndShort_IpShowsThemAndLinkInfoReadsThem()
    {
        Links.AddAlternativeName("v0", Long);
        Links.AddAlternativeName(_lab.V0, "ab:cd");
        Assert.Multiple(() =>
        {
            Assert.That(IpAltnames("v0"), Is.EqualTo(new[] { Long, "ab:cd" }));
            Assert.That(Links.Get("v0").AlternativeNames, Is.EqualTo(new[] { Long, "ab:cd" }));
            Assert.That(Links.List().Single(l => l.Name == "v0").AlternativeNames, Is.EqualTo(new[] { Long, "ab:cd" }));
            Assert.That(Links.Get("v1").AlternativeNames, Is.Empty);
        });
    }

    [Test]
    public void AlternativeNamesMadeByIp_NameTheLinkInEveryVerb()
    {
        _lab.Ip("link", "property", "add", "dev", "v0", "altname", Long, "altname", "short0");
        Assert.Multiple(() =>
        {
            Assert.That(Links.Get(Long).Index, Is.EqualTo(_lab.V0));
            Assert.That(Links.Get("short0").Index, Is.EqualTo(_lab.V0));
            Assert.That(Links.GetIndex(Long), Is.EqualTo(_lab.V0));
            Assert.That(Links.TryGet(Long)!.AlternativeNames, Is.EqualTo(new[] { Long, "short0" }));
        });

        Links.SetMtu(Long, 1400);
        Links.Change(Long, new LinkChanges { Alias = "by-altname" });
        _lab.Manager.Session.Addresses.Add(Links.GetIndex(Long), IPPrefix.Parse("198.51.100.1/24"));
        JsonElement v0 = _lab.Json("address", "show", "dev", "v0")[0];
        Assert.Multiple(() =>
        {
            Assert.That(v0.GetProperty("mtu").GetInt32(), Is.EqualTo(1400));
            Assert.That(v0.GetProperty("addr_info").EnumerateArray().Any(a => a.GetProperty("local").GetString() == "198.51.100.1"), Is.True);
            Assert.That(_lab.Json("link", "show", "dev", "v0")[0].GetProperty("ifalias").GetString(), Is.EqualTo("by-altname"));
        });

        Links.Delete("short0");
        Assert.That(Links.TryGet("v0"), Is.Null);
    }

    [Test]
    public async Task DeleteAlternativeNameAsync_Removes_IpShowsNoneAndTheNameNoLongerResolves()
    {
        await Links.AddAlternativeNameAsync("v0", Long);
        await Links.DeleteAlternativeNameAsync(Long, Long);
        Assert.Multiple(async () =>
        {
            Assert.That(IpAltnames("v0"), Is.Empty);
            Assert.That(await Links.TryGetAsync(Long), Is.Null);
        });
    }

    [Test]
    public void AddAlternativeName_EqualToAnotherLinksName_ThrowsWithTheKernelsRefusal()
    {
        var e = Assert.Throws<NetlinkException>(() => Links.AddAlternativeName("v0", "v1"));
        var missing = Assert.Throws<NetlinkException>(() => Links.DeleteAlternativeName("v0", "not-there"));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(e.Message, Does.Contain("ip link property add").And.Contain("altname v1"));
            Assert.That(missing!.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(IpAltnames("v0"), Is.Empty);
        });
    }

    [TestCase("")]
    [TestCase("with space")]
    [TestCase("with/slash")]
    public void AddAlternativeName_BadName_RefusedBeforeAnythingIsSent(string name)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Links.AddAlternativeName("v0", name), Throws.InstanceOf<ArgumentException>());
            Assert.That(async () => await Links.AddAlternativeNameAsync("v0", name), Throws.InstanceOf<ArgumentException>());
        });
        Assert.That(IpAltnames("v0"), Is.Empty);
    }

    [Test]
    public void AddAlternativeName_Over127Bytes_RefusedAnd127Accepted()
    {
        Assert.That(() => Links.AddAlternativeName("v0", new string('a', 128)), Throws.InstanceOf<ArgumentException>());
        Links.AddAlternativeName("v0", new string('a', 127));
        Assert.That(IpAltnames("v0"), Is.EqualTo(new[] { new string('a', 127) }));
        Assert.That(Links.Get(new string('a', 127)).Index, Is.EqualTo(_lab.V0));
    }

    private string[] IpAltnames(string dev)
        => _lab.Json("link", "show", "dev", dev)[0].TryGetProperty("altnames", out JsonElement names)
            ? names.EnumerateArray().Select(n => n.GetString()!).ToArray()
            : [];
}
