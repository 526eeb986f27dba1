using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class RtnetlinkBatchTests
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
    public void Execute_10000AddressAddsWithDuplicates_ReportsExactlyThoseFailures()
    {
        int[] duplicates = [17, 1023, 1024, 5000, 9999];
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch();
        for (int i = 0; i < 10_000; i++)
        {
            // A duplicate position repeats address 0, added by request 0.
            int slot = Array.IndexOf(duplicates, i) >= 0 ? 0 : i;
            Assert.That(batch.AddAddress(_lab.V0, new IPPrefix(Address(slot), 128)), Is.EqualTo(i));
        }

        RtnetlinkBatchResult result = batch.Execute();

        Assert.Multiple(() =>
        {
            Assert.That(result.Count, Is.EqualTo(10_000));
            Assert.That(result.Failures.Select(f => f.Index), Is.EqualTo(duplicates));
            Assert.That(result.Failures.Select(f => f.Errno), Is.All.EqualTo(Errno.EEXIST));
            Assert.That(result.SucceededCount, Is.EqualTo(10_000 - duplicates.Length));
            Assert.That(result.NotRunCount, Is.Zero);
            Assert.That(result[5000].Error!.IsAlreadyExists, Is.True);
        });
        // iproute2 6.1 prints an empty object for each address its scope filter skips: count only real entries.
        int present = _lab.Json("-6", "addr", "show", "dev", "v0", "scope", "global")[0].GetProperty("addr_info").EnumerateArray()
            .Count(a => a.TryGetProperty("local", out JsonElement local) && local.GetString()!.StartsWith("2001:db8:100::", StringComparison.Ordinal));
        Assert.That(present, Is.EqualTo(10_000 - duplicates.Length));
    }

    [Test]
    public void Execute_StopOnFirstErrorOnePerSend_LaterRequestsNotRun()
    {
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch(new RtnetlinkBatchOptions { StopOnFirstError = true, MaxMessagesPerSend = 1 });
        batch.AddAddress(_lab.V0, new IPPrefix(Address(1), 128));
        batch.AddAddress(_lab.V0, new IPPrefix(Address(1), 128));
        batch.AddAddress(_lab.V0, new IPPrefix(Address(2), 128));

        RtnetlinkBatchResult result = batch.Execute();

        Assert.Multiple(() =>
        {
            Assert.That(result.Select(r => r.Status), Is.EqualTo(new[] { RtnetlinkBatchItemStatus.Succeeded, RtnetlinkBatchItemStatus.Failed, RtnetlinkBatchItemStatus.NotRun }));
            Assert.That(_lab.Ip("-6", "addr", "show", "dev", "v0"), Does.Not.Contain("2001:db8:100::2"));
        });
    }

    [Test]
    public async Task ExecuteAsync_StopOnFirstErrorPackedDatagrams_StopsAtDatagramBoundary()
    {
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch(new RtnetlinkBatchOptions { StopOnFirstError = true, MaxMessagesPerSend = 4 });
        for (int i = 0; i < 12; i++)
        {
            batch.AddAddress(_lab.V0, new IPPrefix(Address(i == 5 ? 4 : i), 128));
        }

        RtnetlinkBatchResult result = await batch.ExecuteAsync();

        // Datagrams hold requests 0-3, 4-7, 8-11: the failure at 5 lets 6 and 7 run (same datagram), 8-11 are never sent.
        Assert.Multiple(() =>
        {
            Assert.That(result.Failures.Select(f => f.Index), Is.EqualTo(new[] { 5 }));
            Assert.That(result.Take(8).Count(r => r.Succeeded), Is.EqualTo(7));
            Assert.That(result.Skip(8).Select(r => r.Status), Is.All.EqualTo(RtnetlinkBatchItemStatus.NotRun));
            Assert.That(result.NotRunCount, Is.EqualTo(4));
        });
    }

    [Test]
    public void LinkRequests_ByName_ResolveAndApply()
    {
        using (RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch())
        {
            batch.SetLinkDown("v1");
            Assert.That(batch.Execute().AllSucceeded, Is.True);
        }

        Assert.That(_lab.Json("link", "show", "dev", "v1")[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Not.Contain("UP"));
        using (RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch())
        {
            batch.SetLinkUp("v1");
            batch.DeleteLink("v0");
            Assert.That(batch.Execute().AllSucceeded, Is.True);
        }

        Assert.That(_lab.Json("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()), Does.Not.Contain("v0").And.Not.Contain("v1"), "deleting a veth end deletes its peer");
    }

    [Test]
    public void LinkRequests_BadReference_ThrowBeforeAnythingIsQueued()
    {
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch();
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => batch.SetLinkUp(default(LinkReference)));
            Assert.Throws<ArgumentException>(() => batch.DeleteLink("bad/name"));
            Assert.That(batch.Count, Is.Zero);
        });
    }

    [Test]
    public void Execute_MixedRequests_AppliesAllInOrderAndReportsKernelText()
    {
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch();
        batch.SetLinkDown(_lab.V1);
        batch.AddAddress(_lab.V0, new IPPrefix(IPAddress.Parse("198.51.100.1"), 24));
        batch.AddRoute(new IPPrefix(IPAddress.Parse("203.0.113.0"), 24), null, gateway: IPAddress.Parse("198.51.100.2"));
        batch.AddNeighbour(new NeighbourSpec(IPAddress.Parse("198.51.100.2"), "v0") { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-02") });
        batch.AddRule(new RuleSpec { Source = IPPrefix.Parse("198.51.100.0/24"), Table = 100, Priority = 1000 });
        int bad = batch.AddRoute(new IPPrefix(IPAddress.Parse("2001:db8:5::"), 64), null, gateway: IPAddress.Parse("2001:db8:9::1"));
        batch.DeleteRoute(new IPPrefix(IPAddress.Parse("203.0.113.0"), 24));
        batch.SetLinkUp(_lab.V1);

        RtnetlinkBatchResult result = batch.Execute();

        Assert.Multiple(() =>
        {
            Assert.That(result.Failures.Select(f => f.Index), Is.EqualTo(new[] { bad }), string.Join("\n", result));
            Assert.That(result[bad].Errno, Is.EqualTo(Errno.ENETUNREACH).Or.EqualTo(Errno.EHOSTUNREACH));
            Assert.That(_lab.Json("neigh", "show", "dev", "v0", "to", "198.51.100.2").GetArrayLength(), Is.EqualTo(1));
            Assert.That(_lab.Json("rule", "show", "priority", "1000").GetArrayLength(), Is.EqualTo(1));
            Assert.That(_lab.Json("route", "show", "203.0.113.0/24").GetArrayLength(), Is.Zero);
            Assert.That(_lab.Json("link", "show", "dev", "v1")[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Contain("UP"));
        });
    }

    [Test]
    public async Task Execute_AddressAndRouteSpecs_AppliedAndSeenAsTypedEvents()
    {
        using RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes);
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch();
        batch.AddAddress(new AddressSpec("v0", new IPPrefix(IPAddress.Parse("198.51.100.1"), 24)));
        batch.AddRoute(new RouteSpec(new IPPrefix(IPAddress.Parse("203.0.113.0"), 24)) { Link = "v0" });

        Assert.That(batch.Execute().AllSucceeded, Is.True);

        AddressInfo? address = null;
        RouteInfo? route = null;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await foreach (RtnetlinkEvent change in monitor.WithCancellation(bound.Token))
        {
            if (change.Kind == RtnetlinkEventKind.Address)
            {
                address = change.ToAddress();
            }
            else if (change.Kind == RtnetlinkEventKind.Route && change.RouteTable == 254 && change.GetRouteDestination().Equals(IPAddress.Parse("203.0.113.0")))
            {
                route = change.ToRoute();
                break;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(address?.LinkIndex, Is.EqualTo(_lab.V0));
            Assert.That(route, Is.Not.Null);
            Assert.That(_lab.Json("route", "show", "203.0.113.0/24").GetArrayLength(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Add_RawMessageThatIsADump_ThrowsArgumentException()
    {
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch();
        byte[] dump = new byte[28];
        var writer = new LinuxNet.Netlink.NetlinkMessageWriter(dump);
        writer.BeginMessage(34, LinuxNet.Netlink.NetlinkMessageFlags.Request | LinuxNet.Netlink.NetlinkMessageFlags.Dump);
        writer.WriteHeader(new FibRuleHdr());
        writer.EndMessage();
        Assert.Throws<ArgumentException>(() => batch.Add(dump));
    }

    [Test]
    public void AddRoute_GatewayOfOtherFamily_ThrowsArgumentException()
    {
        using RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch();
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => batch.AddRoute(new IPPrefix(IPAddress.Parse("2001:db8::"), 64), _lab.V0, IPAddress.Parse("198.51.100.1")));
            Assert.Throws<ArgumentOutOfRangeException>(() => batch.AddAddress(_lab.V0, new IPPrefix(IPAddress.Parse("198.51.100.1"), 33)));
            Assert.Throws<ArgumentOutOfRangeException>(() => batch.AddAddress(0, new IPPrefix(IPAddress.Parse("198.51.100.1"), 24)));
            Assert.That(batch.Count, Is.Zero);
        });
    }

    private static IPAddress Address(int i) => IPAddress.Parse($"2001:db8:100::{i:x}");
}
