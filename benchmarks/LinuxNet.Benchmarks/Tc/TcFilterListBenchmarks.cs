using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tc;

namespace LinuxNet.Benchmarks.Tc;

/// <summary>
/// Lists 1,000 u32 filters (one priority, keys 800::800 to 800::bcf, each <c>match ip src 198.51.100.y/32 match ip dst
/// 203.0.113.x/32 classid 1:1</c>) on an ifb device's ingress qdisc (named dummy0; this kernel has no dummy) in a fresh anonymous namespace: LinuxNet's
/// <see cref="TrafficControlManager.ListFilters(LinkReference, TcHandle)"/> into <see cref="TcFilterInfo"/> objects,
/// against <c>tc -j filter show dev dummy0 parent ffff:</c> run as a process with its output read. The tc run is the
/// baseline, so the Ratio column is LinuxNet time / tc time (0.5 or below is the 2× target).
/// </summary>
/// <remarks>Needs root. The filters are made once, by LinuxNet, outside the measurement.</remarks>
[MemoryDiagnoser]
[Config(typeof(ShortInProcess))]
public class TcFilterListBenchmarks
{
    private const int FilterCount = 1_000;

    private NetNamespace _ns = null!;
    private RtnetlinkSession _session = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _ns = NetNamespace.CreateAnonymous();
        _session = RtnetlinkSession.Open(_ns);
        _session.Links.Add(new IfbLinkSpec("dummy0"));
        _session.Links.SetUp("dummy0");
        TrafficControlManager tc = _session.TrafficControl;
        tc.AddQdisc(new IngressQdiscSpec("dummy0"));
        for (int i = 0; i < FilterCount; i++)
        {
            tc.AddFilter(new U32FilterSpec("dummy0", TcHandle.IngressQdisc)
            {
                Protocol = TcProtocol.IPv4,
                Priority = 1,
                Matches = new[]
                {
                    U32Match.IPSource(new IPAddress(new byte[] { 198, 51, 100, (byte)(i / 256) }), 32),
                    U32Match.IPDestination(new IPAddress(new byte[] { 203, 0, 113, (byte)(i % 256) }), 32),
                },
                ClassId = new TcHandle(1, 1),
            });
        }

        int listed = tc.ListFilters("dummy0", TcHandle.IngressQdisc).Count(f => f.Handle != 0 && (f.Handle & 0xFFF) != 0);
        if (listed != FilterCount)
        {
            throw new InvalidOperationException($"set-up made {listed} u32 keys, not {FilterCount}");
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _session?.Dispose();
        _ns?.Dispose();
    }

    [Benchmark(Description = "LinuxNet: list 1,000 u32 filters into TcFilterInfo")]
    public int List_LinuxNet() => _session.TrafficControl.ListFilters("dummy0", TcHandle.IngressQdisc).Count;

    [Benchmark(Baseline = true, Description = "tc -j filter show (process, output read)")]
    public int List_TcJson() => IpProcess.RunTool(_ns, "tc", "-j", "filter", "show", "dev", "dummy0", "parent", "ffff:").Length;

    /// <summary>In-process (no generated project to build on a loaded machine), throughput strategy, a short job.</summary>
    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Throughput)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(8));
    }
}
