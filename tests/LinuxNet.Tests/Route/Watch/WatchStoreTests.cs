using LinuxNet.Netlink;
using LinuxNet.Route;
using static LinuxNet.Tests.Route.Watch.WatchMessages;

namespace LinuxNet.Tests.Route.Watch;

/// <summary>
/// The reconciliation and the difference, with scripted dumps and events: what the snapshot yields when events race
/// the dump, what a resync yields (only the difference), and what live events yield (only real changes).
/// </summary>
[TestFixture]
public class WatchStoreTests
{
    private const RtnetlinkEventKinds All = RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes | RtnetlinkEventKinds.Neighbours;

    [Test]
    public void Snapshot_EventsRacingTheDump_EachObjectOnceInItsFinalState()
    {
        var store = NewStore();
        // The dump saw A and B; meanwhile A was re-announced unchanged (an event older than or equal to the dump),
        // B was deleted after the dump read it, C was added after the dump passed its place, D came and went before.
        List<string> pending = Sync(store, All,
            dump: [NewRoute("203.0.113.1/32"), NewRoute("203.0.113.2/32")],
            window: [NewRoute("203.0.113.1/32"), NewRoute("203.0.113.2/32", delete: true), NewRoute("203.0.113.3/32"), NewRoute("203.0.113.4/32"), NewRoute("203.0.113.4/32", delete: true)]);
        Assert.That(pending, Is.EqualTo(new[] { "Added 203.0.113.1/32", "Added 203.0.113.3/32" }));
        Assert.That(store.Count, Is.EqualTo(2));
    }

    [Test]
    public void Snapshot_StaleEventBeforeNewerOne_YieldsOnlyTheNewerState()
    {
        var store = NewStore();
        // The dump read the route with MTU 1400; the window still holds the MTU 1300 event that preceded it.
        List<string> pending = Sync(store, All,
            dump: [NewRoute("203.0.113.1/32", mtu: 1400)],
            window: [NewRoute("203.0.113.1/32", mtu: 1300), NewRoute("203.0.113.1/32", mtu: 1400)]);
        Assert.That(pending, Is.EqualTo(new[] { "Added 203.0.113.1/32 mtu 1400" }));
    }

    [Test]
    public void Resync_YieldsOnlyTheDifference_AddsChangesThenDeletesInKindOrder()
    {
        var store = NewStore();
        Sync(store, All,
            dump: [NewLink(2, "v0"), NewLink(3, "v1"), NewAddress("198.51.100.1/24"), NewRoute("203.0.113.1/32"), NewRoute("203.0.113.2/32"), NewRoute("203.0.113.3/32"), NewNeighbour("198.51.100.9", link: 3)],
            window: []);

        // Lost events: v1 went away with its neighbour, 203.0.113.2 changed, 203.0.113.3 was deleted, .4 added.
        List<string> diff = Sync(store, All,
            dump: [NewLink(2, "v0"), NewAddress("198.51.100.1/24"), NewRoute("203.0.113.1/32"), NewRoute("203.0.113.2/32", mtu: 1280), NewRoute("203.0.113.4/32")],
            window: []);
        Assert.That(diff, Is.EqualTo(new[]
        {
            "Changed 203.0.113.2/32 mtu 1280",
            "Added 203.0.113.4/32",
            "Deleted neigh 198.51.100.9",
            "Deleted 203.0.113.3/32",
            "Deleted link v1",
        }));
    }

    [Test]
    public void Resync_NothingChanged_YieldsNothingEvenWhenCountersAndLifetimesMoved()
    {
        var store = NewStore();
        Sync(store, All, dump: [NewLink(2, "v0", rxPackets: 10), NewAddress("2001:db8::1/64", validLifetime: 3600), NewRoute("2001:db8:1::/64", expires: 300)], window: []);
        List<string> diff = Sync(store, All, dump: [NewLink(2, "v0", rxPackets: 99_999, change: 0xffffffff), NewAddress("2001:db8::1/64", validLifetime: 1200), NewRoute("2001:db8:1::/64", expires: 17)], window: []);
        Assert.That(diff, Is.Empty);
    }

    [Test]
    public void Resync_DeletedAndReAddedUnchangedDuringTheDump_YieldsNothing()
    {
        var store = NewStore();
        Sync(store, All, dump: [NewRoute("203.0.113.1/32")], window: []);
        // The dump ran while the route was briefly absent; the window has its deletion and its return, unchanged.
        List<string> diff = Sync(store, All, dump: [], window: [NewRoute("203.0.113.1/32", delete: true), NewRoute("203.0.113.1/32")]);
        Assert.That(diff, Is.Empty);
        Assert.That(store.Count, Is.EqualTo(1));
    }

    [Test]
    public void Resync_AbandonedPassThenCleanPass_SweepsWhatOnlyTheFirstSaw()
    {
        var store = NewStore();
        Sync(store, All, dump: [NewRoute("203.0.113.1/32")], window: []);
        var pending = new List<WatchPending>();
        store.BeginPass(All);
        Dump(store, NewRoute("203.0.113.1/32"), NewRoute("203.0.113.2/32"));
        // That pass's window lost events: a second pass, which no longer sees .2 (nor .1).
        store.BeginPass(All);
        Dump(store, NewRoute("203.0.113.3/32"));
        store.CompletePass(pending);
        Assert.That(Describe(pending), Is.EqualTo(new[] { "Added 203.0.113.3/32", "Deleted 203.0.113.1/32" }));
        Assert.That(store.Count, Is.EqualTo(1));
    }

    [Test]
    public void Refresh_OneKind_LeavesOtherKindsAloneButAppliesTheirWindowEvents()
    {
        var store = NewStore();
        Sync(store, All, dump: [NewLink(2, "v0"), NewAddress("198.51.100.1/24"), NewRoute("203.0.113.1/32")], window: []);
        // A quiet re-read of routes only: the route is gone; an address deletion arrived meanwhile.
        List<string> diff = Sync(store, RtnetlinkEventKinds.Routes, dump: [], window: [NewAddress("198.51.100.1/24", delete: true)]);
        Assert.That(diff, Is.EqualTo(new[] { "Deleted 203.0.113.1/32", "Deleted addr 198.51.100.1/24" }));
        Assert.That(store.Count, Is.EqualTo(1), "the link stays although routes-only dumps never list it");
    }

    [Test]
    public void ApplyLive_OnlyRealChangesAreYielded()
    {
        var store = NewStore();
        Sync(store, All, dump: [NewLink(2, "v0")], window: []);
        Assert.Multiple(() =>
        {
            Assert.That(Live(store, NewRoute("203.0.113.1/32")), Is.EqualTo("Added"));
            Assert.That(Live(store, NewRoute("203.0.113.1/32")), Is.Null, "equal state again");
            Assert.That(Live(store, NewRoute("203.0.113.1/32", mtu: 1400)), Is.EqualTo("Changed"));
            Assert.That(Live(store, NewRoute("203.0.113.1/32", delete: true)), Is.EqualTo("Deleted"));
            Assert.That(Live(store, NewRoute("203.0.113.1/32", delete: true)), Is.Null, "deleting what the consumer lacks");
            Assert.That(Live(store, NewLink(2, "v0", rxPackets: 5, change: 0)), Is.Null, "counters only");
            Assert.That(Live(store, NewLink(2, "v0", mtu: 1400)), Is.EqualTo("Changed"));
            Assert.That(Live(store, NewNeighbour("198.51.100.9", state: LinuxNeighbour.NUD_NOARP)), Is.Null, "NOARP entries are not followed");
            Assert.That(Live(store, NewNeighbour("198.51.100.9", family: 7)), Is.Null, "bridge FDB entries are not followed");
            Assert.That(Live(store, NewNeighbour("198.51.100.9")), Is.EqualTo("Added"));
            Assert.That(Live(store, NewNeighbour("198.51.100.9", state: LinuxNeighbour.NUD_NOARP)), Is.EqualTo("Deleted"), "an entry turned NOARP leaves the followed set");
        });
    }

    [Test]
    public void ApplyLive_SamePrefixDifferentTableMetricOrLink_AreDifferentObjects()
    {
        var store = NewStore();
        Sync(store, All, dump: [], window: []);
        Assert.Multiple(() =>
        {
            Assert.That(Live(store, NewRoute("2001:db8::/64", metric: 1024)), Is.EqualTo("Added"));
            Assert.That(Live(store, NewRoute("2001:db8::/64", metric: 256)), Is.EqualTo("Added"));
            Assert.That(Live(store, NewRoute("2001:db8::/64", table: 100, metric: 256)), Is.EqualTo("Added"));
            Assert.That(Live(store, NewRoute("2001:db8::/64", link: 3, metric: 256)), Is.EqualTo("Added"), "IPv6 keeps one route per link");
            Assert.That(store.Count, Is.EqualTo(4));
        });
    }

    [Test]
    public void RouteTables_Option_FollowsOnlyThoseTables()
    {
        var store = new WatchStore(WatchAdapters.Create(RtnetlinkEventKinds.Routes, new RtnetlinkWatchOptions { RouteTables = [254] }));
        List<string> snapshot = Sync(store, RtnetlinkEventKinds.Routes, dump: [NewRoute("203.0.113.1/32"), NewRoute("203.0.113.2/32", table: 100), NewRoute("203.0.113.3/32", table: 255)], window: []);
        Assert.Multiple(() =>
        {
            Assert.That(snapshot, Is.EqualTo(new[] { "Added 203.0.113.1/32" }));
            Assert.That(Live(store, NewRoute("203.0.113.9/32", table: 100)), Is.Null);
            Assert.That(Live(store, NewRoute("203.0.113.9/32")), Is.EqualTo("Added"));
        });
    }

    [Test]
    public void ApplyLive_LinkLosesCarrierOrGoes_AsksForARouteRefresh()
    {
        WatchAdapter[] adapters = WatchAdapters.Create(All, new RtnetlinkWatchOptions());
        var store = new WatchStore(adapters);
        Sync(store, All, dump: [NewLink(2, "v0")], window: []);
        WatchAdapter links = store.AdapterFor(RtnetlinkEventKind.Link)!;
        store.ApplyLive(links, View(NewLink(2, "v0", flags: 0x1 | 0x10000 | 0x40, mtu: 1400)), out _, out _, out RtnetlinkEventKinds same);
        store.ApplyLive(links, View(NewLink(2, "v0", flags: 0)), out _, out _, out RtnetlinkEventKinds down);
        store.ApplyLive(links, View(NewLink(2, "v0", delete: true)), out _, out _, out RtnetlinkEventKinds gone);
        Assert.That((same, down, gone), Is.EqualTo((RtnetlinkEventKinds.None, RtnetlinkEventKinds.Routes, RtnetlinkEventKinds.Routes)));
    }

    [Test]
    public void ApplyLive_WindowOfIpv6RoutesOrNeighbours_MarksTheDumpDisturbed()
    {
        var store = NewStore();
        store.BeginPass(All);
        RtnetlinkEventKinds refresh = default, disturbed = default;
        store.ApplyWindow(store.AdapterFor(RtnetlinkEventKind.Route)!, View(NewRoute("203.0.113.1/32")), ref refresh, ref disturbed);
        Assert.That(disturbed, Is.EqualTo(RtnetlinkEventKinds.None), "IPv4 route dumps are flagged when interrupted");
        store.ApplyWindow(store.AdapterFor(RtnetlinkEventKind.Route)!, View(NewRoute("2001:db8::/64")), ref refresh, ref disturbed);
        store.ApplyWindow(store.AdapterFor(RtnetlinkEventKind.Neighbour)!, View(NewNeighbour("198.51.100.9")), ref refresh, ref disturbed);
        Assert.That(disturbed, Is.EqualTo(RtnetlinkEventKinds.Routes | RtnetlinkEventKinds.Neighbours));
    }

    [Test]
    public void ApplyLive_SteadyStateAddChangeDelete_AllocatesNothing()
    {
        var store = NewStore();
        Sync(store, All, dump: [], window: []);
        WatchAdapter routes = store.AdapterFor(RtnetlinkEventKind.Route)!;
        byte[] add = NewRoute("2001:db8::1/128");
        byte[] change = NewRoute("2001:db8::1/128", mtu: 1400);
        byte[] delete = NewRoute("2001:db8::1/128", delete: true);
        Cycle(store, routes, add, change, delete, 100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Cycle(store, routes, add, change, delete, 10_000);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static void Cycle(WatchStore store, WatchAdapter routes, byte[] add, byte[] change, byte[] delete, int count)
    {
        for (int i = 0; i < count; i++)
        {
            store.ApplyLive(routes, View(add), out _, out _, out _);
            store.ApplyLive(routes, View(change), out _, out _, out _);
            store.ApplyLive(routes, View(delete), out _, out WatchEntry? gone, out _);
            store.Release(gone!);
        }
    }

    private static WatchStore NewStore() => new(WatchAdapters.Create(All, new RtnetlinkWatchOptions()));

    private static string? Live(WatchStore store, byte[] message)
    {
        NetlinkMessage view = View(message);
        WatchAdapter adapter = store.AdapterFor(RtnetlinkEvent.TryClassify(view.Header, view.Payload, out RtnetlinkEventKind kind, out _) ? kind : default)!;
        if (!store.ApplyLive(adapter, view, out RtnetlinkWatchChange change, out WatchEntry? entry, out _))
        {
            return null;
        }

        if (change == RtnetlinkWatchChange.Deleted)
        {
            store.Release(entry!);
        }

        return change.ToString();
    }

    private static void Dump(WatchStore store, params byte[][] messages)
    {
        foreach (byte[] message in messages)
        {
            NetlinkMessage view = View(message);
            RtnetlinkEvent.TryClassify(view.Header, view.Payload, out RtnetlinkEventKind kind, out _);
            store.AddDumped(store.AdapterFor(kind)!, view);
        }
    }

    private static List<string> Sync(WatchStore store, RtnetlinkEventKinds scope, byte[][] dump, byte[][] window)
    {
        store.BeginPass(scope);
        Dump(store, dump);
        RtnetlinkEventKinds refresh = default, disturbed = default;
        foreach (byte[] message in window)
        {
            NetlinkMessage view = View(message);
            RtnetlinkEvent.TryClassify(view.Header, view.Payload, out RtnetlinkEventKind kind, out _);
            store.ApplyWindow(store.AdapterFor(kind)!, view, ref refresh, ref disturbed);
        }

        var pending = new List<WatchPending>();
        store.CompletePass(pending);
        List<string> described = Describe(pending);
        foreach (WatchPending item in pending)
        {
            if (item.Change == RtnetlinkWatchChange.Deleted)
            {
                store.Release(item.Entry!);
            }
        }

        return described;
    }

    private static List<string> Describe(List<WatchPending> pending)
        => pending.Select(p =>
        {
            RtnetlinkEvent e = p.Entry!.ToEvent(RtnetlinkEventAction.New);
            string what = e.Kind switch
            {
                RtnetlinkEventKind.Route => e.ToRoute() is var r && r.Metrics?.Mtu is { } mtu ? $"{r.Destination} mtu {mtu}" : e.ToRoute().Destination.ToString(),
                RtnetlinkEventKind.Link => "link " + e.ToLink().Name,
                RtnetlinkEventKind.Address => "addr " + e.ToAddress().Address,
                _ => "neigh " + e.ToNeighbour().Address,
            };
            return $"{p.Change} {what}";
        }).ToList();
}
