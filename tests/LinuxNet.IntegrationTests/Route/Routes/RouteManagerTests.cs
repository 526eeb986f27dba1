using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Routes;

[Category("Privileged")]
public class RouteManagerTests
{
    private NetNamespace _ns = null!;
    private LinkManager _links = null!;
    private Dictionary<string, int> _index = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
        IpOracle.Run(_ns, "link", "set", "lo", "up");
        // No duplicate address detection on the links made below: a link-local address that turns from tentative to
        // valid between the ip read and the LinuxNet read would make the comparisons flaky.
        IpOracle.Execute(_ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "link", "set", "v0", "up");
        IpOracle.Run(_ns, "link", "set", "v1", "up");
        IpOracle.Run(_ns, "addr", "add", "198.51.100.1/24", "dev", "v0");
        IpOracle.Run(_ns, "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad");
        _index = IpOracle.Json(_ns, "link", "show").EnumerateArray().ToDictionary(l => l.GetProperty("ifname").GetString()!, l => l.GetProperty("ifindex").GetInt32());
    }

    [TearDown]
    public void TearDown()
    {
        _links?.Dispose();
        _ns?.Dispose();
    }

    private static string Table(uint table) => table switch
    {
        RouteTables.Main => "main",
        RouteTables.Local => "local",
        RouteTables.Default => "default",
        _ => table.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Scope(RouteScope scope) => scope switch
    {
        RouteScope.Universe => "global",
        RouteScope.Link => "link",
        RouteScope.Host => "host",
        _ => ((int)scope).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Protocol(RouteProtocol protocol) => protocol switch
    {
        RouteProtocol.Kernel => "kernel",
        RouteProtocol.Boot => "boot",
        RouteProtocol.Static => "static",
        RouteProtocol.RouterAdvertisement => "ra",
        _ => ((int)protocol).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Destination(RouteInfo route)
        => route.Destination.PrefixLength == 0 ? "default" : route.Destination.IsHost ? route.Destination.Address.ToString() : route.Destination.ToString();

    /// <summary>Every route of <c>ip -j -d [-6] route show table all</c> against <see cref="RouteManager.List"/>, field by field.</summary>
    private void AssertListMatchesIp(AddressFamily family)
    {
        JsonElement ip = family == AddressFamily.InterNetworkV6
            ? IpOracle.Json(_ns, "-d", "-6", "route", "show", "table", "all")
            : IpOracle.Json(_ns, "-d", "-4", "route", "show", "table", "all");
        IReadOnlyList<RouteInfo> mine = _links.Session.Routes.List(family);
        Assert.That(mine, Has.Count.EqualTo(ip.GetArrayLength()));
        foreach (JsonElement e in ip.EnumerateArray())
        {
            string table = e.TryGetProperty("table", out JsonElement t) ? t.GetString()! : "main";
            string type = e.TryGetProperty("type", out JsonElement ty) ? ty.GetString()! : "unicast";
            uint? metric = e.TryGetProperty("metric", out JsonElement m) ? m.GetUInt32() : null;
            int dev = e.TryGetProperty("dev", out JsonElement d) ? _index[d.GetString()!] : 0;
            RouteInfo? r = mine.SingleOrDefault(x => Destination(x) == e.GetProperty("dst").GetString() && Table(x.Table) == table
                && x.Type.ToString().ToLowerInvariant() == type && x.Metric == metric && x.LinkIndex == dev);
            Assert.That(r, Is.Not.Null, $"LinuxNet did not list {e}");
            Assert.Multiple(() =>
            {
                Assert.That(Protocol(r!.Protocol), Is.EqualTo(e.GetProperty("protocol").GetString()), e.ToString());
                Assert.That(Scope(r.Scope), Is.EqualTo(e.GetProperty("scope").GetString()), e.ToString());
                Assert.That(r.Gateway?.ToString(), Is.EqualTo(e.TryGetProperty("gateway", out JsonElement g) ? g.GetString() : null), e.ToString());
                Assert.That(r.PreferredSource?.ToString(), Is.EqualTo(e.TryGetProperty("prefsrc", out JsonElement p) ? p.GetString() : null), e.ToString());
                Assert.That((r.Flags & RouteNextHopFlags.OnLink) != 0, Is.EqualTo(e.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "onlink")), e.ToString());
                if (e.TryGetProperty("metrics", out JsonElement mx))
                {
                    Assert.That(r.Metrics?.Mtu, Is.EqualTo(mx[0].TryGetProperty("mtu", out JsonElement mtu) ? mtu.GetUInt32() : null), e.ToString());
                    Assert.That(r.Metrics?.HopLimit, Is.EqualTo(mx[0].TryGetProperty("hoplimit", out JsonElement hl) ? hl.GetUInt32() : null), e.ToString());
                    Assert.That(r.Metrics?.InitialCongestionWindow, Is.EqualTo(mx[0].TryGetProperty("initcwnd", out JsonElement ic) ? ic.GetUInt32() : null), e.ToString());
                    Assert.That(r.Metrics?.AdvertisedMss, Is.EqualTo(mx[0].TryGetProperty("advmss", out JsonElement am) ? am.GetUInt32() : null), e.ToString());
                }

                if (e.TryGetProperty("nexthops", out JsonElement hops))
                {
                    Assert.That(r.NextHops.Select(h => (h.Gateway?.ToString(), h.LinkIndex, h.Weight)),
                        Is.EqualTo(hops.EnumerateArray().Select(h => (h.GetProperty("gateway").GetString(), _index[h.GetProperty("dev").GetString()!], h.GetProperty("weight").GetInt32()))), e.ToString());
                }
                else
                {
                    Assert.That(r.NextHops, Is.Empty, e.ToString());
                }
            });
        }
    }

    [Test]
    public void Add_Ipv4RoutesOfEveryKind_IpShowsSameFields()
    {
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/26")) { Gateway = IPAddress.Parse("198.51.100.2"), Metric = 100 });
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.64/26")) { Type = RouteType.Blackhole, Table = 1000 });
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.64/26")) { Type = RouteType.Unreachable, Metric = 5 });
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.128/26")) { Type = RouteType.Prohibit });
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.192/27")) { Type = RouteType.Throw, Table = 100 });
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.224/28"))
        {
            Link = "v0",
            PreferredSource = IPAddress.Parse("198.51.100.1"),
            Protocol = RouteProtocol.Static,
            Metrics = new RouteMetrics { Mtu = 1400, LockMtu = true, AdvertisedMss = 1360, HopLimit = 32, InitialCongestionWindow = 10 },
        });
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.240/32")) { Gateway = IPAddress.Parse("203.0.113.1"), Link = "v0", OnLink = true });
        _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.241/32")) { Type = RouteType.Local, Link = "v0" });
        RouteSpec multipath = new(IPPrefix.Parse("203.0.113.248/29"));
        multipath.NextHops.Add(new RouteNextHop { Gateway = IPAddress.Parse("198.51.100.2"), Link = "v0", Weight = 1 });
        multipath.NextHops.Add(new RouteNextHop { Gateway = IPAddress.Parse("198.51.100.3"), Weight = 256 });
        _links.Session.Routes.Add(multipath);
        RouteSpec def = RouteSpec.Default(AddressFamily.InterNetwork);
        def.Gateway = IPAddress.Parse("198.51.100.254");
        _links.Session.Routes.Add(def);

        AssertListMatchesIp(AddressFamily.InterNetwork);
        JsonElement mp = IpOracle.Json(_ns, "route", "show", "203.0.113.248/29")[0];
        Assert.That(mp.GetProperty("nexthops").EnumerateArray().Select(h => h.GetProperty("weight").GetInt32()), Is.EqualTo(new[] { 1, 256 }));
        Assert.That(IpOracle.Run(_ns, "route", "show", "203.0.113.224/28"), Does.Contain("mtu lock 1400"));
        Assert.That(_links.Session.Routes.List(AddressFamily.InterNetwork, 1000).Single().Type, Is.EqualTo(RouteType.Blackhole));
        Assert.That(_links.Session.Routes.List(AddressFamily.InterNetwork, 4242), Is.Empty);
    }

    [Test]
    public async Task AddAsync_Ipv6ViaAndMultipath_IpShowsSameFields()
    {
        await _links.Session.Routes.AddAsync(new RouteSpec(IPPrefix.Parse("2001:db8:1::/64")) { Gateway = IPAddress.Parse("2001:db8::2"), Link = "v0" });
        RouteSpec multipath = new(IPPrefix.Parse("2001:db8:2::/64")) { Metric = 2048 };
        multipath.NextHops.Add(new RouteNextHop { Gateway = IPAddress.Parse("2001:db8::2"), Link = "v0", Weight = 1 });
        multipath.NextHops.Add(new RouteNextHop { Gateway = IPAddress.Parse("2001:db8::3"), Link = _index["v0"], Weight = 3 });
        await _links.Session.Routes.AddAsync(multipath);
        await _links.Session.Routes.AddAsync(new RouteSpec(IPPrefix.Parse("2001:db8:dead::/48")) { Type = RouteType.Unreachable, Table = 70000 });
        await _links.Session.Routes.AddAsync(new RouteSpec(IPPrefix.Parse("2001:db8:3::/64")) { Gateway = IPAddress.Parse("fe80::1"), Link = "v0", Metrics = new RouteMetrics { Mtu = 1280, HopLimit = 10 } });

        AssertListMatchesIp(AddressFamily.InterNetworkV6);
        IReadOnlyList<RouteInfo> listed = await _links.Session.Routes.ListAsync(AddressFamily.InterNetworkV6, RouteTables.Main);
        RouteInfo mp = listed.Single(r => r.Destination == IPPrefix.Parse("2001:db8:2::/64"));
        Assert.That(mp.NextHops.Select(h => h.Weight), Is.EqualTo(new[] { 1, 3 }));
        Assert.That((await _links.Session.Routes.ListAsync(AddressFamily.InterNetworkV6, 70000)).Single().Type, Is.EqualTo(RouteType.Unreachable));
    }

    [Test]
    public void List_RoutesCreatedByIp_MatchIpFieldByField()
    {
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/24", "via", "198.51.100.2", "metric", "100", "proto", "static");
        IpOracle.Run(_ns, "route", "add", "203.0.113.128/25", "nexthop", "via", "198.51.100.2", "weight", "1", "nexthop", "via", "198.51.100.3", "weight", "3");
        IpOracle.Run(_ns, "route", "add", "blackhole", "198.51.100.128/25", "table", "1000");
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/25", "dev", "v0", "mtu", "lock", "1400", "advmss", "1360", "src", "198.51.100.1", "table", "100");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:1::/64", "via", "2001:db8::2", "dev", "v0", "metric", "256");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:2::/64", "nexthop", "via", "2001:db8::2", "dev", "v0", "weight", "1", "nexthop", "via", "2001:db8::3", "dev", "v0", "weight", "2");
        IpOracle.Run(_ns, "-6", "route", "add", "prohibit", "2001:db8:bad::/48");

        AssertListMatchesIp(AddressFamily.InterNetwork);
        AssertListMatchesIp(AddressFamily.InterNetworkV6);
        Assert.That(_links.Session.Routes.List(), Has.Count.EqualTo(_links.Session.Routes.List(AddressFamily.InterNetwork).Count + _links.Session.Routes.List(AddressFamily.InterNetworkV6).Count));
    }

    [TestCase("203.0.113.5")]
    [TestCase("198.51.100.77")]
    [TestCase("2001:db8:1::5")]
    [TestCase("2001:db8::99")]
    public async Task Get_AgreesWithIpRouteGet(string destination)
    {
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/24", "via", "198.51.100.2");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:1::/64", "via", "2001:db8::2", "dev", "v0");

        JsonElement ip = IpOracle.Json(_ns, "route", "get", destination)[0];
        RouteInfo route = _links.Session.Routes.Get(IPAddress.Parse(destination));
        RouteInfo again = await _links.Session.Routes.GetAsync(IPAddress.Parse(destination));
        Assert.Multiple(() =>
        {
            Assert.That(route.Destination.Address.ToString(), Is.EqualTo(ip.GetProperty("dst").GetString()));
            Assert.That(route.LinkIndex, Is.EqualTo(_index[ip.GetProperty("dev").GetString()!]));
            Assert.That(route.Gateway?.ToString(), Is.EqualTo(ip.TryGetProperty("gateway", out JsonElement g) ? g.GetString() : null));
            Assert.That(route.PreferredSource?.ToString(), Is.EqualTo(ip.TryGetProperty("prefsrc", out JsonElement p) ? p.GetString() : null));
            Assert.That(again.LinkIndex, Is.EqualTo(route.LinkIndex));
            Assert.That(again.Gateway, Is.EqualTo(route.Gateway));
        });
    }

    // ip route get's packet options, each steering the lookup: rules send mark 7, uid 1000, UDP to port 5353 and TOS
    // 0x10 to table 100 (another gateway); iif/from resolve as for a forwarded packet; oif pins the output link;
    // fibmatch returns the table entry itself.
    [TestCase("mark", "7")]
    [TestCase("uid", "1000")]
    [TestCase("ipproto", "udp", "dport", "5353")]
    [TestCase("ipproto", "tcp", "sport", "22")]
    [TestCase("tos", "0x10")]
    [TestCase("from", "198.51.100.2", "iif", "v0")]
    [TestCase("from", "198.51.100.1")]
    [TestCase("oif", "v1")]
    [TestCase("fibmatch")]
    [TestCase("fibmatch", "mark", "7")]
    [TestCase("-6", "from", "2001:db8::1", "oif", "v0")]
    public async Task Get_WithPacketOptions_AgreesWithIpRouteGet(params string[] options)
    {
        IpOracle.Execute(_ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/24", "via", "198.51.100.2");
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/24", "via", "198.51.100.3", "table", "100");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:1::/64", "via", "2001:db8::2", "dev", "v0");
        IpOracle.Run(_ns, "rule", "add", "fwmark", "7", "table", "100");
        IpOracle.Run(_ns, "rule", "add", "uidrange", "1000-1000", "table", "100");
        IpOracle.Run(_ns, "rule", "add", "ipproto", "udp", "dport", "5353", "table", "100");
        IpOracle.Run(_ns, "rule", "add", "ipproto", "tcp", "sport", "22", "table", "100");
        IpOracle.Run(_ns, "rule", "add", "tos", "0x10", "table", "100");

        bool ipv6 = options.Contains("-6");
        string destination = ipv6 ? "2001:db8:1::5" : "203.0.113.5";
        var lookup = new RouteLookup(IPAddress.Parse(destination));
        var arguments = new List<string> { "route", "get" };
        if (options.Contains("fibmatch"))
        {
            arguments.Add("fibmatch");
            lookup.FibMatch = true;
        }

        arguments.Add(destination);
        for (int i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "-6":
                    arguments.Insert(0, "-6");
                    break;
                case "fibmatch":
                    break;
                default:
                    string option = options[i];
                    string value = options[++i];
                    arguments.Add(option);
                    arguments.Add(value);
                    switch (option)
                    {
                        case "mark": lookup.Mark = uint.Parse(value); break;
                        case "uid": lookup.UserId = uint.Parse(value); break;
                        case "ipproto": lookup.Protocol = value == "udp" ? ProtocolType.Udp : ProtocolType.Tcp; break;
                        case "dport": lookup.DestinationPort = ushort.Parse(value); break;
                        case "sport": lookup.SourcePort = ushort.Parse(value); break;
                        case "tos": lookup.TypeOfService = Convert.ToByte(value, 16); break;
                        case "from": lookup.Source = IPAddress.Parse(value); break;
                        case "iif": lookup.InputLink = value; break;
                        case "oif": lookup.OutputLink = value; break;
                    }

                    break;
            }
        }

        JsonElement ip = IpOracle.Json(_ns, [.. arguments])[0];
        RouteInfo route = _links.Session.Routes.Get(lookup);
        RouteInfo again = await _links.Session.Routes.GetAsync(lookup);
        string ipDestination = ip.GetProperty("dst").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(ipDestination.Contains('/') ? route.Destination.ToString() : route.Destination.Address.ToString(), Is.EqualTo(ipDestination), string.Join(' ', arguments));
            Assert.That(route.LinkIndex, Is.EqualTo(_index[ip.GetProperty("dev").GetString()!]));
            Assert.That(route.Gateway?.ToString(), Is.EqualTo(ip.TryGetProperty("gateway", out JsonElement g) ? g.GetString() : null));
            // ip prints no table for main, nor for 0 (the route the kernel makes up for an oif without a route).
            Assert.That(route.Table is RouteTables.Main or 0 ? "main or none" : Table(route.Table), Is.EqualTo(ip.TryGetProperty("table", out JsonElement t) ? t.GetString() : "main or none"));
            Assert.That(route.InputLinkIndex, Is.EqualTo(ip.TryGetProperty("iif", out JsonElement iif) ? _index[iif.GetString()!] : 0));
            Assert.That(again.Gateway, Is.EqualTo(route.Gateway));
            Assert.That(again.Table, Is.EqualTo(route.Table));
            Assert.That(route.Mark, Is.EqualTo(ip.TryGetProperty("mark", out JsonElement m) ? m.GetUInt32() : null), "mark");
            Assert.That(route.UserId, Is.EqualTo(ip.TryGetProperty("uid", out JsonElement u) ? u.GetUInt32() : null), "uid");
            Assert.That(route.IsCloned, Is.EqualTo(!lookup.FibMatch && !ipv6), "a resolved IPv4 answer is cloned; a fibmatch answer is the table entry; IPv6 answers are cloned only for cached exceptions");
        });
    }

    [TestCase("198.51.100.1", RouteCacheFlags.Local)]
    [TestCase("198.51.100.255", RouteCacheFlags.Local | RouteCacheFlags.Broadcast)]
    [TestCase("203.0.113.5", RouteCacheFlags.None)]
    public void Get_Ipv4Answer_CacheFlagsAsIpPrintsThem(string destination, RouteCacheFlags expected)
    {
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/24", "via", "198.51.100.2");
        RouteInfo route = _links.Session.Routes.Get(IPAddress.Parse(destination));
        string[] ipCache = IpOracle.Json(_ns, "route", "get", destination)[0].GetProperty("cache").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(route.IsCloned, Is.True);
            Assert.That(route.CacheFlags, Is.EqualTo(expected));
            Assert.That(ipCache, Is.EqualTo(expected switch
            {
                RouteCacheFlags.Local => new[] { "local" },
                RouteCacheFlags.Local | RouteCacheFlags.Broadcast => new[] { "local", "brd" },
                _ => Array.Empty<string>(),
            }));
        });
    }

    [Test]
    public void Refusals_NameIpsOperation_LikeLinksDo()
    {
        var routes = _links.Session.Routes;
        routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Link = "v0" });
        var duplicate = Assert.Throws<NetlinkException>(() => routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Link = "v0" }))!;
        var missingLink = Assert.Throws<NetlinkException>(() => routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Link = "nosuch0" }))!;
        var missingRoute = Assert.Throws<NetlinkException>(() => routes.Delete(new RouteSpec(IPPrefix.Parse("198.51.100.128/25"))))!;
        var link = Assert.Throws<NetlinkException>(() => _links.SetMtu("nosuch0", 1400))!;
        Assert.Multiple(() =>
        {
            Assert.That(duplicate.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(duplicate.Operation, Is.EqualTo("ip route add"));
            Assert.That(missingLink.Message, Does.StartWith("ip route add: no link named 'nosuch0'"));
            Assert.That(missingRoute.Operation, Is.EqualTo("ip route del"));
            Assert.That(link.Operation, Does.StartWith("ip link set"), "links read the same way");
        });
    }

    [Test]
    public void Get_WithPacketOptions_MissingLinkOrBadInput()
    {
        var lookup = new RouteLookup(IPAddress.Parse("203.0.113.5")) { OutputLink = "nosuch0" };
        Assert.That(() => _links.Session.Routes.Get(lookup), Throws.InstanceOf<LinuxNetException>().With.Property(nameof(LinuxNetException.IsNotFound)).True);
        Assert.That(() => _links.Session.Routes.Get(new RouteLookup(IPAddress.Parse("203.0.113.5")) { Source = IPAddress.Parse("2001:db8::1") }), Throws.ArgumentException);
        Assert.That(() => _links.Session.Routes.Get((RouteLookup)null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Get_NoRoute_IsNetworkUnreachable()
    {
        var e = Assert.Throws<NetlinkException>(() => _links.Session.Routes.Get(IPAddress.Parse("203.0.113.99")))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.ENETUNREACH));
    }

    [Test]
    public void ReplaceAndDelete_IpAgrees()
    {
        var spec = new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Gateway = IPAddress.Parse("198.51.100.2") };
        _links.Session.Routes.Add(spec);
        Assert.That(() => _links.Session.Routes.Add(spec), Throws.InstanceOf<NetlinkException>().With.Property(nameof(LinuxNetException.IsAlreadyExists)).True);

        _links.Session.Routes.Replace(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Gateway = IPAddress.Parse("198.51.100.3") });
        Assert.That(IpOracle.Json(_ns, "route", "show", "203.0.113.0/24")[0].GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.3"));

        _links.Session.Routes.Delete(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")));
        Assert.That(IpOracle.Json(_ns, "route", "show", "203.0.113.0/24").GetArrayLength(), Is.Zero);
        var e = Assert.Throws<NetlinkException>(() => _links.Session.Routes.Delete(new RouteSpec(IPPrefix.Parse("203.0.113.0/24"))))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.ESRCH));
            Assert.That(e.IsNotFound, Is.True);
        });
    }

    [Test]
    public async Task DeleteAsync_Ipv6Multipath_Removed()
    {
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:2::/64", "nexthop", "via", "2001:db8::2", "dev", "v0", "nexthop", "via", "2001:db8::3", "dev", "v0");
        await _links.Session.Routes.DeleteAsync(new RouteSpec(IPPrefix.Parse("2001:db8:2::/64")));
        Assert.That(IpOracle.Json(_ns, "-6", "route", "show", "2001:db8:2::/64").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Add_UnreachableGateway_IsNetworkUnreachableWithKernelText()
    {
        var e = Assert.Throws<NetlinkException>(() => _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Gateway = IPAddress.Parse("203.0.113.1") }))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.ENETUNREACH));
            Assert.That(e.ExtendedAckMessage, Is.Not.Null.And.Not.Empty);
            Assert.That(e.Message, Does.Contain(e.ExtendedAckMessage!));
        });
    }

    [Test]
    public void Add_MissingDevice_IsNotFound()
    {
        var byName = Assert.Throws<NetlinkException>(() => _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Link = "nosuch0" }))!;
        var byIndex = Assert.Throws<NetlinkException>(() => _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Link = 9999 }))!;
        Assert.Multiple(() =>
        {
            Assert.That(byName.IsNotFound, Is.True);
            Assert.That(byIndex.Errno, Is.EqualTo(Errno.ENODEV));
            Assert.That(byIndex.IsNotFound, Is.True);
        });
    }

    [Test]
    public void Add_OneSpecReusedForManyDestinations_IpShowsEachRoute()
    {
        var spec = new RouteSpec(IPPrefix.Parse("2001:db8:7::1/128")) { Link = "v0" };
        for (int i = 1; i <= 3; i++)
        {
            spec.Destination = IPPrefix.Parse($"2001:db8:7::{i}/128");
            _links.Session.Routes.Add(spec);
        }

        JsonElement routes = IpOracle.Json(_ns, "-6", "route", "show", "root", "2001:db8:7::/64");
        Assert.That(
            routes.EnumerateArray().Select(r => r.GetProperty("dst").GetString()).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "2001:db8:7::1", "2001:db8:7::2", "2001:db8:7::3" }));
    }

    [Test]
    public void Add_BadInput_ThrowsBeforeSending()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("2001:db8:1::/64")) { Gateway = IPAddress.Parse("198.51.100.2") }), Throws.ArgumentException);
            Assert.That(() => _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Gateway = IPAddress.Parse("198.51.100.2"), Table = 0 }), Throws.ArgumentException);
            Assert.That(() => _links.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24"))), Throws.ArgumentException);
            Assert.That(() => _links.Session.Routes.List(AddressFamily.InterNetwork, 0), Throws.ArgumentException);
        });
        Assert.That(IpOracle.Json(_ns, "route", "show", "203.0.113.0/24").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Flush_OneLinkOfMain_LeavesWhatIpRouteFlushDevLeaves()
    {
        IpOracle.Run(_ns, "link", "add", "v2", "type", "veth", "peer", "name", "v3");
        IpOracle.Run(_ns, "link", "set", "v2", "up");
        IpOracle.Run(_ns, "addr", "add", "203.0.113.1/26", "dev", "v2");
        IpOracle.Run(_ns, "route", "add", "203.0.113.128/25", "via", "198.51.100.2", "metric", "100");
        IpOracle.Run(_ns, "route", "add", "203.0.113.64/26", "via", "198.51.100.3");
        IpOracle.Run(_ns, "route", "add", "blackhole", "198.51.100.128/25");
        IpOracle.Run(_ns, "route", "add", "203.0.113.200/32", "dev", "v0", "table", "100");

        int deleted = _links.Session.Routes.Flush(RouteTables.Main, AddressFamily.InterNetwork, "v0");

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(3), "the connected /24 and the two routes via 198.51.100.x");
            Assert.That(IpOracle.Json(_ns, "-4", "route", "show", "table", "main").EnumerateArray().Select(r => r.GetProperty("dst").GetString()), Is.EquivalentTo(new[] { "198.51.100.128/25", "203.0.113.0/26" }));
            Assert.That(IpOracle.Json(_ns, "-4", "route", "show", "table", "100").GetArrayLength(), Is.EqualTo(1), "another table is untouched");
            Assert.That(IpOracle.Json(_ns, "-6", "route", "show", "dev", "v0").GetArrayLength(), Is.GreaterThan(0), "IPv6 is untouched");
        });
    }

    [Test]
    public async Task FlushAsync_Ipv6Table_DeletesEveryRouteOfIt()
    {
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:1::/48", "dev", "v0", "metric", "50", "table", "100");
        IpOracle.Run(_ns, "-6", "route", "add", "unreachable", "2001:db8:2::/48", "table", "100");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:3::/48", "via", "2001:db8::2", "dev", "v0", "table", "100", "onlink");
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/24", "dev", "v0", "table", "100");

        int deleted = await _links.Session.Routes.FlushAsync(100, AddressFamily.InterNetworkV6, link: null);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(3));
            Assert.That(IpOracle.Json(_ns, "-6", "route", "show", "table", "100").GetArrayLength(), Is.Zero);
            Assert.That(IpOracle.Json(_ns, "-4", "route", "show", "table", "100").GetArrayLength(), Is.EqualTo(1), "IPv4 of the table is untouched");
        });
    }

    [Test]
    public void Flush_LinkByIndexBothFamilies_LeavesNoRouteOutOfIt()
    {
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/24", "via", "198.51.100.2", "table", "200");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "table", "200");

        int deleted = _links.Session.Routes.Flush(200, link: _index["v0"]);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(2));
            Assert.That(IpOracle.Json(_ns, "route", "show", "table", "200").GetArrayLength(), Is.Zero);
            Assert.That(IpOracle.Json(_ns, "-6", "route", "show", "table", "200").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public void Flush_BadInput_ThrowsBeforeSending()
        => Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => _links.Session.Routes.Flush(0));
            Assert.Throws<ArgumentException>(() => _links.Session.Routes.Flush(family: AddressFamily.Unix));
            Assert.Throws<ArgumentException>(() => _links.Session.Routes.Flush(link: "bad/name"));
        });
}
