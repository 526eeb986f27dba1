using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Routes;

/// <summary>
/// <see cref="RouteManager.Enumerate{TState}(TState, RouteViewHandler{TState}, AddressFamily, uint?, Action{TState}?)"/>:
/// the struct view of a dump reads what <c>ip -j route show</c> and <see cref="RouteManager.List"/> read, field by field.
/// </summary>
[TestFixture]
[Category("Privileged")]
public class RouteEnumerateTests
{
    private NetNamespace _ns = null!;
    private RtnetlinkSession _rt = null!;
    private int _v0;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _rt = RtnetlinkSession.Open(_ns);
        _v0 = _rt.Links.Add(new VethLinkSpec("v0", "v1"));
        _rt.Links.SetUp("v0");
        _rt.Links.SetUp("v1");
        _rt.Addresses.Add("v0", IPPrefix.Parse("198.51.100.1/24"));
        IpOracle.Run(_ns, "route", "add", "203.0.113.0/25", "via", "198.51.100.7", "metric", "55", "table", "100");
        IpOracle.Run(_ns, "route", "add", "203.0.113.128/25", "dev", "v0", "src", "198.51.100.1", "proto", "static");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:9::/64", "dev", "v0", "metric", "7");
        IpOracle.Run(_ns, "-6", "route", "add", "2001:db8:9:1::/64", "from", "2001:db8:a::/64", "dev", "v0");
        IpOracle.Run(_ns, "route", "add", "unreachable", "203.0.113.64/26", "table", "100");
    }

    [TearDown]
    public void TearDown()
    {
        _rt?.Dispose();
        _ns?.Dispose();
    }

    private sealed record Seen(string Destination, string? Gateway, string? PreferredSource, string? Source, uint Table, int Link, uint? Metric, RouteType Type, RouteProtocol Protocol, RouteScope Scope, bool Cloned);

    private static string? Text(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? null : new IPAddress(bytes).ToString();

    private static Seen Copy(in RouteView v)
        => new($"{(v.DestinationBytes.IsEmpty ? (v.Family == AddressFamily.InterNetwork ? "0.0.0.0" : "::") : Text(v.DestinationBytes))}/{v.DestinationLength}", Text(v.GatewayBytes), Text(v.PreferredSourceBytes), v.SourceBytes.IsEmpty ? null : $"{Text(v.SourceBytes)}/{v.SourceLength}", v.Table, v.LinkIndex, v.Metric, v.Type, v.Protocol, v.Scope, v.IsCloned);

    private static Seen Copy(RouteInfo r)
        => new(r.Destination.ToString(), r.Gateway?.ToString(), r.PreferredSource?.ToString(), r.Source?.ToString(), r.Table, r.LinkIndex, r.Metric, r.Type, r.Protocol, r.Scope, r.IsCloned);

    [Test]
    public void Enumerate_AllTables_SameRoutesAndFieldsAsList()
    {
        var seen = new List<Seen>();
        int count = _rt.Routes.Enumerate(seen, static (in RouteView v, List<Seen> s) => s.Add(Copy(v)));
        IReadOnlyList<RouteInfo> listed = _rt.Routes.List();
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(seen.Count));
            Assert.That(seen, Is.EquivalentTo(listed.Select(Copy)));
            Assert.That(seen.Any(s => s is { Destination: "203.0.113.0/25", Gateway: "198.51.100.7", Table: 100, Metric: 55 }), Is.True);
            Assert.That(seen.Any(s => s is { Destination: "2001:db8:9:1::/64", Source: "2001:db8:a::/64" }), Is.True);
        });
    }

    [Test]
    public void Enumerate_Table_MatchesIpRouteShowTable()
    {
        var seen = new List<Seen>();
        _rt.Routes.Enumerate(seen, static (in RouteView v, List<Seen> s) => s.Add(Copy(v)), AddressFamily.InterNetwork, 100);
        JsonElement[] ip = IpOracle.Json(_ns, "route", "show", "table", "100").EnumerateArray().ToArray();
        Assert.That(seen, Has.Count.EqualTo(ip.Length));
        foreach (JsonElement e in ip)
        {
            string dst = e.GetProperty("dst").GetString()!;
            Seen mine = seen.Single(s => s.Destination == dst);
            Assert.Multiple(() =>
            {
                Assert.That(mine.Table, Is.EqualTo(100));
                Assert.That(mine.Gateway, Is.EqualTo(e.TryGetProperty("gateway", out JsonElement g) ? g.GetString() : null));
                Assert.That(mine.Metric, Is.EqualTo(e.TryGetProperty("metric", out JsonElement m) ? m.GetUInt32() : (uint?)null));
                Assert.That(mine.Type == RouteType.Unreachable, Is.EqualTo(e.TryGetProperty("type", out JsonElement t) && t.GetString() == "unreachable"));
            });
        }
    }

    [Test]
    public async Task EnumerateAsync_Ipv6Main_MatchesIpAndCountsWhatItHanded()
    {
        var seen = new List<Seen>();
        int count = await _rt.Routes.EnumerateAsync(seen, static (in RouteView v, List<Seen> s) => s.Add(Copy(v)), AddressFamily.InterNetworkV6, RouteTables.Main);
        string[] ip = IpOracle.Json(_ns, "-6", "route", "show", "table", "main").EnumerateArray().Select(e => e.GetProperty("dst").GetString()!).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(seen.Count));
            Assert.That(seen.Select(s => s.Destination.Replace("/128", "", StringComparison.Ordinal)), Is.EquivalentTo(ip.Select(d => d.Replace("/128", "", StringComparison.Ordinal))));
            Assert.That(seen.Single(s => s.Destination == "2001:db8:9::/64").Metric, Is.EqualTo(7));
            Assert.That(seen.Single(s => s.Destination == "2001:db8:9::/64").Link, Is.EqualTo(_v0));
        });
    }

    [Test]
    public void Enumerate_ToRouteInfo_IsTheListReadModel()
    {
        var made = new List<RouteInfo>();
        _rt.Routes.Enumerate(made, static (in RouteView v, List<RouteInfo> s) => s.Add(v.ToRouteInfo()), AddressFamily.InterNetwork, 100);
        Assert.That(made.Select(Copy), Is.EquivalentTo(_rt.Routes.List(AddressFamily.InterNetwork, 100).Select(Copy)));
        Assert.That(made.Single(r => r.Destination.ToString() == "203.0.113.0/25").Gateway, Is.EqualTo(IPAddress.Parse("198.51.100.7")));
    }

    [Test]
    public void Enumerate_MissingTable_IsEmpty()
    {
        int calls = 0;
        int count = _rt.Routes.Enumerate(0, (in RouteView v, int _) => calls++, AddressFamily.InterNetwork, 4242);
        Assert.That((count, calls), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Enumerate_BadArguments_ThrowBeforeAnyRequest()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => _rt.Routes.Enumerate<int>(0, null!));
            Assert.Throws<ArgumentException>(() => _rt.Routes.Enumerate(0, static (in RouteView v, int _) => { }, table: 0));
            Assert.ThrowsAsync<ArgumentNullException>(async () => await _rt.Routes.EnumerateAsync<int>(0, null!));
        });
    }

    [Test]
    public void Enumerate_HandlerThrows_SocketStillUsable()
    {
        Assert.Throws<InvalidOperationException>(() => _rt.Routes.Enumerate(0, static (in RouteView v, int _) => throw new InvalidOperationException("stop")));
        Assert.That(_rt.Routes.List(AddressFamily.InterNetwork, 100), Has.Count.EqualTo(2));
    }
}
