using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.Route;

/// <summary>
/// Receives and classifies 10,000 queued route events (5,000 IPv6 route adds and 5,000 deletes made by a batch in
/// the iteration setup) from a <see cref="RtnetlinkMonitor"/>: per-event cost and allocation (OperationsPerInvoke = 10,000),
/// first reading only the zero-allocation views (kind, action, table, prefix length, device), then materializing the
/// destination address. Baseline: the view-only pass.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class EventBenchmarks
{
    private const int Routes = 5_000;
    private const int Events = 2 * Routes;

    private NetNamespace _ns = null!;
    private LinkManager _links = null!;
    private RtnetlinkMonitor _monitor = null!;
    private IAsyncEnumerator<RtnetlinkEvent> _events = null!;
    private RtnetlinkBatch _add = null!;
    private RtnetlinkBatch _delete = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
        _ns.Run(() =>
        {
            using var p = System.Diagnostics.Process.Start("ip", "link add br0 type bridge");
            p.WaitForExit();
        });
        _links.SetUp("br0");
        int bridge = _links.GetIndex("br0");
        _monitor = _links.Session.Monitor(RtnetlinkEventKinds.Routes, new RtnetlinkMonitorOptions { ReceiveBufferSize = 64 * 1024 * 1024 });
        _events = _monitor.GetAsyncEnumerator();
        _add = _links.Session.CreateBatch();
        _delete = _links.Session.CreateBatch();
        for (int i = 0; i < Routes; i++)
        {
            var address = IPAddress.Parse("2001:db8:5::" + (i + 1).ToString("x"));
            _add.AddRoute(new IPPrefix(address, 128), bridge);
            _delete.DeleteRoute(new IPPrefix(address, 128), bridge);
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _monitor?.Dispose();
        _add?.Dispose();
        _delete?.Dispose();
        _links?.Dispose();
        _ns?.Dispose();
    }

    [IterationSetup]
    public void QueueEvents()
    {
        if (!_add.Execute().AllSucceeded || !_delete.Execute().AllSucceeded)
        {
            throw new InvalidOperationException("route batch failed");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "classify event (kind, action, table, length, device)")]
    public long Classify()
    {
        long sum = 0;
        for (int i = 0; i < Events; i++)
        {
            RtnetlinkEvent e = Next();
            sum += (int)e.Action + e.RoutePrefixLength + e.RouteTable + e.LinkIndex;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "classify + materialize destination IPAddress")]
    public long Materialize()
    {
        long sum = 0;
        for (int i = 0; i < Events; i++)
        {
            RtnetlinkEvent e = Next();
            sum += e.GetRouteDestination().GetHashCode() + e.RoutePrefixLength;
        }

        return sum;
    }

    private RtnetlinkEvent Next()
    {
        ValueTask<bool> next = _events.MoveNextAsync();
        if (!next.IsCompletedSuccessfully || !next.Result)
        {
            throw new InvalidOperationException("fewer queued events than expected (or an overrun)");
        }

        RtnetlinkEvent e = _events.Current;
        return e.IsOverrun ? throw new InvalidOperationException("overrun: enlarge the receive buffer") : e;
    }
}
