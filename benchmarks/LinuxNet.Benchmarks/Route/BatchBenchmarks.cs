using System.Diagnostics;
using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

using LinuxNet.Benchmarks.Infrastructure;

namespace LinuxNet.Benchmarks.Route;

/// <summary>
/// Adds and deletes 10,000 IPv6 /128 routes (2001:db8:3::/112) and 1,000 IPv6 addresses (2001:db8:4::/112) on a bridge
/// in a fresh anonymous namespace: a LinuxNet <see cref="RtnetlinkBatch"/> (many requests per sendmsg), LinuxNet one
/// request at a time (one sendmsg + ACK each, on one reused socket), and iproute2's <c>ip -batch FILE</c> (baseline).
/// The Ratio column is time / ip -batch time: 0.40 or below means batched ≥ 2.5× ip -batch.
/// </summary>
/// <remarks>Needs root. Each invocation is one full pass; the state for the next is prepared outside the measurement.
/// The batches are built once in the global setup (re-executing re-stamps their headers), as ip's input file is.</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class BatchBenchmarks
{
    private const int RouteCount = 10_000;
    private const int AddressCount = 1_000;

    private NetNamespace _ns = null!;
    private LinkManager _links = null!;
    private RtnetlinkBatch _routeAdd = null!;
    private RtnetlinkBatch _routeDelete = null!;
    private RtnetlinkBatch _addressAdd = null!;
    private RtnetlinkBatch _addressDelete = null!;
    private byte[][] _routeAddRequests = null!;
    private byte[][] _routeDeleteRequests = null!;
    private byte[][] _addressAddRequests = null!;
    private byte[][] _addressDeleteRequests = null!;
    private string _directory = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
        Ip("link", "add", "br0", "type", "bridge");
        Ip("link", "set", "br0", "up");
        int bridge = _links.GetIndex("br0");
        _directory = Directory.CreateTempSubdirectory("linuxnet-batchbench-").FullName;

        _routeAdd = _links.Session.CreateBatch();
        _routeDelete = _links.Session.CreateBatch();
        _routeAddRequests = new byte[RouteCount][];
        _routeDeleteRequests = new byte[RouteCount][];
        using (var add = new StreamWriter(Path.Combine(_directory, "route-add")))
        using (var del = new StreamWriter(Path.Combine(_directory, "route-del")))
        {
            for (int i = 0; i < RouteCount; i++)
            {
                string text = "2001:db8:3::" + (i + 1).ToString("x", CultureInfo.InvariantCulture);
                IPAddress address = IPAddress.Parse(text);
                _routeAdd.AddRoute(new IPPrefix(address, 128), bridge);
                _routeDelete.DeleteRoute(new IPPrefix(address, 128), bridge);
                var route = new RouteSpec(new IPPrefix(address, 128)) { Link = bridge };
                _routeAddRequests[i] = Build((LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.AddFlags, route, bridge, Array.Empty<int>()), RouteMessages.WriteModify);
                _routeDeleteRequests[i] = Build((LinuxRtnetlink.RTM_DELROUTE, RouteMessages.DeleteFlags, route, bridge, Array.Empty<int>()), RouteMessages.WriteModify);
                add.WriteLine($"route add {text}/128 dev br0");
                del.WriteLine($"route del {text}/128 dev br0");
            }
        }

        _addressAdd = _links.Session.CreateBatch();
        _addressDelete = _links.Session.CreateBatch();
        _addressAddRequests = new byte[AddressCount][];
        _addressDeleteRequests = new byte[AddressCount][];
        using (var add = new StreamWriter(Path.Combine(_directory, "addr-add")))
        using (var del = new StreamWriter(Path.Combine(_directory, "addr-del")))
        {
            for (int i = 0; i < AddressCount; i++)
            {
                string text = "2001:db8:4::" + (i + 1).ToString("x", CultureInfo.InvariantCulture);
                IPAddress address = IPAddress.Parse(text);
                _addressAdd.AddAddress(bridge, new IPPrefix(address, 128));
                _addressDelete.DeleteAddress(bridge, new IPPrefix(address, 128));
                var spec = new AddressSpec(bridge, new IPPrefix(address, 128));
                _addressAddRequests[i] = Build((LinuxRtnetlink.RTM_NEWADDR, AddressMessages.AddFlags, spec, bridge), AddressMessages.WriteModify);
                _addressDeleteRequests[i] = Build((LinuxRtnetlink.RTM_DELADDR, AddressMessages.DeleteFlags, spec, bridge), AddressMessages.WriteModify);
                add.WriteLine($"addr add {text}/128 dev br0");
                del.WriteLine($"addr del {text}/128 dev br0");
            }
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _routeAdd?.Dispose();
        _routeDelete?.Dispose();
        _addressAdd?.Dispose();
        _addressDelete?.Dispose();
        _links?.Dispose();
        _ns?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // ---- state for the next invocation (not measured)

    [IterationSetup(Targets = [nameof(RouteDelete_Batch), nameof(RouteDelete_OneByOne), nameof(RouteDelete_IpBatch)])]
    public void AddAllRoutes() => Check(_routeAdd.Execute());

    [IterationCleanup(Targets = [nameof(RouteAdd_Batch), nameof(RouteAdd_OneByOne), nameof(RouteAdd_IpBatch)])]
    public void DeleteAllRoutes() => Check(_routeDelete.Execute());

    [IterationSetup(Targets = [nameof(AddressDelete_Batch), nameof(AddressDelete_OneByOne), nameof(AddressDelete_IpBatch)])]
    public void AddAllAddresses() => Check(_addressAdd.Execute());

    [IterationCleanup(Targets = [nameof(AddressAdd_Batch), nameof(AddressAdd_OneByOne), nameof(AddressAdd_IpBatch)])]
    public void DeleteAllAddresses()
    {
        Check(_addressDelete.Execute());
        MldSettle.AfterDeletingAddresses();
    }

    // ---- routes

    [Benchmark(Description = "LinuxNet batch: add 10,000 routes"), BenchmarkCategory("RouteAdd")]
    public int RouteAdd_Batch() => Check(_routeAdd.Execute());

    [Benchmark(Description = "LinuxNet one at a time: add 10,000 routes"), BenchmarkCategory("RouteAdd")]
    public void RouteAdd_OneByOne() => OneByOne(_routeAddRequests);

    [Benchmark(Baseline = true, Description = "ip -batch: add 10,000 routes"), BenchmarkCategory("RouteAdd")]
    public void RouteAdd_IpBatch() => Ip("-6", "-batch", Path.Combine(_directory, "route-add"));

    [Benchmark(Description = "LinuxNet batch: delete 10,000 routes"), BenchmarkCategory("RouteDelete")]
    public int RouteDelete_Batch() => Check(_routeDelete.Execute());

    [Benchmark(Description = "LinuxNet one at a time: delete 10,000 routes"), BenchmarkCategory("RouteDelete")]
    public void RouteDelete_OneByOne() => OneByOne(_routeDeleteRequests);

    [Benchmark(Baseline = true, Description = "ip -batch: delete 10,000 routes"), BenchmarkCategory("RouteDelete")]
    public void RouteDelete_IpBatch() => Ip("-6", "-batch", Path.Combine(_directory, "route-del"));

    // ---- addresses

    [Benchmark(Description = "LinuxNet batch: add 1,000 addresses"), BenchmarkCategory("AddressAdd")]
    public int AddressAdd_Batch() => Check(_addressAdd.Execute());

    [Benchmark(Description = "LinuxNet one at a time: add 1,000 addresses"), BenchmarkCategory("AddressAdd")]
    public void AddressAdd_OneByOne() => OneByOne(_addressAddRequests);

    [Benchmark(Baseline = true, Description = "ip -batch: add 1,000 addresses"), BenchmarkCategory("AddressAdd")]
    public void AddressAdd_IpBatch() => Ip("-batch", Path.Combine(_directory, "addr-add"));

    [Benchmark(Description = "LinuxNet batch: delete 1,000 addresses"), BenchmarkCategory("AddressDelete")]
    public int AddressDelete_Batch() => Check(_addressDelete.Execute());

    [Benchmark(Description = "LinuxNet one at a time: delete 1,000 addresses"), BenchmarkCategory("AddressDelete")]
    public void AddressDelete_OneByOne() => OneByOne(_addressDeleteRequests);

    [Benchmark(Baseline = true, Description = "ip -batch: delete 1,000 addresses"), BenchmarkCategory("AddressDelete")]
    public void AddressDelete_IpBatch() => Ip("-batch", Path.Combine(_directory, "addr-del"));

    /// <summary>One request, written by the encoder the managers and batches share.</summary>
    private static byte[] Build<TArg>(TArg argument, RequestEncoder<TArg> encode)
    {
        byte[] buffer = new byte[256];
        return buffer.AsSpan(0, RequestPipeline.Encode(buffer, argument, encode)).ToArray();
    }

    private static int Check(RtnetlinkBatchResult result)
        => result.AllSucceeded ? result.Count : throw new InvalidOperationException(result.Failures.First().ToString());

    private void OneByOne(byte[][] requests)
    {
        NetlinkSocket socket = _links.Socket;
        foreach (byte[] request in requests)
        {
            socket.Execute(request);
        }
    }

    private void Ip(params string[] args) => IpProcess.Run(_ns, args);
}
