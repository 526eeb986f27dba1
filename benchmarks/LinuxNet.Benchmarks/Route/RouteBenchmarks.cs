using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using LinuxNet.Namespaces;
using LinuxNet.Route;

using LinuxNet.Benchmarks.Infrastructure;

namespace LinuxNet.Benchmarks.Route;

/// <summary>
/// Adds, lists and deletes 10,000 IPv6 /128 routes (2001:db8:1::/112) and 1,000 IPv6 addresses (2001:db8:2::/112) on a
/// bridge in a fresh anonymous namespace: LinuxNet one request at a time on one reused socket, against iproute2's
/// <c>ip -batch FILE</c> (one process fed the same operations) and <c>ip -j … show</c>. Each category's ip run is the
/// baseline, so the Ratio column is LinuxNet time / ip time (below 0.67 means at least 1.5× faster).
/// </summary>
/// <remarks>Needs root. Every invocation is one full batch; state for the next one is prepared outside the measurement.</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class RouteBenchmarks
{
    private const int RouteCount = 10_000;
    private const int AddressCount = 1_000;

    private NetNamespace _ns = null!;
    private LinkManager _links = null!;
    private RouteSpec[] _routes = null!;
    private AddressSpec[] _addresses = null!;
    private string _directory = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
        Ip("link", "add", "br0", "type", "bridge");
        Ip("link", "set", "br0", "up");
        int bridge = _links.List().Single(l => l.Name == "br0").Index;

        _routes = new RouteSpec[RouteCount];
        _addresses = new AddressSpec[AddressCount];
        _directory = Directory.CreateTempSubdirectory("linuxnet-routebench-").FullName;
        using (var add = new StreamWriter(Path.Combine(_directory, "route-add")))
        using (var del = new StreamWriter(Path.Combine(_directory, "route-del")))
        {
            for (int i = 0; i < RouteCount; i++)
            {
                string text = "2001:db8:1::" + (i + 1).ToString("x", CultureInfo.InvariantCulture);
                _routes[i] = new RouteSpec(new IPPrefix(IPAddress.Parse(text), 128)) { Link = bridge };
                add.WriteLine($"route add {text}/128 dev br0");
                del.WriteLine($"route del {text}/128 dev br0");
            }
        }

        using (var add = new StreamWriter(Path.Combine(_directory, "addr-add")))
        using (var del = new StreamWriter(Path.Combine(_directory, "addr-del")))
        {
            for (int i = 0; i < AddressCount; i++)
            {
                string text = "2001:db8:2::" + (i + 1).ToString("x", CultureInfo.InvariantCulture);
                _addresses[i] = new AddressSpec(bridge, new IPPrefix(IPAddress.Parse(text), 128)) { Flags = AddressFlags.NoDad };
                add.WriteLine($"addr add {text}/128 dev br0 nodad");
                del.WriteLine($"addr del {text}/128 dev br0");
            }
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _links?.Dispose();
        _ns?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // ---- state for the next invocation (not measured)

    [IterationSetup(Targets = [nameof(RouteDelete_LinuxNet), nameof(RouteDelete_IpBatch), nameof(RouteList_LinuxNet), nameof(RouteList_IpJson)])]
    public void AddAllRoutes() => AddRoutes();

    [IterationCleanup(Targets = [nameof(RouteAdd_LinuxNet), nameof(RouteAdd_IpBatch), nameof(RouteList_LinuxNet), nameof(RouteList_IpJson)])]
    public void DeleteAllRoutes() => DeleteRoutes();

    [IterationSetup(Targets = [nameof(AddressDelete_LinuxNet), nameof(AddressDelete_IpBatch), nameof(AddressList_LinuxNet), nameof(AddressList_IpJson)])]
    public void AddAllAddresses() => AddAddresses();

    [IterationCleanup(Targets = [nameof(AddressAdd_LinuxNet), nameof(AddressAdd_IpBatch), nameof(AddressList_LinuxNet), nameof(AddressList_IpJson)])]
    public void DeleteAllAddresses()
    {
        DeleteAddresses();
        MldSettle.AfterDeletingAddresses();
    }

    // ---- routes

    [Benchmark(Description = "LinuxNet: add 10,000 routes"), BenchmarkCategory("RouteAdd")]
    public void RouteAdd_LinuxNet() => AddRoutes();

    [Benchmark(Baseline = true, Description = "ip -batch: add 10,000 routes"), BenchmarkCategory("RouteAdd")]
    public void RouteAdd_IpBatch() => Ip("-batch", Path.Combine(_directory, "route-add"));

    [Benchmark(Description = "LinuxNet: list IPv6 main table into RouteInfo"), BenchmarkCategory("RouteList")]
    public int RouteList_LinuxNet() => _links.Session.Routes.List(AddressFamily.InterNetworkV6, RouteTables.Main).Count;

    [Benchmark(Baseline = true, Description = "ip -j -6 route show"), BenchmarkCategory("RouteList")]
    public int RouteList_IpJson() => Ip("-j", "-6", "route", "show").Length;

    [Benchmark(Description = "LinuxNet: delete 10,000 routes"), BenchmarkCategory("RouteDelete")]
    public void RouteDelete_LinuxNet() => DeleteRoutes();

    [Benchmark(Baseline = true, Description = "ip -batch: delete 10,000 routes"), BenchmarkCategory("RouteDelete")]
    public void RouteDelete_IpBatch() => Ip("-batch", Path.Combine(_directory, "route-del"));

    // ---- addresses

    [Benchmark(Description = "LinuxNet: add 1,000 addresses"), BenchmarkCategory("AddressAdd")]
    public void AddressAdd_LinuxNet() => AddAddresses();

    [Benchmark(Baseline = true, Description = "ip -batch: add 1,000 addresses"), BenchmarkCategory("AddressAdd")]
    public void AddressAdd_IpBatch() => Ip("-batch", Path.Combine(_directory, "addr-add"));

    [Benchmark(Description = "LinuxNet: list br0 IPv6 addresses into AddressInfo"), BenchmarkCategory("AddressList")]
    public int AddressList_LinuxNet() => _links.Session.Addresses.List("br0", AddressFamily.InterNetworkV6).Count;

    [Benchmark(Baseline = true, Description = "ip -j -6 addr show dev br0"), BenchmarkCategory("AddressList")]
    public int AddressList_IpJson() => Ip("-j", "-6", "addr", "show", "dev", "br0").Length;

    [Benchmark(Description = "LinuxNet: delete 1,000 addresses"), BenchmarkCategory("AddressDelete")]
    public void AddressDelete_LinuxNet() => DeleteAddresses();

    [Benchmark(Baseline = true, Description = "ip -batch: delete 1,000 addresses"), BenchmarkCategory("AddressDelete")]
    public void AddressDelete_IpBatch() => Ip("-batch", Path.Combine(_directory, "addr-del"));

    private void AddRoutes()
    {
        RouteManager routes = _links.Session.Routes;
        foreach (RouteSpec spec in _routes)
        {
            routes.Add(spec);
        }
    }

    private void DeleteRoutes()
    {
        RouteManager routes = _links.Session.Routes;
        foreach (RouteSpec spec in _routes)
        {
            routes.Delete(spec);
        }
    }

    private void AddAddresses()
    {
        AddressManager addresses = _links.Session.Addresses;
        foreach (AddressSpec spec in _addresses)
        {
            addresses.Add(spec);
        }
    }

    private void DeleteAddresses()
    {
        AddressManager addresses = _links.Session.Addresses;
        foreach (AddressSpec spec in _addresses)
        {
            addresses.Delete(spec);
        }
    }

    private string Ip(params string[] args) => IpProcess.Run(_ns, args);
}
