using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class NeighbourManagerTests
{
    private RouteLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void Add_PermanentIpv4_IpShowsSameEntry()
    {
        _lab.Manager.Session.Neighbours.Add(new NeighbourSpec(IPAddress.Parse("198.51.100.9"), "v0") { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-09") });

        JsonElement entry = Single(_lab.Json("-4", "neigh", "show", "dev", "v0"));
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("dst").GetString(), Is.EqualTo("198.51.100.9"));
            Assert.That(entry.GetProperty("lladdr").GetString(), Is.EqualTo("02:00:00:00:00:09"));
            Assert.That(entry.GetProperty("state")[0].GetString(), Is.EqualTo("PERMANENT"));
        });
    }

    [Test]
    public async Task AddAsync_Ipv6StaleRouter_IpShowsRouterAndState()
    {
        await _lab.Manager.Session.Neighbours.AddAsync(new NeighbourSpec(IPAddress.Parse("2001:db8::9"), _lab.V0)
        {
            LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-0A"),
            State = NeighbourStates.Stale,
            Flags = NeighbourFlags.Router,
        });

        JsonElement entry = _lab.Json("-6", "neigh", "show", "dev", "v0", "to", "2001:db8::9")[0];
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("lladdr").GetString(), Is.EqualTo("02:00:00:00:00:0a"));
            Assert.That(entry.GetProperty("state")[0].GetString(), Is.EqualTo("STALE"));
            Assert.That(entry.TryGetProperty("router", out _), Is.True);
        });
    }

    [Test]
    public void List_EntriesMadeByIp_ReadsEveryFieldLikeIp()
    {
        _lab.Ip("neigh", "add", "198.51.100.20", "lladdr", "02:00:00:00:00:20", "dev", "v0", "nud", "reachable");
        _lab.Ip("-6", "neigh", "add", "2001:db8::20", "lladdr", "02:00:00:00:00:21", "dev", "v1", "nud", "permanent", "router");
        _lab.Ip("neigh", "add", "198.51.100.21", "dev", "v0", "nud", "noarp");

        // The veth pair's ends also learn each other's link-local addresses and make multicast entries (router
        // solicitations, MLD) a moment after they come up: those appear between any two reads, so both sides leave
        // link-local and multicast addresses out.
        static bool KernelMade(IPAddress a) => a.IsIPv6LinkLocal || a.IsIPv6Multicast || (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && a.GetAddressBytes()[0] >= 224);
        IReadOnlyList<NeighbourInfo> ours = _lab.Manager.Session.Neighbours.List().Where(n => !KernelMade(n.Address)).ToList();
        JsonElement[] theirs = _lab.Json("neigh", "show", "nud", "all").EnumerateArray().Where(n => !KernelMade(IPAddress.Parse(n.GetProperty("dst").GetString()!))).ToArray();
        Assert.That(ours, Has.Count.EqualTo(theirs.Length));
        foreach (JsonElement expected in theirs)
        {
            IPAddress dst = IPAddress.Parse(expected.GetProperty("dst").GetString()!);
            int index = _lab.Index(expected.GetProperty("dev").GetString()!);
            NeighbourInfo actual = ours.Single(n => n.Address.Equals(dst) && n.LinkIndex == index);
            Assert.Multiple(() =>
            {
                Assert.That(actual.State.ToString().ToUpperInvariant(), Is.EqualTo(expected.GetProperty("state")[0].GetString()));
                Assert.That(
                    actual.LinkLayerAddress is null ? null : string.Join(":", actual.LinkLayerAddress.GetAddressBytes().Select(b => b.ToString("x2"))),
                    Is.EqualTo(expected.TryGetProperty("lladdr", out JsonElement mac) ? mac.GetString() : null));
                Assert.That(actual.IsRouter, Is.EqualTo(expected.TryGetProperty("router", out _)));
            });
        }

        Assert.That(ours.Select(n => n.Address.ToString()), Is.SupersetOf(new[] { "198.51.100.20", "2001:db8::20", "198.51.100.21" }));
    }

    [Test]
    public async Task ListAsync_PerLinkAndFamily_FiltersLikeIp()
    {
        _lab.Ip("neigh", "add", "198.51.100.30", "lladdr", "02:00:00:00:00:30", "dev", "v0");
        _lab.Ip("neigh", "add", "198.51.100.31", "lladdr", "02:00:00:00:00:31", "dev", "v1");
        _lab.Ip("-6", "neigh", "add", "2001:db8::31", "lladdr", "02:00:00:00:00:31", "dev", "v1");

        IReadOnlyList<NeighbourInfo> v1Inet = await _lab.Manager.Session.Neighbours.ListAsync(new NeighbourFilter { Link = "v1", Family = AddressFamily.InterNetwork });

        // The kernel adds IPv6 entries of its own while the fresh veth comes up (multicast NOARP entries for its router
        // solicitations and MLD reports), so the two reads are compared once ip reads the same before and after.
        IReadOnlyList<NeighbourInfo> v1Inet6 = [];
        string[] ipInet6 = [];
        for (int attempt = 0; attempt < 20; attempt++)
        {
            string[] before = IpNeighbours6("v1");
            v1Inet6 = _lab.Manager.Session.Neighbours.List(new NeighbourFilter { Link = _lab.V1, Family = AddressFamily.InterNetworkV6 });
            ipInet6 = IpNeighbours6("v1");
            if (before.SequenceEqual(ipInet6))
            {
                break;
            }

            Thread.Sleep(100);
        }

        Assert.Multiple(() =>
        {
            Assert.That(v1Inet.Select(n => n.Address.ToString()), Is.EqualTo(new[] { "198.51.100.31" }));
            Assert.That(v1Inet6.All(n => n.LinkIndex == _lab.V1 && n.Family == AddressFamily.InterNetworkV6), Is.True);
            Assert.That(v1Inet6.Select(n => n.Address.ToString()), Does.Contain("2001:db8::31"));
            Assert.That(v1Inet6.Select(n => n.Address.ToString()).Order(StringComparer.Ordinal), Is.EqualTo(ipInet6));
        });
    }

    private string[] IpNeighbours6(string link)
        => _lab.Json("-6", "neigh", "show", "dev", link, "nud", "all").EnumerateArray().Select(n => n.GetProperty("dst").GetString()!).Order(StringComparer.Ordinal).ToArray();

    [Test]
    public void Replace_ExistingEntry_ChangesMacAndState()
    {
        var address = IPAddress.Parse("198.51.100.40");
        _lab.Manager.Session.Neighbours.Add(new NeighbourSpec(address, "v0") { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-40") });
        _lab.Manager.Session.Neighbours.Replace(new NeighbourSpec(address, "v0") { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-41"), State = NeighbourStates.Stale });

        JsonElement entry = Single(_lab.Json("neigh", "show", "dev", "v0", "to", "198.51.100.40"));
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("lladdr").GetString(), Is.EqualTo("02:00:00:00:00:41"));
            Assert.That(entry.GetProperty("state")[0].GetString(), Is.EqualTo("STALE"));
        });
    }

    [Test]
    public void Add_Duplicate_ThrowsAlreadyExists()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("198.51.100.50"), "v0") { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-50") };
        _lab.Manager.Session.Neighbours.Add(spec);
        NetlinkException error = Assert.Throws<NetlinkException>(() => _lab.Manager.Session.Neighbours.Add(spec))!;
        Assert.That(error.IsAlreadyExists, Is.True);
    }

    [Test]
    public async Task DeleteAsync_EntryMadeByIp_IsGone()
    {
        _lab.Ip("neigh", "add", "198.51.100.60", "lladdr", "02:00:00:00:00:60", "dev", "v0");
        await _lab.Manager.Session.Neighbours.DeleteAsync(new NeighbourSpec(IPAddress.Parse("198.51.100.60"), "v0"));
        Assert.That(_lab.Json("neigh", "show", "dev", "v0", "to", "198.51.100.60").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Delete_Missing_ThrowsNotFound()
    {
        NetlinkException error = Assert.Throws<NetlinkException>(() => _lab.Manager.Session.Neighbours.Delete(new NeighbourSpec(IPAddress.Parse("198.51.100.61"), _lab.V0)))!;
        Assert.That(error.IsNotFound, Is.True);
    }

    [Test]
    public void Proxy_AddListDelete_RoundTripsWithIp()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("2001:db8::70"), "v0") { Flags = NeighbourFlags.Proxy };
        _lab.Manager.Session.Neighbours.Add(spec);
        JsonElement entry = Single(_lab.Json("-6", "neigh", "show", "proxy"));
        IReadOnlyList<NeighbourInfo> proxies = _lab.Manager.Session.Neighbours.List(new NeighbourFilter { Proxies = true });
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("dst").GetString(), Is.EqualTo("2001:db8::70"));
            Assert.That(proxies.Select(p => (p.Address.ToString(), p.IsProxy, p.LinkIndex)), Is.EqualTo(new[] { ("2001:db8::70", true, _lab.V0) }));
        });

        _lab.Manager.Session.Neighbours.Delete(spec);
        Assert.That(_lab.Json("-6", "neigh", "show", "proxy").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Add_UnknownLinkName_ThrowsNotFound()
    {
        LinuxNetException error = Assert.Throws(Is.InstanceOf<LinuxNetException>(), () => _lab.Manager.Session.Neighbours.Add(new NeighbourSpec(IPAddress.Parse("198.51.100.9"), "nosuch0")))! as LinuxNetException ?? throw new AssertionException("no exception");
        Assert.That(error.IsNotFound, Is.True);
    }

    [Test]
    public async Task Get_EntryMadeByIp_MatchesIpNeighGet()
    {
        _lab.Ip("neigh", "add", "198.51.100.5", "lladdr", "02:00:00:00:00:05", "dev", "v0", "nud", "stale", "router");
        int v0 = _lab.Manager.Get("v0").Index;

        NeighbourInfo byName = _lab.Manager.Session.Neighbours.Get(IPAddress.Parse("198.51.100.5"), "v0");
        NeighbourInfo byIndex = await _lab.Manager.Session.Neighbours.GetAsync(IPAddress.Parse("198.51.100.5"), v0);

        // ip neigh get has no JSON output: "198.51.100.5 dev v0 lladdr 02:00:00:00:00:05 router STALE".
        string[] ip = _lab.Ip("neigh", "get", "198.51.100.5", "dev", "v0").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(byName.LinkIndex, Is.EqualTo(v0));
            Assert.That(byName.Address.ToString(), Is.EqualTo(ip[0]));
            Assert.That(byName.LinkLayerAddress?.ToString(), Is.EqualTo(ip[Array.IndexOf(ip, "lladdr") + 1].Replace(":", "").ToUpperInvariant()));
            Assert.That(byName.State.ToString().ToUpperInvariant(), Is.EqualTo(ip[^1]));
            Assert.That(byName.IsRouter, Is.EqualTo(ip.Contains("router")));
            Assert.That((byIndex.Address, byIndex.LinkLayerAddress, byIndex.State), Is.EqualTo((byName.Address, byName.LinkLayerAddress, byName.State)));
        });
    }

    [Test]
    public async Task TryGet_NoEntry_ReturnsNullAndGetThrowsNotFound()
    {
        IPAddress missing = IPAddress.Parse("2001:db8::77");
        NeighbourInfo? viaAsync = await _lab.Manager.Session.Neighbours.TryGetAsync(missing, "v0");
        NeighbourInfo? viaSync = _lab.Manager.Session.Neighbours.TryGet(missing, "v0");
        NetlinkException error = Assert.Throws<NetlinkException>(() => _lab.Manager.Session.Neighbours.Get(missing, "v0"))!;
        Assert.Multiple(() =>
        {
            Assert.That(viaAsync, Is.Null);
            Assert.That(viaSync, Is.Null);
            Assert.That(error.IsNotFound, Is.True);
            Assert.That(error.Message, Does.Contain("2001:db8::77"));
        });
    }

    [Test]
    public void TryGet_LinkIndexThatDoesNotExist_ThrowsNoDevice()
    {
        NetlinkException error = Assert.Throws<NetlinkException>(() => _lab.Manager.Session.Neighbours.TryGet(IPAddress.Parse("198.51.100.5"), 4242))!;
        Assert.That(error.Errno, Is.EqualTo(Errno.ENODEV), "a missing link is not a missing entry");
    }

    [Test]
    public void Get_BadInput_ThrowsBeforeSending()
        => Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => _lab.Manager.Session.Neighbours.Get(IPAddress.Any, "v0"));
            Assert.Throws<ArgumentException>(() => _lab.Manager.Session.Neighbours.TryGet(IPAddress.Parse("198.51.100.5"), "bad/name"));
            Assert.Throws<ArgumentException>(() => _lab.Manager.Session.Neighbours.TryGet(IPAddress.Parse("198.51.100.5"), default(LinkReference)));
        });

    [Test]
    public void Flush_OneLink_KeepsPermanentLikeIpNeighFlush()
    {
        _lab.Ip("neigh", "add", "198.51.100.5", "lladdr", "02:00:00:00:00:05", "dev", "v0", "nud", "reachable");
        _lab.Ip("neigh", "add", "198.51.100.6", "lladdr", "02:00:00:00:00:06", "dev", "v0", "nud", "stale", "router");
        _lab.Ip("neigh", "add", "198.51.100.7", "lladdr", "02:00:00:00:00:07", "dev", "v0", "nud", "permanent");
        _lab.Ip("-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:15", "dev", "v0", "nud", "stale");
        _lab.Ip("neigh", "add", "198.51.100.8", "lladdr", "02:00:00:00:00:08", "dev", "v1", "nud", "stale");

        int deleted = _lab.Manager.Session.Neighbours.Flush(new NeighbourFilter { Link = "v0" });

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(3));
            Assert.That(_lab.Json("-4", "neigh", "show", "dev", "v0", "nud", "all").EnumerateArray().Select(e => e.GetProperty("dst").GetString()), Is.EqualTo(new[] { "198.51.100.7" }));
            Assert.That(_lab.Json("-6", "neigh", "show", "dev", "v0", "nud", "all").EnumerateArray().Select(e => e.GetProperty("dst").GetString()), Does.Not.Contain("2001:db8::5"), "only the kernel's noarp multicast entries stay");
            Assert.That(_lab.Json("neigh", "show", "dev", "v1").EnumerateArray().Select(e => e.GetProperty("dst").GetString()), Does.Contain("198.51.100.8"), "another link is untouched");
        });
    }

    [Test]
    public async Task FlushAsync_IncludePermanent_LeavesNothingOfTheFamily()
    {
        _lab.Ip("neigh", "add", "198.51.100.7", "lladdr", "02:00:00:00:00:07", "dev", "v0", "nud", "permanent");
        _lab.Ip("neigh", "add", "198.51.100.9", "lladdr", "02:00:00:00:00:09", "dev", "v0", "nud", "noarp");
        _lab.Ip("-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:15", "dev", "v0", "nud", "permanent");

        int deleted = await _lab.Manager.Session.Neighbours.FlushAsync(new NeighbourFilter { Link = "v0", Family = AddressFamily.InterNetwork }, includePermanent: true);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(2));
            Assert.That(_lab.Json("-4", "neigh", "show", "dev", "v0", "nud", "all").GetArrayLength(), Is.Zero);
            Assert.That(_lab.Json("-6", "neigh", "show", "dev", "v0", "nud", "permanent").EnumerateArray().Select(e => e.GetProperty("dst").GetString()), Is.EqualTo(new[] { "2001:db8::5" }));
        });
    }

    private static JsonElement Single(JsonElement array)
    {
        Assert.That(array.GetArrayLength(), Is.EqualTo(1), array.ToString());
        return array[0];
    }
}
