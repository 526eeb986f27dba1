using System.Net.NetworkInformation;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;
using static LinuxNet.IntegrationTests.Route.Links.LinkOracle;

namespace LinuxNet.IntegrationTests.Route.Links;

/// <summary>
/// <see cref="LinkManager.Change(LinkReference, LinkChanges)"/>: every change of an <c>ip link set</c> in one request,
/// read back with <c>ip -j -d link show</c>; a refused request changes nothing.
/// </summary>
[Category("Privileged")]
public class LinkChangeTests
{
    private NetNamespace _ns = null!;
    private RtnetlinkSession _rt = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _rt = RtnetlinkSession.Open(_ns);
        _rt.Links.Add(new VethLinkSpec("v0", "v1"));
        _rt.Links.Add(new BridgeLinkSpec("br0"));
    }

    [TearDown]
    public void TearDown()
    {
        _rt?.Dispose();
        _ns?.Dispose();
    }

    [Test]
    public void Change_EveryProperty_AppliedAsIpShowsIt()
    {
        _rt.Links.Change("v0", new LinkChanges
        {
            Mtu = 1400,
            Address = PhysicalAddress.Parse("02-00-00-00-00-42"),
            TransmitQueueLength = 500,
            Alias = "uplink",
            Mode = LinkMode.Dormant,
            Master = "br0",
            Name = "d9",
            Promiscuous = true,
            Up = true,
        });

        var ip = Show(_ns, "d9");
        Assert.Multiple(() =>
        {
            Assert.That(Exists(_ns, "v0"), Is.False, "renamed");
            Assert.That(ip.GetProperty("mtu").GetInt32(), Is.EqualTo(1400));
            Assert.That(ip.GetProperty("address").GetString(), Is.EqualTo("02:00:00:00:00:42"));
            Assert.That(ip.GetProperty("txqlen").GetInt32(), Is.EqualTo(500));
            Assert.That(ip.GetProperty("ifalias").GetString(), Is.EqualTo("uplink"));
            Assert.That(ip.GetProperty("linkmode").GetString(), Is.EqualTo("DORMANT"));
            Assert.That(Str(ip, "master"), Is.EqualTo("br0"));
            Assert.That(FlagSet(ip), Does.Contain("UP").And.Contain("PROMISC"));
        });

        LinkInfo link = _rt.Links.TryGet("d9")!;
        Assert.Multiple(() =>
        {
            Assert.That(link.Mtu, Is.EqualTo(1400));
            Assert.That(link.Alias, Is.EqualTo("uplink"));
            Assert.That(link.MasterIndex, Is.EqualTo(_rt.Links.TryGet("br0")!.Index));
            Assert.That(link.Flags & (LinkFlags.Up | LinkFlags.Promiscuous), Is.EqualTo(LinkFlags.Up | LinkFlags.Promiscuous));
        });
    }

    [Test]
    public void ChangeAsync_TakenName_ChangesNothing()
    {
        JsonSnapshot before = Snapshot("v0");

        // The kernel applies the MTU, the alias and the flags before it finds the name taken (do_setlink goes one
        // attribute after the other): Change puts them back, so nothing of the request stays.
        NetlinkException e = Assert.ThrowsAsync<NetlinkException>(async () => await _rt.Links.ChangeAsync("v0", new LinkChanges
        {
            Mtu = 1400,
            Alias = "changed",
            Name = "br0",
            Up = true,
        }))!;
        Assert.That(e.IsAlreadyExists, Is.True, e.Message);
        Assert.That(e.Message, Does.Contain("ip link set"));
        Assert.That(Snapshot("v0"), Is.EqualTo(before), "nothing was applied");
    }

    [Test]
    public async Task Get_Missing_ThrowsNotFoundNamingTheLink()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => _rt.Links.Get("nope0"))!;
        NetlinkException a = Assert.ThrowsAsync<NetlinkException>(async () => await _rt.Links.GetAsync(4242))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.IsNotFound && a.IsNotFound, Is.True);
            Assert.That(e.Message, Does.Contain("nope0"));
            Assert.That(_rt.Links.TryGet("nope0"), Is.Null);
        });
        Assert.That((await _rt.Links.GetAsync("v0")).Name, Is.EqualTo("v0"));
    }

    [Test]
    public void Change_NothingToChange_ThrowsBeforeSending()
        => Assert.Throws<ArgumentException>(() => _rt.Links.Change("v0", new LinkChanges()));

    private JsonSnapshot Snapshot(string name)
    {
        var ip = Show(_ns, name);
        return new JsonSnapshot(ip.GetProperty("mtu").GetInt32(), Str(ip, "ifalias"), string.Join(",", FlagSet(ip)));
    }

    private sealed record JsonSnapshot(int Mtu, string? Alias, string Flags);
}
