using System.Net;
using BenchmarkDotNet.Attributes;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.Route;

/// <summary>
/// <see cref="RtnetlinkWatch"/>: (1) steady state — 10,000 queued route events (5,000 IPv6 route adds and 5,000
/// deletes made by a batch in the iteration setup) received, reconciled against the watch's state and yielded as
/// struct views (OperationsPerInvoke = 10,000: per-event time and bytes), beside the same events through a bare
/// <see cref="RtnetlinkMonitor"/> in a namespace of its own (what the reconciliation costs); (2) the resynchronisation after an overrun
/// with 10,000 routes in the table — the iteration setup overruns a 64 KiB watch buffer with 2,000 route adds and
/// deletes, and the benchmark reads from <c>ResyncStarted</c> to <c>ResyncCompleted</c> (a fresh dump of 10,000 routes
/// compared with what the consumer holds; the difference is empty) — against what a consumer without a watch does on
/// an overrun: re-read the whole table with <c>Routes.ListAsync()</c> (and the blocking <c>Routes.List()</c>). The watch's
/// dump is asynchronous (the shared epoll loop), so under load each wait for the next part of the dump costs a
/// thread-pool hop, as it does for <c>ListAsync</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessMonitoringConfig))]
public class WatchBenchmarks
{
    private const int Routes = 5_000;
    private const int Events = 2 * Routes;
    private const int TableRoutes = 10_000;

    private NetNamespace _ns = null!;
    private RtnetlinkSession _rt = null!;
    private RtnetlinkWatch _watch = null!;
    private IAsyncEnumerator<RtnetlinkWatchEvent> _items = null!;
    private RtnetlinkBatch _add = null!;
    private RtnetlinkBatch _delete = null!;

    private NetNamespace _monitorNs = null!;
    private RtnetlinkSession _monitorRt = null!;
    private RtnetlinkMonitor _monitor = null!;
    private IAsyncEnumerator<RtnetlinkEvent> _events = null!;
    private RtnetlinkBatch _monitorAdd = null!;
    private RtnetlinkBatch _monitorDelete = null!;

    private NetNamespace _tableNs = null!;
    private RtnetlinkSession _tableRt = null!;
    private RtnetlinkWatch _tableWatch = null!;
    private IAsyncEnumerator<RtnetlinkWatchEvent> _tableItems = null!;
    private RtnetlinkBatch _burst = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        (_ns, _rt, int bridge) = Lab();
        _watch = _rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Routes, new RtnetlinkWatchOptions { ReceiveBufferSize = 64 * 1024 * 1024 });
        _items = _watch.GetAsyncEnumerator();
        SkipSnapshot(_items);
        _add = _rt.CreateBatch();
        _delete = _rt.CreateBatch();
        for (int i = 0; i < Routes; i++)
        {
            var prefix = new IPPrefix(IPAddress.Parse("2001:db8:5::" + (i + 1).ToString("x")), 128);
            _add.AddRoute(prefix, bridge);
            _delete.DeleteRoute(prefix, bridge);
        }

        (_monitorNs, _monitorRt, int monitorBridge) = Lab();
        _monitor = _monitorRt.Monitor(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Routes, new RtnetlinkMonitorOptions { ReceiveBufferSize = 64 * 1024 * 1024 });
        _events = _monitor.GetAsyncEnumerator();
        _monitorAdd = _monitorRt.CreateBatch();
        _monitorDelete = _monitorRt.CreateBatch();
        for (int i = 0; i < Routes; i++)
        {
            var prefix = new IPPrefix(IPAddress.Parse("2001:db8:5::" + (i + 1).ToString("x")), 128);
            _monitorAdd.AddRoute(prefix, monitorBridge);
            _monitorDelete.DeleteRoute(prefix, monitorBridge);
        }

        (_tableNs, _tableRt, int tableBridge) = Lab();
        using (RtnetlinkBatch fill = _tableRt.CreateBatch())
        {
            for (int i = 0; i < TableRoutes; i++)
            {
                fill.AddRoute(new IPPrefix(IPAddress.Parse("2001:db8:6::" + (i + 1).ToString("x")), 128), tableBridge);
            }

            Require(fill.Execute().AllSucceeded, "table fill");
        }

        _tableWatch = _tableRt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Routes, new RtnetlinkWatchOptions { ReceiveBufferSize = 64 * 1024, MaxReceiveBufferSize = 64 * 1024 });
        _tableItems = _tableWatch.GetAsyncEnumerator();
        SkipSnapshot(_tableItems);
        _burst = _tableRt.CreateBatch();
        for (int i = 0; i < 1_000; i++)
        {
            _burst.AddRoute(new IPPrefix(IPAddress.Parse("2001:db8:7::" + (i + 1).ToString("x")), 128), tableBridge);
        }

        for (int i = 0; i < 1_000; i++)
        {
            _burst.DeleteRoute(new IPPrefix(IPAddress.Parse("2001:db8:7::" + (i + 1).ToString("x")), 128), tableBridge);
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        if (_tableWatch is not null)
        {
            Console.WriteLine($"// resync watch: {_tableWatch.ResyncCount} resyncs in {_tableWatch.SyncPassCount} dump passes, {_tableWatch.OverrunCount} overruns");
        }

        _watch?.Dispose();
        _monitor?.Dispose();
        _monitorAdd?.Dispose();
        _monitorDelete?.Dispose();
        _monitorRt?.Dispose();
        _monitorNs?.Dispose();
        _tableWatch?.Dispose();
        _add?.Dispose();
        _delete?.Dispose();
        _burst?.Dispose();
        _rt?.Dispose();
        _tableRt?.Dispose();
        _ns?.Dispose();
        _tableNs?.Dispose();
    }

    [IterationSetup(Target = nameof(SteadyState))]
    public void QueueEvents() => Require(_add.Execute().AllSucceeded && _delete.Execute().AllSucceeded, "route batch");

    [IterationSetup(Target = nameof(MonitorOnly))]
    public void QueueMonitorEvents() => Require(_monitorAdd.Execute().AllSucceeded && _monitorDelete.Execute().AllSucceeded, "route batch");

    [IterationSetup(Target = nameof(ResyncAfterOverrun))]
    public void Overrun() => Require(_burst.Execute().AllSucceeded, "burst");

    [Benchmark(OperationsPerInvoke = Events, Description = "watch: receive + reconcile + yield view (Added/Deleted, prefix length, table, device)")]
    public long SteadyState()
    {
        long sum = 0;
        for (int i = 0; i < Events; i++)
        {
            ValueTask<bool> next = _items.MoveNextAsync();
            if (!next.IsCompletedSuccessfully || !next.Result)
            {
                throw new InvalidOperationException("fewer queued events than expected");
            }

            RtnetlinkWatchEvent item = _items.Current;
            if (item.IsMarker)
            {
                throw new InvalidOperationException("an overrun: enlarge the receive buffer");
            }

            RtnetlinkEvent e = item.Event;
            sum += (int)item.Change + e.RoutePrefixLength + e.RouteTable + e.LinkIndex;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "peer: the same events through a bare RtnetlinkMonitor (receive + classify, no state)")]
    public long MonitorOnly()
    {
        long sum = 0;
        for (int i = 0; i < Events; i++)
        {
            ValueTask<bool> next = _events.MoveNextAsync();
            if (!next.IsCompletedSuccessfully || !next.Result || _events.Current.IsOverrun)
            {
                throw new InvalidOperationException("fewer queued events than expected (or an overrun)");
            }

            RtnetlinkEvent e = _events.Current;
            sum += (int)e.Action + e.RoutePrefixLength + e.RouteTable + e.LinkIndex;
        }

        return sum;
    }

    [Benchmark(Description = "resync after overrun, 10,000 routes (ResyncStarted to ResyncCompleted)")]
    public int ResyncAfterOverrun()
    {
        int items = 0;
        RtnetlinkWatchChange change = Next(_tableItems).Change;
        Require(change == RtnetlinkWatchChange.ResyncStarted, "the burst did not overrun: " + change);
        for (RtnetlinkWatchEvent item = Next(_tableItems); item.Change != RtnetlinkWatchChange.ResyncCompleted; item = Next(_tableItems))
        {
            // The bridge's own state may move between iterations (e.g. its IPv6 link-local route); a route of the
            // burst in the difference would be a bug.
            Require(item.Kind != RtnetlinkEventKind.Route || !item.Event.GetRouteDestination().ToString().StartsWith("2001:db8:7:", StringComparison.Ordinal), "a net-zero burst left a difference: " + item);
            Console.WriteLine("// difference item: " + DescribeItem(item));
            items++;
        }

        return items;
    }

    [Benchmark(Description = "peer: re-read all 10,000 routes with await Routes.ListAsync() (a resync without a watch, async like the watch)")]
    public async Task<int> ReReadTableAsync() => (await _tableRt.Routes.ListAsync()).Count;

    [Benchmark(Description = "peer: the same with the blocking Routes.List()")]
    public int ReReadTable() => _tableRt.Routes.List().Count;

    private static string DescribeItem(RtnetlinkWatchEvent item) => item.Kind switch
    {
        RtnetlinkEventKind.Route => $"{item.Change} route {item.Event.ToRoute()}",
        RtnetlinkEventKind.Link => $"{item.Change} link {item.Event.ToLink().Name} flags {item.Event.ToLink().Flags}",
        _ => item.ToString(),
    };

    private static (NetNamespace, RtnetlinkSession, int) Lab()
    {
        NetNamespace ns = NetNamespace.CreateAnonymous();
        RtnetlinkSession rt = RtnetlinkSession.Open(ns);
        ns.Run(() =>
        {
            using var p = System.Diagnostics.Process.Start("ip", "link add br0 type bridge");
            p.WaitForExit();
        });
        rt.Links.SetUp("br0");
        return (ns, rt, rt.Links.GetIndex("br0"));
    }

    private static void SkipSnapshot(IAsyncEnumerator<RtnetlinkWatchEvent> items)
    {
        while (Next(items).Change != RtnetlinkWatchChange.SnapshotCompleted)
        {
        }
    }

    private static RtnetlinkWatchEvent Next(IAsyncEnumerator<RtnetlinkWatchEvent> items)
    {
        Task<bool> next = items.MoveNextAsync().AsTask();
        if (!next.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the watch yielded nothing within 30 s");
        }

        Require(next.Result, "the watch ended");

        return items.Current;
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what + " failed");
        }
    }
}
