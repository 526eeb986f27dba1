using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Samples.WireGuard.Lab;

namespace LinuxNet.Benchmarks.Samples;

/// <summary>
/// TCP throughput through a WireGuard tunnel between two namespaces joined by a veth pair, in one run: wireguard-go on
/// both ends (the baseline) against the WireGuard sample on both ends (LinuxNet's TUN frame API and batched UDP
/// socket with GSO/GRO, one worker per direction, sealed in place), with TUN offloads (TCP super-frames read whole and split)
/// and without. Each operation sends <see cref="Bytes"/> over one TCP
/// connection A → B; Gbit/s is what B received per second, "× wireguard-go" the speed ratio against the baseline.
/// </summary>
/// <remarks>
/// Needs root and wireguard-go + wg (Debian: <c>apt-get install wireguard-go wireguard-tools</c>).
/// Run: <c>dotnet run -c Release --project benchmarks/LinuxNet.Benchmarks -- --filter '*WireGuardThroughput*'</c>.
/// Allocated is the benchmark thread's (the transfer harness: sockets, buffers), the same in every row; the workers'
/// own allocation per packet is checked by the WireGuard tests (SteadyStateTraffic_AllocatesNothingPerPacket).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class WireGuardThroughputBenchmarks
{
    /// <summary>Bytes sent per operation.</summary>
    public const long Bytes = 64L << 20;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private WireGuardLab? _lab;

    [GlobalSetup(Target = nameof(WireguardGo))]
    public void SetUpWireguardGo() => Build(lab =>
    {
        lab.StartWireguardGo('A', lab.Config('A'));
        lab.StartWireguardGo('B', lab.Config('B'));
    });

    [GlobalSetup(Target = nameof(Sample))]
    public void SetUpSample() => Build(lab =>
    {
        lab.StartSample('A', lab.Config('A'));
        lab.StartSample('B', lab.Config('B'));
    });

    [GlobalSetup(Target = nameof(SampleFrames))]
    public void SetUpSampleFrames() => Build(lab =>
    {
        lab.StartSample('A', lab.Config('A'), offloads: false);
        lab.StartSample('B', lab.Config('B'), offloads: false);
    });

    [GlobalCleanup]
    public void CleanUp()
    {
        _lab?.Dispose();
        _lab = null;
    }

    [Benchmark(Baseline = true, Description = "wireguard-go <-> wireguard-go")]
    public long WireguardGo() => Send();

    [Benchmark(Description = "WireGuard sample <-> sample (TUN offloads + UDP GSO/GRO batches)")]
    public long Sample() => Send();

    [Benchmark(Description = "WireGuard sample <-> sample (plain frames, one packet per TUN read)")]
    public long SampleFrames() => Send();

    private void Build(Action<WireGuardLab> start)
    {
        _lab = WireGuardLab.Create();
        try
        {
            start(_lab);
            if (!_lab.PingUntilReply('A', WireGuardLab.TunnelB, TimeSpan.FromSeconds(20)))
            {
                throw new InvalidOperationException("the tunnel did not come up");
            }

            Send(); // warm the path (TCP window, JIT)
        }
        catch
        {
            CleanUp();
            throw;
        }
    }

    private long Send()
    {
        TransferResult result = WireGuardLab.Transfer(_lab!.A, _lab.B, WireGuardLab.TunnelB, Bytes, Limit);
        return result.Intact ? result.Received : throw new InvalidOperationException($"transfer not intact: {result}");
    }

    private sealed class Config : InProcessMonitoringConfig
    {
        public Config()
        {
            AddColumn(new TunnelThroughputColumn(Bytes, "WgGbps"));
            AddColumn(new SpeedRatioColumn());
        }
    }


    /// <summary>Speed against the baseline in the same run: wireguard-go's mean time / this mean time.</summary>
    private sealed class SpeedRatioColumn : IColumn
    {
        public string Id => "WgSpeedRatio";

        public string ColumnName => "x wireguard-go";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 1;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Speed relative to wireguard-go <-> wireguard-go in the same run (higher is faster)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            BenchmarkCase? baseline = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Baseline);
            double? mine = summary[benchmarkCase]?.ResultStatistics?.Mean;
            double? theirs = baseline is null ? null : summary[baseline]?.ResultStatistics?.Mean;
            return mine is > 0 && theirs is > 0 ? (theirs.Value / mine.Value).ToString("0.00") : "-";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
