using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Routes;

/// <summary>
/// via inet6, seg6 and MPLS encapsulation, expires and append/prepend/change against the kernel, with <c>ip -j route</c>
/// as the oracle both ways, in a fresh anonymous namespace.
/// </summary>
[Category("Privileged")]
public class RouteEncapTests
{
    private NetNamespace _ns = null!;
    private LinkManager _links = null!;
    private int _v0;

    private RouteManager Routes => _links.Session.Routes;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
        IpOracle.Run(_ns, "link", "set", "lo", "up");
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "link", "set", "v0", "up");
        IpOracle.Run(_ns, "link", "set", "v1", "up");
        IpOracle.Run(_ns, "addr", "add", "198.51.100.2/24", "dev", "v0");
        IpOracle.Run(_ns, "addr", "add", "2001:db8::2/64", "dev", "v0", "nodad");
        _v0 = IpOracle.Json(_ns, "link", "show", "dev", "v0")[0].GetProperty("ifindex").GetInt32();
    }

    [TearDown]
    public void TearDown()
    {
        _links?.Dispose();
        _ns?.Dispose();
    }

    private JsonElement IpRoute(string family, string prefix) => IpOracle.Json(_ns, family, "route", "show", prefix)[0];

    private RouteInfo Mine(string prefix)
        => Routes.List().Single(r => r.Destination == IPPrefix.Parse(prefix) && r.Table == RouteTables.Main);

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Test]
    public void Add_Seg6Encap_IpShowsModeAndSegments()
    {
        Routes.Add(new RouteSpec(IPPrefix.Parse("2001:db8:6::/64"))
        {
            Encapsulation = new Seg6Encapsulation(Seg6Mode.Encap, IPAddress.Parse("2001:db8::a"), IPAddress.Parse("2001:db8::b")),
            Link = "v0",
        });
        JsonElement ip = IpRoute("-6", "2001:db8:6::/64");
        Assert.Multiple(() =>
        {
            Assert.That(ip.GetProperty("encap").GetString(), Is.EqualTo("seg6"));
            Assert.That(ip.GetProperty("mode").GetString(), Is.EqualTo("encap"));
            Assert.That(Strings(ip.GetProperty("segs")), Is.EqualTo(new[] { "2001:db8::a", "2001:db8::b" }));
        });
        var mine = (Seg6Encapsulation)Mine("2001:db8:6::/64").Encapsulation!;
        Assert.That(mine.Segments.Select(s => s.ToString()), Is.EqualTo(Strings(ip.GetProperty("segs"))));
    }

    [TestCase("encap", "2001:db8::c,2001:db8::d", null)]
    [TestCase("inline", "2001:db8::c", "7")]
    [TestCase("l2encap", "2001:db8::e", null)]
    public void List_Seg6RouteAddedByIp_ReadsWhatIpShows(string mode, string segs, string? hmac)
    {
        var args = new List<string> { "-6", "route", "add", "2001:db8:7::/64", "encap", "seg6", "mode", mode, "segs", segs };
        if (hmac is not null)
        {
            args.AddRange(["hmac", hmac]);
        }

        args.AddRange(["dev", "v0"]);
        IpOracle.Run(_ns, [.. args]);
        JsonElement ip = IpRoute("-6", "2001:db8:7::/64");
        var mine = (Seg6Encapsulation)Mine("2001:db8:7::/64").Encapsulation!;

        // ip lists an inline header's final-destination slot as a trailing "::"; Segments holds only the segments.
        string[] expected = Strings(ip.GetProperty("segs"));
        if (mode == "inline")
        {
            Assert.That(expected[^1], Is.EqualTo("::"));
            expected = expected[..^1];
        }

        Assert.Multiple(() =>
        {
            Assert.That(Seg6Encapsulation.ModeName(mine.Mode), Is.EqualTo(ip.GetProperty("mode").GetString()));
            Assert.That(mine.Segments.Select(s => s.ToString()), Is.EqualTo(expected));
            Assert.That(mine.HmacKeyId is { } k ? "0x" + k.ToString("x") : null, Is.EqualTo(ip.TryGetProperty("hmac", out JsonElement h) ? h.GetString() : null));
        });
    }

    [Test]
    public void Add_Ipv4ViaInet6_RoundTripsWithIp()
    {
        Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Via = IPAddress.Parse("2001:db8::1"), Link = "v0" });
        JsonElement via = IpRoute("-4", "203.0.113.0/24").GetProperty("via");
        Assert.That(via.GetProperty("family").GetString(), Is.EqualTo("inet6"));
        Assert.That(via.GetProperty("host").GetString(), Is.EqualTo("2001:db8::1"));

        IpOracle.Run(_ns, "route", "add", "203.0.113.128/25", "via", "inet6", "2001:db8::9", "dev", "v0");
        RouteInfo mine = Mine("203.0.113.128/25");
        Assert.Multiple(() =>
        {
            Assert.That(mine.Via, Is.EqualTo(IPAddress.Parse("2001:db8::9")));
            Assert.That(mine.Gateway, Is.Null);
            Assert.That(mine.LinkIndex, Is.EqualTo(_v0));
        });
    }

    [Test]
    public void Add_MultipathWithEncapAndVia_IpShowsThemPerPath()
    {
        RouteSpec spec = new(IPPrefix.Parse("2001:db8:9::/64"));
        spec.NextHops.Add(new RouteNextHop { Gateway = IPAddress.Parse("2001:db8::1"), Link = "v0", Encapsulation = new Seg6Encapsulation(Seg6Mode.Encap, IPAddress.Parse("2001:db8::f")) });
        spec.NextHops.Add(new RouteNextHop { Gateway = IPAddress.Parse("2001:db8::3"), Link = "v0" });
        Routes.Add(spec);
        JsonElement[] hops = IpRoute("-6", "2001:db8:9::/64").GetProperty("nexthops").EnumerateArray().ToArray();
        Assert.That(hops[0].GetProperty("encap").GetString(), Is.EqualTo("seg6"));
        Assert.That(Strings(hops[0].GetProperty("segs")), Is.EqualTo(new[] { "2001:db8::f" }));
        Assert.That(hops[1].TryGetProperty("encap", out _), Is.False);

        IpOracle.Run(_ns, "route", "add", "203.0.113.64/26", "nexthop", "via", "inet6", "2001:db8::1", "dev", "v0", "nexthop", "via", "198.51.100.1", "dev", "v0");
        RouteInfo mine = Mine("203.0.113.64/26");
        Assert.Multiple(() =>
        {
            Assert.That(mine.NextHops[0].Via, Is.EqualTo(IPAddress.Parse("2001:db8::1")));
            Assert.That(mine.NextHops[1].Gateway, Is.EqualTo(IPAddress.Parse("198.51.100.1")));
            Assert.That(((Seg6Encapsulation)Mine("2001:db8:9::/64").NextHops[0].Encapsulation!).Segments, Is.EqualTo(new[] { IPAddress.Parse("2001:db8::f") }));
        });
    }

    [Test]
    public void Add_Ipv6Expires_ReadsBackRemainingTimeLikeIp()
    {
        Routes.Add(new RouteSpec(IPPrefix.Parse("2001:db8:5::/64")) { Gateway = IPAddress.Parse("2001:db8::1"), Expires = TimeSpan.FromSeconds(300) });
        int ipExpires = IpRoute("-6", "2001:db8:5::/64").GetProperty("expires").GetInt32();
        Assert.That(ipExpires, Is.InRange(290, 300));
        TimeSpan? mine = Mine("2001:db8:5::/64").Expires;
        Assert.That(mine?.TotalSeconds, Is.InRange(290.0, 300.0));

        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:6::/64", "via", "2001:db8::1", "expires", "120");
        Assert.That(Mine("2001:db8:6::/64").Expires?.TotalSeconds, Is.InRange(110.0, 120.0));
    }

    private string[] Gateways(string prefix)
        => IpOracle.Json(_ns, "-4", "route", "show", prefix).EnumerateArray().Select(e => e.GetProperty("gateway").GetString()!).ToArray();

    [Test]
    public void AppendPrependChange_Ipv4_OrderAsIpDoesIt()
    {
        // The same sequence with ip on one prefix and LinuxNet on another: the tables must agree.
        foreach ((string verb, string gateway) in new[] { ("add", "198.51.100.1"), ("append", "198.51.100.3"), ("prepend", "198.51.100.4"), ("change", "198.51.100.5") })
        {
            IpOracle.Run(_ns, "route", verb, "203.0.113.0/25", "via", gateway);
            var spec = new RouteSpec(IPPrefix.Parse("203.0.113.128/25")) { Gateway = IPAddress.Parse(gateway) };
            switch (verb)
            {
                case "add": Routes.Add(spec); break;
                case "append": Routes.Append(spec); break;
                case "prepend": Routes.Prepend(spec); break;
                default: Routes.Change(spec); break;
            }
        }

        Assert.That(Gateways("203.0.113.0/25"), Is.EqualTo(new[] { "198.51.100.5", "198.51.100.1", "198.51.100.3" }), "ip's own order");
        Assert.That(Gateways("203.0.113.128/25"), Is.EqualTo(Gateways("203.0.113.0/25")));
        Assert.That(Routes.List(AddressFamily.InterNetwork, RouteTables.Main).Where(r => r.Destination == IPPrefix.Parse("203.0.113.128/25")).Select(r => r.Gateway!.ToString()),
            Is.EqualTo(Gateways("203.0.113.0/25")));
    }

    [Test]
    public void Append_Ipv6_MergesIntoMultipathAsIp()
    {
        Routes.Add(new RouteSpec(IPPrefix.Parse("2001:db8:a::/64")) { Gateway = IPAddress.Parse("2001:db8::1") });
        Routes.Append(new RouteSpec(IPPrefix.Parse("2001:db8:a::/64")) { Gateway = IPAddress.Parse("2001:db8::3") });
        JsonElement hops = IpRoute("-6", "2001:db8:a::/64").GetProperty("nexthops");
        Assert.That(hops.EnumerateArray().Select(h => h.GetProperty("gateway").GetString()), Is.EqualTo(new[] { "2001:db8::1", "2001:db8::3" }));
        Assert.That(Mine("2001:db8:a::/64").NextHops.Select(h => h.Gateway!.ToString()), Is.EqualTo(new[] { "2001:db8::1", "2001:db8::3" }));
    }

    [Test]
    public void Change_MissingRoute_ThrowsNotFoundAsIp()
    {
        var e = Assert.Throws<NetlinkException>(() => Routes.Change(new RouteSpec(IPPrefix.Parse("203.0.113.0/25")) { Gateway = IPAddress.Parse("198.51.100.5") }));
        Assert.That(e!.Errno, Is.EqualTo(Errno.ENOENT));
        Assert.That(e.Message, Does.StartWith("ip route change"));
        Assert.That(Routes.List(AddressFamily.InterNetwork).Any(r => r.Destination == IPPrefix.Parse("203.0.113.0/25")), Is.False, "nothing created");
    }

    [Test]
    public void Add_MplsEncapOnThisKernel_SaysNotSupportedAndNamesTheOption()
    {
        var e = Assert.Throws<NetlinkException>(() => Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.192/26"))
        {
            Encapsulation = new MplsEncapsulation(100, 200),
            Gateway = IPAddress.Parse("198.51.100.1"),
            Link = "v0",
        }));
        Assert.That(e!.Errno, Is.AnyOf(Errno.EOPNOTSUPP, Errno.EAFNOSUPPORT));
        Assert.That(e.Message, Does.Contain("MPLS encapsulation").And.Contain("not supported by this kernel").And.Contain("CONFIG_MPLS_IPTUNNEL"));
        Assert.That(e.ExtendedAckMessage, Is.EqualTo("lwt encapsulation type not supported"), "the kernel's own text is kept");
        Assert.That(Routes.List(AddressFamily.InterNetwork).Any(r => r.Destination == IPPrefix.Parse("203.0.113.192/26")), Is.False, "nothing half-made");
    }

    [Test]
    public async Task AddAsync_MplsRouteOnThisKernel_SaysNotSupportedAndNamesTheOption()
    {
        RouteSpec spec = RouteSpec.ForMplsLabel(100);
        spec.MplsOutgoingLabels.Add(200);
        spec.Via = IPAddress.Parse("198.51.100.1");
        spec.Link = "v0";
        NetlinkException? e = null;
        try
        {
            await Routes.AddAsync(spec);
        }
        catch (NetlinkException caught)
        {
            e = caught;
        }

        Assert.That(e, Is.Not.Null);
        Assert.That(e!.Errno, Is.AnyOf(Errno.EOPNOTSUPP, Errno.EAFNOSUPPORT));
        Assert.That(e.Message, Does.Contain("MPLS route").And.Contain("not supported by this kernel").And.Contain("CONFIG_MPLS_ROUTING"));
    }
}
