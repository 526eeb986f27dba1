using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.ControlPlane;

/// <summary>
/// Dumps into objects, in a fresh anonymous namespace with br0 up: 10,000 IPv6 routes, 1,000 addresses, 401 links
/// (200 veth pairs + br0) and 1,000 permanent neighbours. Rows: LinuxNet <c>List()</c> into objects, the same dump
/// parsed in C (libmnl: <c>mnl_cb_run</c> + <c>mnl_attr_parse</c> filling a small struct per object; baseline), and
/// <c>ip -j … show</c> as a whole process. Each category's global setup creates only its own objects.
/// </summary>
/// <remarks>
/// A dump changes nothing, so BenchmarkDotNet's default job runs it as often as it takes: many invocations per
/// iteration, after a warm-up long enough for the JIT's tier-up (with one invocation per iteration, as the modify
/// benchmarks need, 60 warm-up dumps still measured tier-0 code: 450 µs for 1,000 addresses where 125 µs is the
/// steady state). Needs root. Routes also have a struct-view row: <see cref="RouteManager.Enumerate{TState}(TState, RouteViewHandler{TState}, AddressFamily, uint?, Action{TState}?)"/> copying what the C peer copies.</remarks>
[MemoryDiagnoser]
[Config(typeof(ControlPlaneConfig))]
[BenchmarkCategory("Dump")]
[SimpleJob(launchCount: 1, warmupCount: 10, iterationCount: 15)]
public class DumpBenchmarks
{
    private const int Routes = 10_000;
    private const int Addresses = 1_000;
    private const int VethPairs = 200;
    private const int Neighbours = 1_000;

    private NetNamespace _ns = null!;
    private RtnetlinkSession _rt = null!;
    private LibmnlPeer _peer = null!;
    private int _bridge;

    /// <summary>Objects listed per invocation, by category (read by the op/s column; the kernel adds a few of its own).</summary>
    public static int OperationCountFor(string categories) => categories switch
    {
        _ when categories.Contains("Routes", StringComparison.Ordinal) => Routes,
        _ when categories.Contains("Addresses", StringComparison.Ordinal) => Addresses,
        _ when categories.Contains("Links", StringComparison.Ordinal) => (2 * VethPairs) + 2,
        _ when categories.Contains("Neighbours", StringComparison.Ordinal) => Neighbours,
        _ => 0,
    };

    [GlobalSetup(Targets = [nameof(Routes_LinuxNet), nameof(Routes_LinuxNetView), nameof(Routes_Libmnl), nameof(Routes_Ip)])]
    public void SetupRoutes()
    {
        Open();
        using RtnetlinkBatch batch = _rt.CreateBatch();
        for (int i = 0; i < Routes; i++)
        {
            batch.AddRoute(new IPPrefix(System.Net.IPAddress.Parse($"2001:db8:3::{i + 1:x}"), 128), _bridge);
        }

        batch.Execute().ThrowIfAnyFailed();
    }

    [GlobalSetup(Targets = [nameof(Addresses_LinuxNet), nameof(Addresses_Libmnl), nameof(Addresses_Ip)])]
    public void SetupAddresses()
    {
        Open();
        using RtnetlinkBatch batch = _rt.CreateBatch();
        for (int i = 0; i < Addresses; i++)
        {
            // nodad: 1,000 addresses leaving DAD one by one change the table for a second or two, and every dump in
            // that window is flagged inconsistent (the C peer then retried ten times and gave up).
            batch.AddAddress(new AddressSpec(_bridge, new IPPrefix(System.Net.IPAddress.Parse($"2001:db8:4::{i + 1:x}"), 128)) { Flags = AddressFlags.NoDad });
        }

        batch.Execute().ThrowIfAnyFailed();
    }

    [GlobalSetup(Targets = [nameof(Links_LinuxNet), nameof(Links_Libmnl), nameof(Links_Ip)])]
    public void SetupLinks()
    {
        Open();
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, Enumerable.Range(0, VethPairs).Select(i => $"link add cpv{i} type veth peer name cpv{i}p"));
            IpProcess.Run(_ns, "-batch", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GlobalSetup(Targets = [nameof(Neighbours_LinuxNet), nameof(Neighbours_Libmnl), nameof(Neighbours_Ip)])]
    public void SetupNeighbours()
    {
        Open();
        using RtnetlinkBatch batch = _rt.CreateBatch();
        for (int i = 0; i < Neighbours; i++)
        {
            int v = i + 1;
            batch.AddNeighbour(new NeighbourSpec(System.Net.IPAddress.Parse($"2001:db8:6::{v:x}"), _bridge)
            {
                State = NeighbourStates.Permanent,
                LinkLayerAddress = new System.Net.NetworkInformation.PhysicalAddress([0x02, 0, 0, (byte)(v >> 16), (byte)(v >> 8), (byte)v]),
            });
        }

        batch.Execute().ThrowIfAnyFailed();
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _peer?.Dispose();
        _rt?.Dispose();
        _ns?.Dispose();
    }

    // ---- routes (IPv6, all tables)

    [Benchmark(Description = "LinuxNet List() into objects"), BenchmarkCategory("Routes")]
    public int Routes_LinuxNet() => _rt.Routes.List(AddressFamily.InterNetworkV6).Count;

    [Benchmark(Description = "LinuxNet Enumerate() into structs (RouteView)"), BenchmarkCategory("Routes")]
    public int Routes_LinuxNetView()
    {
        _routeCopies.Count = 0;
        return _rt.Routes.Enumerate(_routeCopies, static (in RouteView route, RouteCopies copies) => copies.Add(route), AddressFamily.InterNetworkV6);
    }

    [Benchmark(Baseline = true, Description = "libmnl dump + parse into structs"), BenchmarkCategory("Routes")]
    public long Routes_Libmnl() => _peer.Dump(LibmnlPeer.DumpKind.Routes);

    [Benchmark(Description = "ip -j -6 route show table all (process)"), BenchmarkCategory("Routes")]
    public int Routes_Ip() => IpProcess.Run(_ns, "-j", "-6", "route", "show", "table", "all").Length;

    // ---- addresses

    [Benchmark(Description = "LinuxNet List() into objects"), BenchmarkCategory("Addresses")]
    public int Addresses_LinuxNet() => _rt.Addresses.List().Count;

    [Benchmark(Baseline = true, Description = "libmnl dump + parse into structs"), BenchmarkCategory("Addresses")]
    public long Addresses_Libmnl() => _peer.Dump(LibmnlPeer.DumpKind.Addresses);

    [Benchmark(Description = "ip -j addr show (process)"), BenchmarkCategory("Addresses")]
    public int Addresses_Ip() => IpProcess.Run(_ns, "-j", "addr", "show").Length;

    // ---- links

    [Benchmark(Description = "LinuxNet List() into objects"), BenchmarkCategory("Links")]
    public int Links_LinuxNet() => _rt.Links.List().Count;

    [Benchmark(Baseline = true, Description = "libmnl dump + parse into structs"), BenchmarkCategory("Links")]
    public long Links_Libmnl() => _peer.Dump(LibmnlPeer.DumpKind.Links);

    [Benchmark(Description = "ip -j link show (process)"), BenchmarkCategory("Links")]
    public int Links_Ip() => IpProcess.Run(_ns, "-j", "link", "show").Length;

    // ---- neighbours

    [Benchmark(Description = "LinuxNet List() into objects"), BenchmarkCategory("Neighbours")]
    public int Neighbours_LinuxNet() => _rt.Neighbours.List().Count;

    [Benchmark(Baseline = true, Description = "libmnl dump + parse into structs"), BenchmarkCategory("Neighbours")]
    public long Neighbours_Libmnl() => _peer.Dump(LibmnlPeer.DumpKind.Neighbours);

    [Benchmark(Description = "ip -j neigh show (process)"), BenchmarkCategory("Neighbours")]
    public int Neighbours_Ip() => IpProcess.Run(_ns, "-j", "neigh", "show").Length;

    private readonly RouteCopies _routeCopies = new();

    /// <summary>What the C peer fills per route (nlpeer.c's struct nlp_route), in a reused array, as a caller of a view would.</summary>
    private sealed class RouteCopies
    {
        private Route[] _items = new Route[Routes + 64];

        public int Count { get; set; }

        public void Add(in RouteView view)
        {
            if (Count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            ref Route r = ref _items[Count++];
            view.DestinationBytes.CopyTo(r.Destination);
            r.Family = (byte)view.Family;
            r.DestinationLength = (byte)view.DestinationLength;
            r.Type = (byte)view.Type;
            r.Protocol = (byte)view.Protocol;
            r.Table = view.Table;
            r.Link = view.LinkIndex;
            r.Metric = view.Metric ?? 0;
        }

        private struct Route
        {
            public Destination16 Destination;
            public byte Family, DestinationLength, Type, Protocol;
            public uint Table;
            public int Link;
            public uint Metric;
        }

        [System.Runtime.CompilerServices.InlineArray(16)]
        private struct Destination16
        {
            private byte _first;
        }
    }

    private void Open()
    {
        _ns = NetNamespace.CreateAnonymous();
        IpProcess.Run(_ns, "link", "add", "br0", "type", "bridge");
        IpProcess.Run(_ns, "link", "set", "br0", "up");
        _rt = RtnetlinkSession.Open(_ns);
        _bridge = _rt.Links.Get("br0").Index;
        _peer = new LibmnlPeer(_ns);
    }
}
