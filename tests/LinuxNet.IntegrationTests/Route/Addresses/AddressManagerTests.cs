using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Addresses;

[Category("Privileged")]
public class AddressManagerTests
{
    private NetNamespace _ns = null!;
    private LinkManager _links = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
        // No duplicate address detection on the links made below: a link-local address that turns from tentative to
        // valid between the ip read and the LinuxNet read would make the comparisons flaky.
        IpOracle.Execute(_ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "link", "set", "v0", "up");
        IpOracle.Run(_ns, "link", "set", "v1", "up");
    }

    [TearDown]
    public void TearDown()
    {
        _links?.Dispose();
        _ns?.Dispose();
    }

    private JsonElement IpAddresses(string dev) => IpOracle.Json(_ns, "-d", "addr", "show", "dev", dev)[0].GetProperty("addr_info");

    private static JsonElement Find(JsonElement addrInfo, string local)
        => addrInfo.EnumerateArray().Single(a => a.GetProperty("local").GetString() == local);

    private static string Scope(RouteScope scope) => scope switch
    {
        RouteScope.Universe => "global",
        RouteScope.Link => "link",
        RouteScope.Host => "host",
        _ => ((int)scope).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Compares one LinuxNet address with its <c>ip -j -d addr</c> entry, field by field.</summary>
    private static void AssertSame(JsonElement ip, AddressInfo info)
    {
        Assert.Multiple(() =>
        {
            Assert.That(info.Address.Address.ToString(), Is.EqualTo(ip.GetProperty("local").GetString()), "local");
            Assert.That(info.Address.PrefixLength, Is.EqualTo(ip.GetProperty("prefixlen").GetInt32()), "prefixlen");
            Assert.That(info.Family == AddressFamily.InterNetworkV6 ? "inet6" : "inet", Is.EqualTo(ip.GetProperty("family").GetString()), "family");
            Assert.That(info.Peer?.ToString(), Is.EqualTo(ip.TryGetProperty("address", out JsonElement a) ? a.GetString() : null), "peer");
            Assert.That(info.Broadcast?.ToString(), Is.EqualTo(ip.TryGetProperty("broadcast", out JsonElement b) ? b.GetString() : null), "broadcast");
            Assert.That(info.Label, Is.EqualTo(ip.TryGetProperty("label", out JsonElement l) ? l.GetString() : null), "label");
            Assert.That(Scope(info.Scope), Is.EqualTo(ip.GetProperty("scope").GetString()), "scope");
            Assert.That(info.Metric, Is.EqualTo(ip.TryGetProperty("metric", out JsonElement m) ? m.GetUInt32() : (uint?)null), "metric");
            Assert.That(info.ValidLifetime is null ? uint.MaxValue : info.ValidLifetime.Value.TotalSeconds, Is.EqualTo(ip.GetProperty("valid_life_time").GetDouble()).Within(3), "valid_life_time");
            Assert.That(info.PreferredLifetime is null ? uint.MaxValue : info.PreferredLifetime.Value.TotalSeconds, Is.EqualTo(ip.GetProperty("preferred_life_time").GetDouble()).Within(3), "preferred_life_time");
            Assert.That((info.Flags & AddressFlags.NoPrefixRoute) != 0, Is.EqualTo(ip.TryGetProperty("noprefixroute", out _)), "noprefixroute");
            Assert.That((info.Flags & AddressFlags.NoDad) != 0, Is.EqualTo(ip.TryGetProperty("nodad", out _)), "nodad");
            Assert.That((info.Flags & AddressFlags.Tentative) != 0, Is.EqualTo(ip.TryGetProperty("tentative", out _)), "tentative");
            Assert.That((info.Flags & AddressFlags.Permanent) == 0, Is.EqualTo(ip.TryGetProperty("dynamic", out _)), "dynamic");
        });
    }

    [Test]
    public void Add_Ipv4WithAllOptions_IpShowsSameFields()
    {
        var spec = new AddressSpec("v0", IPPrefix.Parse("198.51.100.7/24"))
        {
            AutoBroadcast = true,
            Label = "v0:lab",
            Metric = 50,
            ValidLifetime = TimeSpan.FromSeconds(300),
            PreferredLifetime = TimeSpan.FromSeconds(200),
            Flags = AddressFlags.NoPrefixRoute,
        };
        _links.Session.Addresses.Add(spec);

        JsonElement ip = Find(IpAddresses("v0"), "198.51.100.7");
        AddressInfo info = _links.Session.Addresses.List("v0", AddressFamily.InterNetwork).Single();
        Assert.Multiple(() =>
        {
            Assert.That(ip.GetProperty("broadcast").GetString(), Is.EqualTo("198.51.100.255"));
            Assert.That(ip.GetProperty("label").GetString(), Is.EqualTo("v0:lab"));
            Assert.That(ip.GetProperty("valid_life_time").GetInt32(), Is.InRange(290, 300));
            Assert.That(ip.GetProperty("preferred_life_time").GetInt32(), Is.InRange(190, 200));
            Assert.That(ip.TryGetProperty("noprefixroute", out _), Is.True);
        });
        AssertSame(ip, info);
    }

    [Test]
    public async Task AddAsync_Ipv6NoDadAndPointToPoint_IpShowsSameFields()
    {
        await _links.Session.Addresses.AddAsync(new AddressSpec("v0", IPPrefix.Parse("2001:db8::7/64")) { Flags = AddressFlags.NoDad });
        await _links.Session.Addresses.AddAsync("v1", IPPrefix.Parse("2001:db8:1::9/128"));
        await _links.Session.Addresses.AddAsync(new AddressSpec("v0", IPPrefix.Parse("198.51.100.50/32")) { Peer = IPAddress.Parse("198.51.100.51") });

        IReadOnlyList<AddressInfo> mine = await _links.Session.Addresses.ListAsync("v0");
        JsonElement ip = IpAddresses("v0");
        AssertSame(Find(ip, "2001:db8::7"), mine.Single(a => a.Address.Address.Equals(IPAddress.Parse("2001:db8::7"))));
        AddressInfo ptp = mine.Single(a => a.Address.Address.Equals(IPAddress.Parse("198.51.100.50")));
        AssertSame(Find(ip, "198.51.100.50"), ptp);
        Assert.That(ptp.Peer, Is.EqualTo(IPAddress.Parse("198.51.100.51")));
        Assert.That(Find(IpAddresses("v1"), "2001:db8:1::9").GetProperty("prefixlen").GetInt32(), Is.EqualTo(128));
    }

    [Test]
    public void List_AddressesCreatedByIp_MatchIpFieldByField()
    {
        IpOracle.Run(_ns, "addr", "add", "198.51.100.9/26", "brd", "198.51.100.63", "label", "v0:x", "dev", "v0");
        IpOracle.Run(_ns, "addr", "add", "198.51.100.70", "peer", "198.51.100.71/32", "dev", "v0", "scope", "link");
        IpOracle.Run(_ns, "addr", "add", "2001:db8::5/64", "dev", "v0", "nodad", "valid_lft", "100", "preferred_lft", "50", "metric", "77");
        IpOracle.Run(_ns, "addr", "add", "2001:db8:2::5/64", "dev", "v1", "nodad", "noprefixroute");

        foreach (string dev in new[] { "lo", "v0", "v1" })
        {
            JsonElement ip = IpAddresses(dev);
            IReadOnlyList<AddressInfo> mine = _links.Session.Addresses.List(dev);
            Assert.That(mine, Has.Count.EqualTo(ip.GetArrayLength()), dev);
            foreach (JsonElement entry in ip.EnumerateArray())
            {
                AssertSame(entry, mine.Single(a => a.Address.Address.ToString() == entry.GetProperty("local").GetString()));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(_links.Session.Addresses.List(null, AddressFamily.InterNetworkV6).All(a => a.Family == AddressFamily.InterNetworkV6), Is.True);
            Assert.That(_links.Session.Addresses.List(null, AddressFamily.InterNetwork).Select(a => a.Address.ToString()), Is.EquivalentTo(new[] { "198.51.100.9/26", "198.51.100.70/32" }), "lo is down, so it has no 127.0.0.1");
        });
    }

    [Test]
    public void Replace_ExistingAddress_UpdatesLifetimes()
    {
        var prefix = IPPrefix.Parse("2001:db8::8/64");
        _links.Session.Addresses.Add(new AddressSpec("v0", prefix) { Flags = AddressFlags.NoDad });
        Assert.That(() => _links.Session.Addresses.Add(new AddressSpec("v0", prefix) { Flags = AddressFlags.NoDad }), Throws.InstanceOf<NetlinkException>().With.Property(nameof(LinuxNetException.IsAlreadyExists)).True);

        _links.Session.Addresses.Replace(new AddressSpec("v0", prefix) { Flags = AddressFlags.NoDad, ValidLifetime = TimeSpan.FromSeconds(600), PreferredLifetime = TimeSpan.FromSeconds(60) });
        JsonElement ip = Find(IpAddresses("v0"), "2001:db8::8");
        Assert.That(ip.GetProperty("valid_life_time").GetInt32(), Is.InRange(590, 600));
        AssertSame(ip, _links.Session.Addresses.List("v0").Single(a => a.Address == prefix));
    }

    [Test]
    public async Task DeleteAndFlush_RemoveAddresses_IpAgrees()
    {
        _links.Session.Addresses.Add("v0", IPPrefix.Parse("198.51.100.1/24"));
        _links.Session.Addresses.Add("v0", IPPrefix.Parse("198.51.100.2/24"));
        _links.Session.Addresses.Add(new AddressSpec("v0", IPPrefix.Parse("2001:db8::1/64")) { Flags = AddressFlags.NoDad });

        _links.Session.Addresses.Delete("v0", IPPrefix.Parse("198.51.100.2/24"));
        Assert.That(IpAddresses("v0").EnumerateArray().Select(a => a.GetProperty("local").GetString()), Does.Not.Contain("198.51.100.2"));

        int flushed = _links.Session.Addresses.Flush("v0", AddressFamily.InterNetwork);
        Assert.That(flushed, Is.EqualTo(1));
        Assert.That(IpAddresses("v0").EnumerateArray().Count(a => a.GetProperty("family").GetString() == "inet"), Is.Zero);

        int flushed6 = await _links.Session.Addresses.FlushAsync("v0", AddressFamily.InterNetworkV6);
        Assert.That(flushed6, Is.GreaterThanOrEqualTo(2), "2001:db8::1 and the fe80:: link-local address");
        Assert.That(IpAddresses("v0").GetArrayLength(), Is.Zero);

        await _links.Session.Addresses.AddAsync("v0", IPPrefix.Parse("198.51.100.3/24"));
        await _links.Session.Addresses.DeleteAsync("v0", IPPrefix.Parse("198.51.100.3/24"));
        Assert.That(await _links.Session.Addresses.ListAsync("v0"), Is.Empty);
    }

    [Test]
    public async Task Get_AddressesMadeByIp_MatchIpFieldByField()
    {
        IpOracle.Run(_ns, "addr", "add", "198.51.100.1/24", "dev", "v0", "label", "v0:a", "metric", "50");
        IpOracle.Run(_ns, "addr", "add", "198.51.100.1/25", "dev", "v1");
        IpOracle.Run(_ns, "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad");
        int v0 = _links.Get("v0").Index;

        AddressInfo ipv4 = _links.Session.Addresses.Get("v0", IPPrefix.Parse("198.51.100.1/24"));
        AddressInfo ipv6 = await _links.Session.Addresses.GetAsync(v0, IPPrefix.Parse("2001:db8::1/64"));

        AssertSame(Find(IpAddresses("v0"), "198.51.100.1"), ipv4);
        AssertSame(Find(IpAddresses("v0"), "2001:db8::1"), ipv6);
        Assert.That((ipv4.LinkIndex, ipv6.LinkIndex), Is.EqualTo((v0, v0)), "the same address on v1 is not v0's");
    }

    [Test]
    public async Task TryGet_AddressTheLinkDoesNotHave_ReturnsNullAndGetThrowsNotFound()
    {
        IpOracle.Run(_ns, "addr", "add", "198.51.100.1/24", "dev", "v0");
        IPPrefix otherLength = IPPrefix.Parse("198.51.100.1/25");

        AddressInfo? viaSync = _links.Session.Addresses.TryGet("v0", otherLength);
        AddressInfo? viaAsync = await _links.Session.Addresses.TryGetAsync("v1", IPPrefix.Parse("198.51.100.1/24"));
        NetlinkException error = Assert.Throws<NetlinkException>(() => _links.Session.Addresses.Get("v0", otherLength))!;
        NetlinkException noLink = Assert.Throws<NetlinkException>(() => _links.Session.Addresses.TryGet(4242, otherLength))!;
        Assert.Multiple(() =>
        {
            Assert.That(viaSync, Is.Null, "a different prefix length is a different address");
            Assert.That(viaAsync, Is.Null);
            Assert.That(error.IsNotFound, Is.True);
            Assert.That(error.Message, Does.Contain("198.51.100.1/25"));
            Assert.That(noLink.Errno, Is.EqualTo(Errno.ENODEV), "a missing link is not a missing address");
        });
    }

    [Test]
    public void Get_BadInput_ThrowsBeforeSending()
        => Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => _links.Session.Addresses.Get("bad/name", IPPrefix.Parse("198.51.100.1/24")));
            Assert.Throws<ArgumentException>(() => _links.Session.Addresses.TryGet("v0", default));
        });

    [Test]
    public void Add_Duplicate_IsAlreadyExists()
    {
        _links.Session.Addresses.Add("v0", IPPrefix.Parse("198.51.100.1/24"));
        var e = Assert.Throws<NetlinkException>(() => _links.Session.Addresses.Add("v0", IPPrefix.Parse("198.51.100.1/24")))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.IsAlreadyExists, Is.True);
            Assert.That(e.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(e.Operation, Is.EqualTo("ip address add"), "named as ip names it, like link operations");
            Assert.That(e.Message, Does.StartWith("ip address add: "));

            // The kernel's own words, as iproute2 prints them ("Error: ipv4: Address already assigned.").
            Assert.That(e.ExtendedAckMessage, Does.Contain("Address already assigned"));
            Assert.That(e.Message, Does.Contain("Address already assigned"));
        });
    }

    [Test]
    public void Add_MissingLink_IsNotFound()
    {
        var byName = Assert.Throws<NetlinkException>(() => _links.Session.Addresses.Add("nosuch0", IPPrefix.Parse("198.51.100.1/24")))!;
        var byIndex = Assert.Throws<NetlinkException>(() => _links.Session.Addresses.Add(new AddressSpec(9999, IPPrefix.Parse("198.51.100.1/24"))))!;
        Assert.Multiple(() =>
        {
            Assert.That(byName.IsNotFound, Is.True);
            Assert.That(byName.Message, Does.StartWith("ip address add: no link named 'nosuch0'"), "names the address operation and the link, not 'ip link:'");
            Assert.That(byName.Operation, Is.EqualTo("ip address add (dev nosuch0)"));
            Assert.That(byIndex.IsNotFound, Is.True);
            Assert.That(byIndex.Errno, Is.EqualTo(Errno.ENODEV));
            Assert.That(byIndex.Operation, Is.EqualTo("ip address add"));
        });
    }

    [Test]
    public void Delete_MissingAddress_IsNotFound()
    {
        var e = Assert.Throws<NetlinkException>(() => _links.Session.Addresses.Delete("v0", IPPrefix.Parse("198.51.100.99/24")))!;
        Assert.That(e.IsNotFound, Is.True, e.Message);
    }

    [Test]
    public void Add_ScopeMismatchOnSameSubnet_CarriesKernelText()
    {
        _links.Session.Addresses.Add("v0", IPPrefix.Parse("198.51.100.1/24"));
        var e = Assert.Throws<NetlinkException>(() => _links.Session.Addresses.Add(new AddressSpec("v0", IPPrefix.Parse("198.51.100.2/24")) { Scope = RouteScope.Link }))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
            Assert.That(e.ExtendedAckMessage, Does.Contain("Invalid scope"));
            Assert.That(e.Message, Does.Contain("Invalid scope"));
        });
    }

    [Test]
    public void Add_BadInput_ThrowsBeforeSending()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _links.Session.Addresses.Add(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Peer = IPAddress.Parse("2001:db8::1") }), Throws.ArgumentException);
            Assert.That(() => _links.Session.Addresses.Add("v0/x", IPPrefix.Parse("198.51.100.1/24")), Throws.ArgumentException);
            Assert.That(() => _links.Session.Addresses.List("bad name"), Throws.ArgumentException);
            Assert.That(() => _links.Session.Addresses.List(null, AddressFamily.Unix), Throws.ArgumentException);
        });
        Assert.That(IpAddresses("v0").EnumerateArray().Count(a => a.GetProperty("family").GetString() == "inet"), Is.Zero);
    }
}
