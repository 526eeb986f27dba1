using System.Net;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class NexthopManagerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private RouteLab _lab = null!;

    private NexthopManager Nexthops => _lab.Manager.Session.Nexthops;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create();

        // Nexthops need their device up with carrier (both veth ends up) and loopback up for blackholes.
        _lab.Ip("link", "set", "lo", "up");
        _lab.Ip("address", "add", "198.51.100.1/24", "dev", "v0");
        _lab.Ip("-6", "address", "add", "2001:db8::1/64", "dev", "v0", "nodad");
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void Add_EveryShape_IpShowsTheSameNexthopsFieldByField()
    {
        foreach (NexthopSpec spec in EveryShape())
        {
            Nexthops.Add(spec);
        }

        CompareWithIp(Nexthops.List(), _lab.Json("nexthop", "show"));
        Assert.That(_lab.Json("nexthop", "show").GetArrayLength(), Is.EqualTo(9));
    }

    [Test]
    public void Batch_EveryShapeThenDeleteOne_IpShowsTheSameNexthops()
    {
        // Members come before their groups in EveryShape, and a batch is applied in order.
        using (RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch())
        {
            foreach (NexthopSpec spec in EveryShape())
            {
                batch.AddNexthop(spec);
            }

            RtnetlinkBatchResult result = batch.Execute();
            Assert.That(result.AllSucceeded, Is.True, string.Join("; ", result.Failures.Select(f => f.Error?.Message)));
        }

        CompareWithIp(Nexthops.List(), _lab.Json("nexthop", "show"));
        Assert.That(_lab.Json("nexthop", "show").GetArrayLength(), Is.EqualTo(9));

        using (RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch())
        {
            batch.ReplaceNexthop(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.4"), Link = "v0" });
            batch.DeleteNexthop(uint.MaxValue);
            batch.DeleteNexthop(5);
            RtnetlinkBatchResult result = batch.Execute();
            Assert.Multiple(() =>
            {
                Assert.That(result[0].Status, Is.EqualTo(RtnetlinkBatchItemStatus.Succeeded));
                Assert.That(result[1].Error?.IsNotFound, Is.True, "an unknown id fails on its own");
                Assert.That(result[2].Status, Is.EqualTo(RtnetlinkBatchItemStatus.Succeeded));
            });
        }

        JsonElement shown = _lab.Json("nexthop", "show");
        CompareWithIp(Nexthops.List(), shown);
        Assert.That(shown.EnumerateArray().Any(n => n.GetProperty("id").GetUInt32() == 5), Is.False);
        Assert.That(shown.EnumerateArray().Single(n => n.GetProperty("id").GetUInt32() == 1).GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.4"));
    }

    [Test]
    public void List_NexthopsMadeByIp_MatchIpFieldByField()
    {
        _lab.Ip("nexthop", "add", "id", "1", "via", "198.51.100.2", "dev", "v0");
        _lab.Ip("nexthop", "add", "id", "2", "via", "2001:db8::2", "dev", "v0");
        _lab.Ip("nexthop", "add", "id", "3", "dev", "v0");
        _lab.Ip("nexthop", "add", "id", "4", "via", "203.0.113.1", "dev", "v0", "onlink");
        _lab.Ip("nexthop", "add", "id", "5", "blackhole");
        _lab.Ip("nexthop", "add", "id", "6", "via", "198.51.100.3", "fdb");
        _lab.Ip("nexthop", "add", "id", "10", "group", "1,3/4");
        _lab.Ip("nexthop", "add", "id", "11", "group", "1/4,2", "type", "resilient", "buckets", "8", "idle_timer", "60", "unbalanced_timer", "120");
        IReadOnlyList<NexthopInfo> ours = Nexthops.List();
        CompareWithIp(ours, _lab.Json("nexthop", "show"));
        NexthopInfo resilient = ours.Single(n => n.Id == 11);
        Assert.Multiple(() =>
        {
            Assert.That(resilient.Buckets, Is.EqualTo(8));
            Assert.That(resilient.IdleTimer, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(resilient.UnbalancedTimer, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(resilient.UnbalancedTime, Is.EqualTo(TimeSpan.Zero));
            Assert.That(ours.Single(n => n.Id == 2).Family, Is.EqualTo(System.Net.Sockets.AddressFamily.InterNetworkV6));
        });
    }

    [Test]
    public void List_Filters_SelectAsIpDoes()
    {
        foreach (NexthopSpec spec in EveryShape())
        {
            Nexthops.Add(spec);
        }

        Assert.Multiple(() =>
        {
            Assert.That(Ids(Nexthops.List(new NexthopFilter { Link = "v0" })), Is.EqualTo(IpIds("nexthop", "show", "dev", "v0")));
            Assert.That(Ids(Nexthops.List(new NexthopFilter { GroupsOnly = true })), Is.EqualTo(IpIds("nexthop", "show", "groups")));
            Assert.That(Ids(Nexthops.List(new NexthopFilter { FdbOnly = true })), Is.EqualTo(IpIds("nexthop", "show", "fdb")));
            Assert.That(Ids(Nexthops.List(new NexthopFilter { GroupsOnly = true })), Is.EqualTo(new uint[] { 10, 11, 12 }));
        });
    }

    [Test]
    public async Task ListAsync_MasterFilter_SelectsAsIpDoes()
    {
        _lab.Ip("link", "add", "br0", "type", "bridge");
        _lab.Ip("link", "set", "v0", "master", "br0");
        Nexthops.Add(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.2"), Link = "v0" });
        Nexthops.Add(new NexthopSpec(5) { Blackhole = true });
        IReadOnlyList<NexthopInfo> enslaved = await Nexthops.ListAsync(new NexthopFilter { Master = "br0" });
        Assert.That(Ids(enslaved), Is.EqualTo(IpIds("nexthop", "show", "master", "br0")));
        Assert.That(Ids(enslaved), Is.EqualTo(new uint[] { 1 }));
    }

    [Test]
    public async Task AsyncVerbs_AddGetReplaceDelete_RoundTripWithIp()
    {
        await Nexthops.AddAsync(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.2"), Link = "v0" });
        NexthopInfo got = await Nexthops.GetAsync(1);
        Assert.That((got.Gateway, got.LinkIndex), Is.EqualTo((IPAddress.Parse("198.51.100.2"), _lab.V0)));

        await Nexthops.ReplaceAsync(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.4"), Link = _lab.V0 });
        Assert.That(_lab.Json("nexthop", "get", "id", "1")[0].GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.4"));
        Assert.That((await Nexthops.ListAsync()).Single().Gateway, Is.EqualTo(IPAddress.Parse("198.51.100.4")));

        await Nexthops.DeleteAsync(1);
        Assert.That(await Nexthops.TryGetAsync(1), Is.Null);
        Assert.That(_lab.Json("nexthop", "show").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Replace_RouteUsingTheNexthop_FollowsIt()
    {
        Nexthops.Add(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.2"), Link = "v0" });
        _lab.Manager.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { NexthopId = 1 });
        JsonElement route = _lab.Json("route", "show", "203.0.113.0/24")[0];
        Assert.That(route.GetProperty("nhid").GetUInt32(), Is.EqualTo(1u));

        Nexthops.Replace(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.4"), Link = "v0" });
        RouteInfo ours = _lab.Manager.Session.Routes.List().Single(r => r.Destination == IPPrefix.Parse("203.0.113.0/24"));
        Assert.Multiple(() =>
        {
            Assert.That(ours.NexthopId, Is.EqualTo(1u));
            Assert.That(ours.Gateway, Is.EqualTo(IPAddress.Parse("198.51.100.4")));
            Assert.That(_lab.Json("route", "show", "203.0.113.0/24")[0].GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.4"));
        });
    }

    [Test]
    public void RouteAdd_NhidOfGroup_IpShowsNhidAndPaths()
    {
        _lab.Ip("nexthop", "add", "id", "1", "via", "198.51.100.2", "dev", "v0");
        _lab.Ip("nexthop", "add", "id", "4", "via", "203.0.113.1", "dev", "v0", "onlink");
        var group = new NexthopSpec(10);
        group.Group.Add(new NexthopGroupMember(1, 3));
        group.Group.Add(new NexthopGroupMember(4));
        Nexthops.Add(group);
        _lab.Manager.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("198.51.100.128/25")) { NexthopId = 10 });

        JsonElement route = _lab.Json("route", "show", "198.51.100.128/25")[0];
        RouteInfo ours = _lab.Manager.Session.Routes.List().Single(r => r.Destination == IPPrefix.Parse("198.51.100.128/25"));
        Assert.Multiple(() =>
        {
            Assert.That(route.GetProperty("nhid").GetUInt32(), Is.EqualTo(10u));
            Assert.That(ours.NexthopId, Is.EqualTo(10u));
            Assert.That(ours.NextHops.Select(h => (h.Gateway?.ToString(), h.Weight)), Is.EqualTo(route.GetProperty("nexthops").EnumerateArray().Select(h => (h.GetProperty("gateway").GetString(), h.GetProperty("weight").GetInt32()))));
        });
    }

    [Test]
    public void Flush_Everything_LeavesNoNexthopAndCountsThem()
    {
        foreach (NexthopSpec spec in EveryShape())
        {
            Nexthops.Add(spec);
        }

        Assert.That(Nexthops.Flush(), Is.EqualTo(9));
        Assert.That(_lab.Json("nexthop", "show").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task FlushAsync_GroupsOnly_LeavesTheSingleNexthops()
    {
        foreach (NexthopSpec spec in EveryShape())
        {
            Nexthops.Add(spec);
        }

        Assert.That(await Nexthops.FlushAsync(new NexthopFilter { GroupsOnly = true }), Is.EqualTo(3));
        Assert.That(IpIds("nexthop", "show"), Is.EqualTo(new uint[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public async Task ListBuckets_ResilientGroup_MatchIpBucketByBucket()
    {
        foreach (NexthopSpec spec in EveryShape())
        {
            Nexthops.Add(spec);
        }

        IReadOnlyList<NexthopBucketInfo> ours = Nexthops.ListBuckets(new NexthopBucketFilter { GroupId = 11 });
        JsonElement theirs = _lab.Json("nexthop", "bucket", "show", "id", "11");
        Assert.Multiple(() =>
        {
            Assert.That(ours, Has.Count.EqualTo(8));
            Assert.That(ours.Select(b => (b.GroupId, b.Index, b.NexthopId)), Is.EqualTo(theirs.EnumerateArray().Select(b => (
                b.GetProperty("id").GetUInt32(),
                b.GetProperty("bucket").GetProperty("index").GetInt32(),
                b.GetProperty("bucket").GetProperty("nhid").GetUInt32()))));
            Assert.That(ours.Count(b => b.NexthopId == 4), Is.GreaterThan(ours.Count(b => b.NexthopId == 1)).And.AtLeast(5), "weights 1 and 2 over 8 buckets");
        });

        NexthopBucketInfo bucket = await Nexthops.GetBucketAsync(11, 3);
        Assert.That((bucket.Index, bucket.NexthopId), Is.EqualTo((3, ours[3].NexthopId)));
        Assert.That(Nexthops.ListBuckets(new NexthopBucketFilter { NexthopId = 1 }).All(b => b.NexthopId == 1), Is.True);
        Assert.That(Nexthops.ListBuckets(), Has.Count.EqualTo(8 + 16));
    }

    [Test]
    public void Add_DeviceWithoutCarrier_ThrowsWithTheKernelsText()
    {
        _lab.Ip("link", "set", "v1", "down");
        var e = Assert.Throws<NetlinkException>(() => Nexthops.Add(new NexthopSpec(20) { Link = "v0" }));
        Assert.Multiple(() =>
        {
            Assert.That(e!.ExtendedAckMessage, Is.EqualTo("Carrier for nexthop device is down"));
            Assert.That(e.Message, Does.Contain("Carrier for nexthop device is down").And.Contain("ip nexthop add"));
        });
        Assert.That(_lab.Json("nexthop", "show").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void UnknownIds_GetTheKernelsRefusal()
    {
        var get = Assert.Throws<NetlinkException>(() => Nexthops.Get(99));
        var delete = Assert.Throws<NetlinkException>(() => Nexthops.Delete(99));
        var group = new NexthopSpec(10);
        group.Group.Add(new NexthopGroupMember(99));
        var member = Assert.Throws<NetlinkException>(() => Nexthops.Add(group));
        Assert.Multiple(() =>
        {
            Assert.That(get!.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(delete!.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(delete.Message, Does.Contain("ip nexthop del"));
            Assert.That(member!.ExtendedAckMessage, Is.EqualTo("Invalid nexthop id"));
            Assert.That(Nexthops.TryGet(99), Is.Null);
        });
    }

    [Test]
    public void Add_TakenId_ThrowsEexist()
    {
        Nexthops.Add(new NexthopSpec(1) { Link = "v0" });
        var e = Assert.Throws<NetlinkException>(() => Nexthops.Add(new NexthopSpec(1) { Link = "v0" }));
        Assert.That(e!.Errno, Is.EqualTo(Errno.EEXIST));
    }

    [Test]
    public void BadInput_RefusedBeforeAnythingIsSent()
    {
        var selfGroup = new NexthopSpec(10);
        selfGroup.Group.Add(new NexthopGroupMember(10));
        var zeroBuckets = new NexthopSpec(11) { GroupType = NexthopGroupType.Resilient, Buckets = 0 };
        zeroBuckets.Group.Add(new NexthopGroupMember(1));
        Assert.Multiple(() =>
        {
            Assert.That(() => Nexthops.Add(new NexthopSpec(0) { Link = "v0" }), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => Nexthops.Add(selfGroup), Throws.InstanceOf<ArgumentException>());
            Assert.That(async () => await Nexthops.AddAsync(zeroBuckets), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => Nexthops.Delete(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Nexthops.GetBucket(11, 70000), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
        Assert.That(_lab.Json("nexthop", "show").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Monitor_NexthopAddReplaceDelete_ArriveAsEvents()
    {
        using RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.Nexthops);
        Nexthops.Add(new NexthopSpec(7) { Gateway = IPAddress.Parse("198.51.100.2"), Link = "v0" });
        Nexthops.Replace(new NexthopSpec(7) { Gateway = IPAddress.Parse("198.51.100.4"), Link = "v0" });
        Nexthops.Delete(7);
        var seen = new List<(RtnetlinkEventAction, uint, IPAddress?)>();
        using var bound = new CancellationTokenSource(Bound);
        await foreach (RtnetlinkEvent change in monitor.WithCancellation(bound.Token))
        {
            Assert.That(change.Kind, Is.EqualTo(RtnetlinkEventKind.Nexthop));
            NexthopInfo nexthop = change.ToNexthop();
            seen.Add((change.Action, nexthop.Id, nexthop.Gateway));
            if (change.Action == RtnetlinkEventAction.Deleted)
            {
                break;
            }
        }

        IPAddress first = IPAddress.Parse("198.51.100.2");
        IPAddress second = IPAddress.Parse("198.51.100.4");

        // The kernel announces a replaced nexthop as RTM_NEWNEXTHOP without NLM_F_REPLACE: it reads as New, with the new gateway.
        Assert.That(seen, Is.EqualTo(new[] { (RtnetlinkEventAction.New, 7u, (IPAddress?)first), (RtnetlinkEventAction.New, 7u, (IPAddress?)second), (RtnetlinkEventAction.Deleted, 7u, (IPAddress?)second) }));
    }

    private static IEnumerable<NexthopSpec> EveryShape()
    {
        yield return new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.2"), Link = "v0" };
        yield return new NexthopSpec(2) { Gateway = IPAddress.Parse("2001:db8::2"), Link = "v0" };
        yield return new NexthopSpec(3) { Link = "v0", Protocol = RouteProtocol.Static };
        yield return new NexthopSpec(4) { Gateway = IPAddress.Parse("203.0.113.1"), Link = "v0", OnLink = true };
        yield return new NexthopSpec(5) { Blackhole = true };
        yield return new NexthopSpec(6) { Gateway = IPAddress.Parse("198.51.100.3"), Fdb = true };
        var group = new NexthopSpec(10);
        group.Group.Add(new NexthopGroupMember(1, 3));
        group.Group.Add(new NexthopGroupMember(4));
        yield return group;
        var resilient = new NexthopSpec(11) { GroupType = NexthopGroupType.Resilient, Buckets = 8, IdleTimer = TimeSpan.FromSeconds(60), UnbalancedTimer = TimeSpan.FromSeconds(120) };
        resilient.Group.Add(new NexthopGroupMember(1));
        resilient.Group.Add(new NexthopGroupMember(4, 2));
        yield return resilient;
        var defaults = new NexthopSpec(12) { GroupType = NexthopGroupType.Resilient, Buckets = 16 };
        defaults.Group.Add(new NexthopGroupMember(3, 256));
        yield return defaults;
    }

    private static uint[] Ids(IEnumerable<NexthopInfo> nexthops) => nexthops.Select(n => n.Id).ToArray();

    private uint[] IpIds(params string[] args) => _lab.Json(args).EnumerateArray().Select(n => n.GetProperty("id").GetUInt32()).ToArray();

    private void CompareWithIp(IReadOnlyList<NexthopInfo> ours, JsonElement theirs)
    {
        Assert.That(Ids(ours), Is.EqualTo(theirs.EnumerateArray().Select(n => n.GetProperty("id").GetUInt32()).ToArray()));
        foreach ((NexthopInfo mine, JsonElement ip) in ours.Zip(theirs.EnumerateArray()))
        {
            string what = ip.ToString();
            Assert.Multiple(() =>
            {
                Assert.That(mine.Gateway?.ToString(), Is.EqualTo(ip.TryGetProperty("gateway", out JsonElement g) ? g.GetString() : null), what);
                Assert.That(mine.LinkIndex, Is.EqualTo(ip.TryGetProperty("dev", out JsonElement d) ? _lab.Index(d.GetString()!) : 0), what);
                Assert.That(mine.IsBlackhole, Is.EqualTo(ip.TryGetProperty("blackhole", out _)), what);
                Assert.That(mine.IsFdb, Is.EqualTo(ip.TryGetProperty("fdb", out _)), what);
                Assert.That(mine.Flags.HasFlag(RouteNextHopFlags.OnLink), Is.EqualTo(ip.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "onlink")), what);
                Assert.That(ip.TryGetProperty("scope", out JsonElement scope) ? scope.GetString() : null, Is.EqualTo(mine.Gateway is null && mine.LinkIndex == 0 ? null : mine.Scope switch { RouteScope.Link => "link", RouteScope.Host => "host", RouteScope.Universe => "global", _ => mine.Scope.ToString() }), what);
                Assert.That(
                    mine.Group.Select(m => (m.Id, m.Weight)),
                    Is.EqualTo(ip.TryGetProperty("group", out JsonElement group)
                        ? group.EnumerateArray().Select(m => (m.GetProperty("id").GetUInt32(), m.TryGetProperty("weight", out JsonElement w) ? w.GetInt32() : 1))
                        : Enumerable.Empty<(uint, int)>()),
                    what);
                Assert.That(mine.GroupType == NexthopGroupType.Resilient, Is.EqualTo(ip.TryGetProperty("type", out JsonElement type) && type.GetString() == "resilient"), what);
                if (ip.TryGetProperty("resilient_args", out JsonElement args))
                {
                    Assert.That(mine.Buckets, Is.EqualTo(args.GetProperty("buckets").GetInt32()), what);
                    Assert.That(mine.IdleTimer?.TotalSeconds, Is.EqualTo(args.GetProperty("idle_timer").GetDouble()), what);
                    Assert.That(mine.UnbalancedTimer?.TotalSeconds, Is.EqualTo(args.GetProperty("unbalanced_timer").GetDouble()), what);
                }

                if (ip.TryGetProperty("protocol", out JsonElement protocol))
                {
                    Assert.That(mine.Protocol.ToString().ToLowerInvariant(), Is.EqualTo(protocol.GetString()), what);
                }
            });
        }
    }
}
