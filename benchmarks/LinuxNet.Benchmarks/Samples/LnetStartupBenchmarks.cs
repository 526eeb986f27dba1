using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.Samples;

/// <summary>
/// Start-up of the NativeAOT <c>lnet</c> against iproute2's <c>ip</c>: one operation is <c>-j link show</c> as a whole
/// process, from start to exit with its output read, inside a throwaway namespace (a veth pair and loopback), both in
/// the same run; the Ratio column is lnet's time over ip's.
/// </summary>
/// <remarks>
/// Needs root and the native publish: <c>dotnet publish samples/lnet -c Release -r linux-x64 -o artifacts/native/lnet</c>.
/// Run: <c>dotnet run -c Release --project benchmarks/LinuxNet.Benchmarks -- --filter '*LnetStartup*'</c>.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(LnetStartupConfig))]
public class LnetStartupBenchmarks
{
    private const string Relative = "lnet/lnet";
    private const string Variable = "LINUXNET_LNET_NATIVE";
    private NetNamespace? _ns;
    private string _lnet = "";

    [GlobalSetup]
    public void SetUp()
    {
        _lnet = NativeArtifact.Find(Relative, Variable) ?? throw new InvalidOperationException("native lnet is not published");
        _ns = NetNamespace.CreateAnonymous();
        IpProcess.Run(_ns, "link", "add", "bench0", "type", "veth", "peer", "name", "bench1");
        IpProcess.Run(_ns, "link", "set", "bench0", "up");
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _ns?.Dispose();
        _ns = null;
    }

    [Benchmark(Baseline = true, Description = "ip -j link show")]
    public int Ip() => Run("ip");

    [Benchmark(Description = "lnet -j link show (NativeAOT)")]
    public int Lnet() => Run(_lnet);

    private int Run(string file)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-j");
        start.ArgumentList.Add("link");
        start.ArgumentList.Add("show");
        using Process process = _ns!.StartProcess(start);
        int length = process.StandardOutput.ReadToEnd().Length;
        if (!process.WaitForExit(10_000) || process.ExitCode != 0 || length == 0)
        {
            throw new InvalidOperationException($"{file} -j link show failed");
        }

        return length;
    }

    private sealed class LnetStartupConfig : NativeArtifactConfig
    {
        public LnetStartupConfig()
            : base("LnetStartupBenchmarks", Relative, Variable, "dotnet publish samples/lnet -c Release -r linux-x64 -o artifacts/native/lnet")
        {
        }
    }
}

/// <summary>
/// <c>lnet -batch FILE</c> (NativeAOT) against <c>ip -batch FILE</c>: one operation is one whole process applying a
/// 1,000-line file of <c>route add 2001:db8:4::N/128 dev br0</c> lines in a throwaway namespace (the file written at
/// setup, the routes removed after each invocation outside the measurement); the Ratio column is lnet's time over ip's.
/// </summary>
/// <remarks>
/// Needs root and the native publish: <c>dotnet publish samples/lnet -c Release -r linux-x64 -o artifacts/native/lnet</c>.
/// Run with the one-shot benchmark, in the same run: <c>dotnet run -c Release --project benchmarks/LinuxNet.Benchmarks -- --filter '*LnetStartup*' '*LnetBatch*'</c>.
/// </remarks>
[Config(typeof(LnetBatchConfig))]
public class LnetBatchBenchmarks
{
    /// <summary>Lines in the batch file.</summary>
    public const int Lines = 1_000;

    private const string Relative = "lnet/lnet";
    private const string Variable = "LINUXNET_LNET_NATIVE";
    private NetNamespace? _ns;
    private RtnetlinkSession? _rt;
    private RtnetlinkBatch? _deleteAll;
    private string _lnet = "";
    private string _file = "";

    [GlobalSetup]
    public void SetUp()
    {
        _lnet = NativeArtifact.Find(Relative, Variable) ?? throw new InvalidOperationException("native lnet is not published");
        _ns = NetNamespace.CreateAnonymous();
        IpProcess.Run(_ns, "link", "add", "br0", "type", "bridge");
        IpProcess.Run(_ns, "link", "set", "br0", "up");
        _rt = RtnetlinkSession.Open(_ns);
        int bridge = _rt.Links.TryGet("br0")!.Index;
        _deleteAll = _rt.CreateBatch();
        _file = Path.Combine(Path.GetTempPath(), $"linuxnet-lnetbatch-{Environment.ProcessId}");
        using var writer = new StreamWriter(_file);
        for (int i = 1; i <= Lines; i++)
        {
            var address = System.Net.IPAddress.Parse($"2001:db8:4::{i:x}");
            writer.WriteLine($"route add {address}/128 dev br0");
            _deleteAll.DeleteRoute(new RouteSpec(new IPPrefix(address, 128)) { Link = bridge });
        }
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _deleteAll?.Dispose();
        _rt?.Dispose();
        _ns?.Dispose();
        _ns = null;
        if (_file.Length > 0)
        {
            File.Delete(_file);
        }
    }

    [IterationCleanup]
    public void DeleteRoutes() => _deleteAll!.Execute().ThrowIfAnyFailed();

    [Benchmark(Baseline = true, Description = "ip -batch FILE (1,000 route add)")]
    public void Ip() => Run("ip");

    [Benchmark(Description = "lnet -batch FILE (NativeAOT)")]
    public void Lnet() => Run(_lnet);

    private void Run(string file)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-batch");
        start.ArgumentList.Add(_file);
        using Process process = _ns!.StartProcess(start);
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} -batch failed: {error}");
        }
    }

    private sealed class LnetBatchConfig : ManualConfig
    {
        public LnetBatchConfig()
        {
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(15)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
            if (NativeArtifact.Find(Relative, Variable) is null)
            {
                Console.WriteLine("Skipped: LnetBatchBenchmarks needs artifacts/native/lnet/lnet (or $LINUXNET_LNET_NATIVE); publish it with `dotnet publish samples/lnet -c Release -r linux-x64 -o artifacts/native/lnet`.");
                AddFilter(new SimpleFilter(_ => false));
            }
        }
    }
}
