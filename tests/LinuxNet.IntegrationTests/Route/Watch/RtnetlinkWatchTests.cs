using System.Diagnostics;
using System.Net;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Watch;

[TestFixture]
[Category("Privileged")]
public class RtnetlinkWatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string[] Kinds = { "link", "addr", "route", "neigh" };
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
    public async Task Watch_Snapshot_EqualsIpForEveryKindThenSnapshotCompleted()
    {
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        _lab.Ip("addr", "add", "2001:db8:1::1/64", "dev", "v0", "nodad");
        _lab.Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2", "table", "100");
        _lab.Ip("neigh", "add", "198.51.100.2", "lladdr", "02:00:00:00:00:02", "dev", "v0");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        using RtnetlinkWatch watch = rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes | RtnetlinkEventKinds.Neighbours);
        var state = new AppliedState();
        IAsyncEnumerator<RtnetlinkWatchEvent> items = watch.GetAsyncEnumerator();
        var order = new List<RtnetlinkEventKind>();
        while (true)
        {
            Assert.That(await items.MoveNextAsync().AsTask().WaitAsync(Bound), Is.True);
            if (items.Current.Change == RtnetlinkWatchChange.SnapshotCompleted)
            {
                break;
            }

            Assert.That(items.Current.Change, Is.EqualTo(RtnetlinkWatchChange.Added), "the snapshot is additions only");
            order.Add(items.Current.Kind);
            state.Apply(items.Current);
        }

        // The veth pair's IPv6 link-local addresses (and their local routes, after duplicate-address detection) may
        // still be arriving: apply the changes that follow the snapshot until the state equals ip, bounded.
        var deadline = DateTime.UtcNow + Bound;
        Task<bool>? next = null;
        while (DateTime.UtcNow < deadline && !Kinds.All(kind => state.Keys(kind + " ").SetEquals(AppliedState.Oracle(_lab.Namespace, kind))))
        {
            next ??= items.MoveNextAsync().AsTask();
            while (await Task.WhenAny(next, Task.Delay(200)) == next)
            {
                Assert.That(await next, Is.True);
                state.Apply(items.Current);
                next = items.MoveNextAsync().AsTask();
            }
        }

        Assert.Multiple(() =>
        {
            foreach (string kind in Kinds)
            {
                Assert.That(state.Keys(kind + " "), Is.EqualTo(AppliedState.Oracle(_lab.Namespace, kind)), kind);
            }

            Assert.That(order, Is.Ordered, "links, then addresses, routes, neighbours");
            Assert.That(state.Violations, Is.Empty);
            Assert.That(state.Has(AppliedState.RouteKey(IPPrefix.Parse("203.0.113.0/24"), 100, 0, _lab.V0)), Is.True);
        });
    }

    [Test]
    public async Task Watch_ChangesRaceTheSnapshot_NoGapNoDuplicateAndEqualsIp()
    {
        // Routes are added and deleted from another session before, while and after the watch subscribes and dumps:
        // every change lands before, during or after the dump, and the consumer must see each object once and end
        // equal to the kernel. The churn goes on until ten rounds after the snapshot completed (bounded).
        using RtnetlinkSession writer = RtnetlinkSession.Open(_lab.Namespace);
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        using var stop = new CancellationTokenSource(Bound);
        WatchConsumer? watching = null;
        int rounds = 0;
        int roundsAtOpen = -1;
        int roundsAtSnapshot = -1;
        Task churn = Task.Run(() =>
        {
            for (int round = 0; round < 1000 && !stop.IsCancellationRequested; round++)
            {
                Thread.Sleep(2);
                using RtnetlinkBatch add = writer.CreateBatch();
                using RtnetlinkBatch delete = writer.CreateBatch();
                for (int i = 1; i <= 100; i++)
                {
                    var prefix = new IPPrefix(IPAddress.Parse($"2001:db8:{round + 1:x}::{i:x}"), 128);
                    add.AddRoute(prefix, _lab.V0);
                    if (i % 2 == 0)
                    {
                        delete.DeleteRoute(prefix, _lab.V0);
                    }
                }

                Assert.That(add.Execute().AllSucceeded && delete.Execute().AllSucceeded, Is.True);
                Volatile.Write(ref rounds, round + 1);
                if (Volatile.Read(ref watching)?.State.Synchronized == true)
                {
                    if (roundsAtSnapshot < 0)
                    {
                        roundsAtSnapshot = round + 1;
                    }
                    else if (round + 1 - roundsAtSnapshot >= 10)
                    {
                        return;
                    }
                }
            }
        });

        while (Volatile.Read(ref rounds) < 3 && !churn.IsCompleted)
        {
            Thread.Sleep(1);
        }

        roundsAtOpen = Volatile.Read(ref rounds);
        await using var consumer = new WatchConsumer(rt.Watch(RtnetlinkEventKinds.Routes | RtnetlinkEventKinds.Links));
        Volatile.Write(ref watching, consumer);
        await churn.WaitAsync(Bound);
        writer.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.77/32")) { Link = _lab.V0 });
        consumer.WaitFor(s => s.Synchronized && s.Has(AppliedState.RouteKey(IPPrefix.Parse("203.0.113.77/32"), 254, 0, _lab.V0)) && !s.InResync, Bound, "the sentinel route");
        var seen = consumer.WaitForOracle(_lab.Namespace, ["route", "link"], Bound);
        TestContext.Out.WriteLine($"rounds {rounds} (watch opened after {roundsAtOpen}, snapshot complete by {roundsAtSnapshot}), added {consumer.State.Added}, deleted {consumer.State.Deleted}, overruns {consumer.Watch.OverrunCount}, passes {consumer.Watch.SyncPassCount}");
        Assert.Multiple(() =>
        {
            Assert.That(roundsAtOpen, Is.GreaterThanOrEqualTo(3), "the churn ran before the watch opened");
            if (roundsAtSnapshot < 0)
            {
                // A heavily loaded machine: the snapshot's passes outlasted the whole churn (they overlapped it all).
                Assert.Warn($"the snapshot completed only after the churn ({consumer.Watch.SyncPassCount} passes)");
            }
            else if (consumer.Watch.OverrunCount == 0)
            {
                Assert.That(consumer.State.Deleted, Is.GreaterThan(0), "changes after the snapshot were streamed");
            }

            Assert.That(consumer.State.Violations, Is.Empty);
            Assert.That(seen["route"].Actual, Is.EqualTo(seen["route"].Expected));
            Assert.That(seen["link"].Actual, Is.EqualTo(seen["link"].Expected));
        });
    }

    [Test]
    public async Task Watch_OverrunAfterSnapshot_YieldsOnlyTheDifferenceBetweenMarkers()
    {
        // A quiet namespace: IPv4 only on a dummy link, so the only events are the test's.
        using var lab = NetNamespace.CreateAnonymous();
        IpOracle.Execute(lab, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        IpOracle.Execute(lab, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        IpOracle.Run(lab, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        IpOracle.Run(lab, "link", "set", "d0", "up");
        IpOracle.Run(lab, "link", "set", "d1", "up");
        IpOracle.Run(lab, "addr", "add", "198.51.100.1/24", "dev", "d0");
        using RtnetlinkSession rt = RtnetlinkSession.Open(lab);
        int d0 = rt.Links.GetIndex("d0");
        using (RtnetlinkBatch setup = rt.CreateBatch())
        {
            for (int i = 0; i < 300; i++)
            {
                setup.AddRoute(new IPPrefix(IPAddress.Parse($"203.0.113.{i % 250}"), 32), d0, table: (uint)(1000 + (i / 250)));
            }

            Assert.That(setup.Execute().AllSucceeded, Is.True);
        }

        using RtnetlinkWatch watch = rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes, new RtnetlinkWatchOptions { ReceiveBufferSize = 8 * 1024 });
        await using IAsyncEnumerator<RtnetlinkWatchEvent> items = watch.GetAsyncEnumerator();
        int snapshot = 0;
        while (await Next(items) is { } item && item.Change != RtnetlinkWatchChange.SnapshotCompleted)
        {
            snapshot++;
        }

        // Not reading: 50 routes added, 20 deleted, 10 changed (an MTU metric), and 2,000 that come and go — which
        // overruns the 8 KiB buffer many times over but is no difference at all.
        using (RtnetlinkBatch burst = rt.CreateBatch())
        {
            for (int i = 0; i < 1000; i++)
            {
                burst.AddRoute(new IPPrefix(IPAddress.Parse($"198.51.100.{(i % 250) + 1}"), 32), d0, table: (uint)(2000 + (i / 250)));
            }

            for (int i = 0; i < 1000; i++)
            {
                burst.DeleteRoute(new IPPrefix(IPAddress.Parse($"198.51.100.{(i % 250) + 1}"), 32), d0, table: (uint)(2000 + (i / 250)));
            }

            for (int i = 0; i < 50; i++)
            {
                burst.AddRoute(new IPPrefix(IPAddress.Parse($"203.0.113.{i}"), 32), d0, table: 3000);
            }

            for (int i = 0; i < 20; i++)
            {
                burst.DeleteRoute(new IPPrefix(IPAddress.Parse($"203.0.113.{i}"), 32), d0, table: 1000);
            }

            Assert.That(burst.Execute().AllSucceeded, Is.True);
        }

        for (int i = 100; i < 110; i++)
        {
            IpOracle.Run(lab, "route", "replace", $"203.0.113.{i}/32", "dev", "d0", "table", "1000", "mtu", "1280");
        }

        Assert.That((await Next(items))?.Change, Is.EqualTo(RtnetlinkWatchChange.ResyncStarted));
        var counts = new Dictionary<RtnetlinkWatchChange, int>();
        while (await Next(items) is { } item && item.Change != RtnetlinkWatchChange.ResyncCompleted)
        {
            Assert.That(item.Kind, Is.EqualTo(RtnetlinkEventKind.Route), item.ToString());
            counts[item.Change] = counts.GetValueOrDefault(item.Change) + 1;
            if (item.Change == RtnetlinkWatchChange.Changed)
            {
                Assert.That(item.Event.ToRoute().Metrics?.Mtu, Is.EqualTo(1280));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(snapshot, Is.GreaterThanOrEqualTo(300));
            Assert.That(counts.GetValueOrDefault(RtnetlinkWatchChange.Added), Is.EqualTo(50));
            Assert.That(counts.GetValueOrDefault(RtnetlinkWatchChange.Deleted), Is.EqualTo(20));
            Assert.That(counts.GetValueOrDefault(RtnetlinkWatchChange.Changed), Is.EqualTo(10));
            Assert.That(watch.OverrunCount, Is.GreaterThanOrEqualTo(1));
            Assert.That(watch.ResyncCount, Is.EqualTo(1));
            Assert.That(watch.SyncPassCount, Is.EqualTo(2), "one dump for the snapshot, one for the resync");
            Assert.That(watch.RequestedReceiveBufferSize, Is.EqualTo(16 * 1024), "the buffer doubled after the overrun");
        });
    }

    [Test]
    public async Task Watch_LinkGoesDown_RoutesTheKernelFlushedSilentlyAreDeleted()
    {
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        _lab.Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        await using var consumer = new WatchConsumer(rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes));
        string route = AppliedState.RouteKey(IPPrefix.Parse("203.0.113.0/24"), 254, 0, _lab.V0);
        consumer.WaitFor(s => s.Synchronized && s.Has(route), Bound, "the snapshot");
        _lab.Ip("link", "set", "v0", "down");
        consumer.WaitFor(s => !s.Has(route), Bound, "the IPv4 route the kernel removed without RTM_DELROUTE");
        consumer.WaitFor(_ => consumer.Watch.RefreshCount > 0, Bound, "the quiet re-read");
        var seen = consumer.WaitForOracle(_lab.Namespace, ["route"], Bound);
        Assert.Multiple(() =>
        {
            Assert.That(seen["route"].Actual, Is.EqualTo(seen["route"].Expected));
            Assert.That(consumer.State.Violations, Is.Empty);
        });
    }

    [Test]
    public async Task Watch_RouteReplacedOntoAnotherLink_OldOneIsDeletedAndPeersOnTwoLinksAreTwoRoutes()
    {
        // IPv6 keeps fe80::/64 on v0 and on v1 as two routes; "ip route replace" onto v1 drops the v0 one silently.
        _lab.Ip("route", "add", "203.0.113.0/24", "dev", "v0");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        await using var consumer = new WatchConsumer(rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Routes));
        consumer.WaitFor(s => s.Synchronized, Bound, "the snapshot");
        Assert.That(consumer.State.Keys("route fe80::/64 "), Has.Count.EqualTo(2), "fe80::/64 dev v0 and dev v1");
        _lab.Ip("route", "replace", "203.0.113.0/24", "dev", "v1");
        consumer.WaitFor(s => s.Has(AppliedState.RouteKey(IPPrefix.Parse("203.0.113.0/24"), 254, 0, _lab.V1)), Bound, "the replacement");
        consumer.WaitFor(s => !s.Has(AppliedState.RouteKey(IPPrefix.Parse("203.0.113.0/24"), 254, 0, _lab.V0)), Bound, "the replaced route's removal");
        var seen = consumer.WaitForOracle(_lab.Namespace, ["route"], Bound);
        Assert.Multiple(() =>
        {
            Assert.That(seen["route"].Actual, Is.EqualTo(seen["route"].Expected));
            Assert.That(consumer.State.Violations, Is.Empty);
        });
    }

    [Test]
    public async Task Watch_AddressDeleted_GatewayRouteTheKernelFlushedSilentlyIsDeleted()
    {
        // Deleting the address leaves the gateway unreachable: the kernel drops the route without RTM_DELROUTE.
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        _lab.Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        await using var consumer = new WatchConsumer(rt.Watch(RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes));
        string route = AppliedState.RouteKey(IPPrefix.Parse("203.0.113.0/24"), 254, 0, _lab.V0);
        consumer.WaitFor(s => s.Synchronized && s.Has(route), Bound, "the snapshot");
        _lab.Ip("addr", "del", "198.51.100.1/24", "dev", "v0");
        consumer.WaitFor(s => !s.Has(route), Bound, "the gateway route the kernel removed without RTM_DELROUTE");
        var seen = consumer.WaitForOracle(_lab.Namespace, ["route", "addr"], Bound);
        Assert.Multiple(() =>
        {
            Assert.That(seen["route"].Actual, Is.EqualTo(seen["route"].Expected));
            Assert.That(consumer.Watch.RefreshCount, Is.GreaterThan(0));
            Assert.That(consumer.State.Violations, Is.Empty);
        });
    }

    [Test]
    public async Task Watch_Storm_OverrunsThousandsOfTimesAndConsumerAndCacheEqualIp()
    {
        // Thousands of route, address and neighbour adds and deletes through batches, with the watch's and the
        // cache's buffers tiny, bounded in rounds and in time. Afterwards the consumer that applied the stream, and
        // the cache, equal ip -j for every kind.
        using RtnetlinkSession writer = RtnetlinkSession.Open(_lab.Namespace);
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        using RtnetlinkSession cacheSession = RtnetlinkSession.Open(_lab.Namespace);
        var tiny = new RtnetlinkWatchOptions { ReceiveBufferSize = 4096, MaxReceiveBufferSize = 4096 };
        await using var consumer = new WatchConsumer(rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes | RtnetlinkEventKinds.Neighbours, tiny));
        await using RtnetlinkCache cache = await RtnetlinkCache.StartAsync(cacheSession, options: tiny).AsTask().WaitAsync(Bound);
        consumer.WaitFor(s => s.Synchronized, Bound, "the snapshot");

        var clock = Stopwatch.StartNew();
        int rounds = 0;
        const int MaxRounds = 5000;
        while (rounds < MaxRounds && clock.Elapsed < TimeSpan.FromSeconds(40) && (consumer.Watch.OverrunCount < 2000 || rounds < 20))
        {
            using RtnetlinkBatch add = writer.CreateBatch();
            using RtnetlinkBatch delete = writer.CreateBatch();
            int r = rounds % 50;
            for (int i = 1; i <= 60; i++)
            {
                var v6 = new IPPrefix(IPAddress.Parse($"2001:db8:{r + 1:x}::{i:x}"), 128);
                var v4 = new IPPrefix(IPAddress.Parse($"203.0.{r % 100}.{i}"), 32);
                add.AddRoute(v6, _lab.V0);
                add.AddRoute(v4, _lab.V0, table: 100);
                var neighbour = new NeighbourSpec(IPAddress.Parse($"198.51.100.{i + 100}"), _lab.V0) { LinkLayerAddress = System.Net.NetworkInformation.PhysicalAddress.Parse($"02-00-00-00-{r % 256:x2}-{i:x2}") };
                add.AddNeighbour(neighbour);
                if (i <= 10)
                {
                    add.AddAddress(new AddressSpec(_lab.V1, IPPrefix.Parse($"2001:db8:ff{r % 16:x}::{i:x}/128")) { Flags = AddressFlags.NoDad });
                }

                // Keep three of each round's objects; the rest come and go.
                if (i % 20 != 0)
                {
                    delete.DeleteRoute(v6, _lab.V0);
                    delete.DeleteRoute(v4, _lab.V0, table: 100);
                    delete.DeleteNeighbour(neighbour);
                    if (i < 10)
                    {
                        delete.DeleteAddress(new AddressSpec(_lab.V1, IPPrefix.Parse($"2001:db8:ff{r % 16:x}::{i:x}/128")));
                    }
                }
            }

            // Replays of a round (r repeats past 50) meet EEXIST/ENOENT for what earlier rounds kept: expected.
            add.Execute();
            delete.Execute();
            rounds++;
        }

        TimeSpan storm = clock.Elapsed;
        writer.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.250/32")) { Link = _lab.V0 });
        string sentinel = AppliedState.RouteKey(IPPrefix.Parse("203.0.113.250/32"), 254, 0, _lab.V0);
        consumer.WaitFor(s => s.Has(sentinel) && !s.InResync, TimeSpan.FromSeconds(60), "the sentinel after the storm");
        var deadline = DateTime.UtcNow + Bound;
        while ((cache.FindRoutes(IPPrefix.Parse("203.0.113.250/32")).Count == 0 || !cache.IsSynchronized) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        // Each side is asserted on the comparison its wait last made: the kernel may still add a route of its own
        // (an IPv6 local route, say) after a wait's read, which a fresh oracle read would hold and the stream not yet.
        var seen = consumer.WaitForOracle(_lab.Namespace, Kinds, Bound);
        var cached = new Dictionary<string, (SortedSet<string> Actual, SortedSet<string> Expected)>();
        deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            foreach (string kind in Kinds)
            {
                cached[kind] = (CacheKeys(cache, kind), AppliedState.Oracle(_lab.Namespace, kind));
            }

            if (cached.Values.All(pair => pair.Actual.SetEquals(pair.Expected)) || DateTime.UtcNow >= deadline)
            {
                break;
            }

            Thread.Sleep(50);
        }

        TestContext.Out.WriteLine($"storm: {rounds} rounds in {storm.TotalSeconds:F1} s; watch overruns {consumer.Watch.OverrunCount}, resyncs {consumer.Watch.ResyncCount}, passes {consumer.Watch.SyncPassCount}; cache resyncs {cache.ResyncCount}; applied +{consumer.State.Added} ~{consumer.State.Changed} -{consumer.State.Deleted}");
        Assert.Multiple(() =>
        {
            foreach (string kind in Kinds)
            {
                Assert.That(seen[kind].Actual, Is.EqualTo(seen[kind].Expected), "stream: " + kind);
                Assert.That(cached[kind].Actual, Is.EqualTo(cached[kind].Expected), "cache: " + kind);
            }

            Assert.That(consumer.State.Violations, Is.Empty);
            Assert.That(consumer.Watch.OverrunCount, Is.GreaterThanOrEqualTo(1000), "the storm overran the tiny buffer thousands of times");
            Assert.That(consumer.Watch.ResyncCount, Is.GreaterThanOrEqualTo(1));
            Assert.That(cache.IsSynchronized, Is.True);
        });
    }

    [Test]
    public async Task Watch_DisposeWhileWaiting_EndsPromptly()
    {
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        RtnetlinkWatch watch = rt.Watch(RtnetlinkEventKinds.Links);
        IAsyncEnumerator<RtnetlinkWatchEvent> items = watch.GetAsyncEnumerator();
        while (await Next(items) is { } item && item.Change != RtnetlinkWatchChange.SnapshotCompleted)
        {
        }

        ValueTask<bool> pending = items.MoveNextAsync();
        Assert.That(pending.IsCompleted, Is.False, "nothing happens in the namespace");
        var clock = Stopwatch.StartNew();
        watch.Dispose();
        Assert.That(await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(5)), Is.False);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.Throws<ObjectDisposedException>(() => watch.GetAsyncEnumerator());
    }

    [Test]
    public async Task Watch_CancelWhileWaiting_ThrowsPromptly()
    {
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        using RtnetlinkWatch watch = rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Routes);
        using var cancel = new CancellationTokenSource();
        IAsyncEnumerator<RtnetlinkWatchEvent> items = watch.GetAsyncEnumerator(cancel.Token);
        while (await Next(items) is { } item && item.Change != RtnetlinkWatchChange.SnapshotCompleted)
        {
        }

        Task<bool> pending = items.MoveNextAsync().AsTask();
        cancel.CancelAfter(50);
        Assert.That(async () => await pending.WaitAsync(TimeSpan.FromSeconds(5)), Throws.InstanceOf<OperationCanceledException>());
        Assert.Throws<InvalidOperationException>(() => watch.GetAsyncEnumerator(), "one enumeration per watch");
    }

    [Test]
    public async Task Cache_QueriesByKeyLinkAndAll_AndNotifiesChanges()
    {
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        RtnetlinkCache cache = await RtnetlinkCache.StartAsync(rt).AsTask().WaitAsync(Bound);
        var changes = new List<RtnetlinkCacheChangedEventArgs>();
        cache.Changed += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e);
            }
        };
        Assert.Multiple(() =>
        {
            Assert.That(cache.GetLink("v0")?.Index, Is.EqualTo(_lab.V0));
            Assert.That(cache.GetLink(_lab.V0)?.Name, Is.EqualTo("v0"));
            Assert.That(cache.GetLinks().Select(l => l.Index), Is.EquivalentTo(_lab.Json("link", "show").EnumerateArray().Select(l => l.GetProperty("ifindex").GetInt32())));
            Assert.That(cache.FindAddresses(IPAddress.Parse("198.51.100.1")).Single().LinkIndex, Is.EqualTo(_lab.V0));
            Assert.That(cache.GetRoutes(_lab.V0).Select(r => r.Destination.ToString()), Does.Contain("198.51.100.0/24"));
            Assert.That(cache.IsSynchronized, Is.True);
        });

        long version = cache.Version;
        _lab.Ip("neigh", "add", "198.51.100.9", "lladdr", "02:00:00:00:00:09", "dev", "v0");
        var deadline = DateTime.UtcNow + Bound;
        while (cache.GetNeighbour(IPAddress.Parse("198.51.100.9"), _lab.V0) is null && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.That(cache.GetNeighbour(IPAddress.Parse("198.51.100.9"), _lab.V0)?.LinkLayerAddress?.ToString(), Is.EqualTo("020000000009"));
        Assert.That(cache.GetNeighbours(_lab.V1), Is.Empty.Or.All.Matches<NeighbourInfo>(n => n.LinkIndex == _lab.V1));
        Assert.That(cache.Version, Is.GreaterThan(version));
        lock (changes)
        {
            Assert.That(changes.Any(c => c.Change == RtnetlinkWatchChange.Added && c.Item is NeighbourInfo n && n.Address.Equals(IPAddress.Parse("198.51.100.9"))), Is.True);
        }

        var clock = Stopwatch.StartNew();
        await cache.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(cache.Completion.IsCompleted, Is.True);
    }

    [Test]
    public void Watch_BadArguments_RefusedBeforeAnySocket()
    {
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(() => rt.Watch(RtnetlinkEventKinds.None), Throws.ArgumentException.With.Property("ParamName").EqualTo("kinds"));
            Assert.That(() => rt.Watch(RtnetlinkEventKinds.Rules | RtnetlinkEventKinds.Links), Throws.ArgumentException.With.Message.Contains("links, nexthops, addresses, routes, neighbours"));
            Assert.That(() => rt.Watch(RtnetlinkEventKinds.Links, new RtnetlinkWatchOptions { ReceiveBufferSize = -1 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => rt.Watch(RtnetlinkEventKinds.Links, new RtnetlinkWatchOptions { MaxSyncAttempts = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(async () => await RtnetlinkCache.StartAsync(null!), Throws.ArgumentNullException);
        });
    }

    private static SortedSet<string> CacheKeys(RtnetlinkCache cache, string kind)
    {
        IEnumerable<string> keys = kind switch
        {
            "link" => cache.GetLinks().Select(l => AppliedState.Link(l).Item1),
            "addr" => cache.GetAddresses().Select(a => AppliedState.Address(a).Item1),
            "route" => cache.GetRoutes().Select(r => AppliedState.Route(r).Item1),
            _ => cache.GetNeighbours().Select(n => AppliedState.Neighbour(n).Item1),
        };
        return new SortedSet<string>(keys, StringComparer.Ordinal);
    }

    private static async Task<RtnetlinkWatchEvent?> Next(IAsyncEnumerator<RtnetlinkWatchEvent> items)
        => await items.MoveNextAsync().AsTask().WaitAsync(Bound) ? items.Current : null;
}
