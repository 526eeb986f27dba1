using System.Diagnostics;
using System.Globalization;
using System.Net;
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

namespace LinuxNet.Benchmarks.ColdStart;

/// <summary>
/// Cold-process figures (issue 18): one operation is one whole process, from start to exit, adding (or deleting)
/// 10,000 IPv6 /128 routes (2001:db8:3::1 upward) on bridge br0 in a fresh anonymous namespace, the way a CLI, a CNI
/// plugin or a one-shot configuration tool runs: <c>ip -batch FILE</c> (the file written at setup; the baseline), the
/// ColdStart program <c>linuxnet-coldstart</c> as plain JIT, ReadyToRun and NativeAOT (one request per route on one
/// session, and batched), the JIT and ReadyToRun builds with runtime knobs (TieredPGO, TieredCompilation,
/// QuickJitForLoops off, set as the project properties would in runtimeconfig.json, here through their
/// <c>DOTNET_</c> variables), and the C peer <c>nlpeer</c> (libmnl) when benchmarks/native/nlpeer.c exists. The
/// routes for a delete (and their removal after an add) are made outside the measurement. A third category is the
/// start-up alone: one link listing printed as JSON (<c>linuxnet-coldstart link-show</c> against <c>ip -j link show</c>).
/// </summary>
/// <remarks>
/// Needs root. One command: <c>dotnet run -c Release --project benchmarks/LinuxNet.Benchmarks -- --filter '*ColdStartBenchmarks*'</c>;
/// the three builds are published into artifacts/native/coldstart/ on first use (about a minute) and reused after that
/// (remove the directory after changing LinuxNet or the program), or taken from <c>$LINUXNET_COLDSTART_DIR</c>.
/// </remarks>
[Config(typeof(ColdStartConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ColdStartBenchmarks
{
    /// <summary>Routes per process.</summary>
    public const int Count = 10_000;

    private const string Device = "br0";
    private static readonly string CountText = Count.ToString(CultureInfo.InvariantCulture);

    private NetNamespace _ns = null!;
    private RtnetlinkSession _rt = null!;
    private RtnetlinkBatch _addAll = null!;
    private RtnetlinkBatch _deleteAll = null!;
    private string _directory = null!;
    private string _jit = null!;
    private string _r2r = null!;
    private string _aot = null!;
    private string? _nlpeer;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _jit = ColdStartBuilds.Get("jit");
        _r2r = ColdStartBuilds.Get("r2r");
        _aot = ColdStartBuilds.Get("aot");
        _nlpeer = NlPeer.Available ? NlPeer.Build() : null;

        _ns = NetNamespace.CreateAnonymous();
        IpProcess.Run(_ns, "link", "add", Device, "type", "bridge");
        IpProcess.Run(_ns, "link", "set", Device, "up");
        _rt = RtnetlinkSession.Open(_ns);
        int bridge = _rt.Links.TryGet(Device)!.Index;
        _addAll = _rt.CreateBatch();
        _deleteAll = _rt.CreateBatch();
        _directory = Directory.CreateTempSubdirectory("linuxnet-coldstart-").FullName;
        using var add = new StreamWriter(Path.Combine(_directory, "route-add"));
        using var del = new StreamWriter(Path.Combine(_directory, "route-del"));
        for (int i = 1; i <= Count; i++)
        {
            // The same routes linuxnet-coldstart and nlpeer make: 2001:db8:3::1, …, the number in the low 32 bits.
            var address = IPAddress.Parse($"2001:db8:3::{i >> 16:x}:{i & 0xffff:x}");
            _addAll.AddRoute(new RouteSpec(new IPPrefix(address, 128)) { Link = bridge });
            _deleteAll.DeleteRoute(new RouteSpec(new IPPrefix(address, 128)) { Link = bridge });
            add.WriteLine($"route add {address}/128 dev {Device}");
            del.WriteLine($"route del {address}/128 dev {Device}");
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _addAll?.Dispose();
        _deleteAll?.Dispose();
        _rt?.Dispose();
        _ns?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }

        if (_nlpeer is not null)
        {
            File.Delete(_nlpeer);
        }
    }

    // ---- state for the next invocation (not measured): the table holds exactly the routes a delete removes

    [IterationSetup(Targets = [nameof(IpBatch_Delete), nameof(Jit_Delete), nameof(R2R_Delete), nameof(Aot_Delete), nameof(Aot_DeleteBatched), nameof(C_Delete), nameof(C_DeleteBatched)])]
    public void AddAllRoutes() => _addAll.Execute().ThrowIfAnyFailed();

    [IterationCleanup(Targets = [nameof(IpBatch_Add), nameof(Jit_Add), nameof(Jit_Add_NoTieredPgo), nameof(Jit_Add_NoTieredCompilation), nameof(Jit_Add_NoQuickJitForLoops), nameof(R2R_Add), nameof(R2R_Add_NoTieredPgo), nameof(R2R_Add_NoTieredCompilation), nameof(Aot_Add), nameof(Aot_AddBatched), nameof(C_Add), nameof(C_AddBatched)])]
    public void DeleteAllRoutes() => _deleteAll.Execute().ThrowIfAnyFailed();

    // ---- add 10,000 routes, one process each

    [Benchmark(Baseline = true, Description = "ip -batch FILE"), BenchmarkCategory("RouteAdd")]
    public void IpBatch_Add() => Run("ip", "-batch", Path.Combine(_directory, "route-add"));

    [Benchmark(Description = "LinuxNet JIT"), BenchmarkCategory("RouteAdd")]
    public void Jit_Add() => Run(_jit, "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet JIT, TieredPGO off"), BenchmarkCategory("RouteAdd")]
    public void Jit_Add_NoTieredPgo() => Run(_jit, ("DOTNET_TieredPGO", "0"), "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet JIT, TieredCompilation off"), BenchmarkCategory("RouteAdd")]
    public void Jit_Add_NoTieredCompilation() => Run(_jit, ("DOTNET_TieredCompilation", "0"), "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet JIT, QuickJitForLoops off"), BenchmarkCategory("RouteAdd")]
    public void Jit_Add_NoQuickJitForLoops() => Run(_jit, ("DOTNET_TC_QuickJitForLoops", "0"), "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet ReadyToRun"), BenchmarkCategory("RouteAdd")]
    public void R2R_Add() => Run(_r2r, "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet ReadyToRun, TieredPGO off"), BenchmarkCategory("RouteAdd")]
    public void R2R_Add_NoTieredPgo() => Run(_r2r, ("DOTNET_TieredPGO", "0"), "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet ReadyToRun, TieredCompilation off"), BenchmarkCategory("RouteAdd")]
    public void R2R_Add_NoTieredCompilation() => Run(_r2r, ("DOTNET_TieredCompilation", "0"), "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet NativeAOT"), BenchmarkCategory("RouteAdd")]
    public void Aot_Add() => Run(_aot, "route-add", CountText, Device);

    [Benchmark(Description = "LinuxNet NativeAOT, RtnetlinkBatch"), BenchmarkCategory("RouteAdd")]
    public void Aot_AddBatched() => Run(_aot, "route-add-batch", CountText, Device);

    [Benchmark(Description = "C nlpeer (libmnl)"), BenchmarkCategory("RouteAdd")]
    public void C_Add() => Run(_nlpeer!, "route-add", CountText, Device);

    [Benchmark(Description = "C nlpeer (libmnl), batched"), BenchmarkCategory("RouteAdd")]
    public void C_AddBatched() => Run(_nlpeer!, "route-add-batch", CountText, Device);

    // ---- delete 10,000 routes, one process each

    [Benchmark(Baseline = true, Description = "ip -batch FILE"), BenchmarkCategory("RouteDelete")]
    public void IpBatch_Delete() => Run("ip", "-batch", Path.Combine(_directory, "route-del"));

    [Benchmark(Description = "LinuxNet JIT"), BenchmarkCategory("RouteDelete")]
    public void Jit_Delete() => Run(_jit, "route-del", CountText, Device);

    [Benchmark(Description = "LinuxNet ReadyToRun"), BenchmarkCategory("RouteDelete")]
    public void R2R_Delete() => Run(_r2r, "route-del", CountText, Device);

    [Benchmark(Description = "LinuxNet NativeAOT"), BenchmarkCategory("RouteDelete")]
    public void Aot_Delete() => Run(_aot, "route-del", CountText, Device);

    [Benchmark(Description = "LinuxNet NativeAOT, RtnetlinkBatch"), BenchmarkCategory("RouteDelete")]
    public void Aot_DeleteBatched() => Run(_aot, "route-del-batch", CountText, Device);

    [Benchmark(Description = "C nlpeer (libmnl)"), BenchmarkCategory("RouteDelete")]
    public void C_Delete() => Run(_nlpeer!, "route-del", CountText, Device);

    [Benchmark(Description = "C nlpeer (libmnl), batched"), BenchmarkCategory("RouteDelete")]
    public void C_DeleteBatched() => Run(_nlpeer!, "route-del-batch", CountText, Device);

    // ---- start-up: one link listing printed as JSON, a process whose time is mostly starting

    [Benchmark(Baseline = true, Description = "ip -j link show"), BenchmarkCategory("LinkShow")]
    public void Ip_LinkShow() => Run("ip", "-j", "link", "show");

    [Benchmark(Description = "LinuxNet JIT"), BenchmarkCategory("LinkShow")]
    public void Jit_LinkShow() => Run(_jit, "link-show");

    [Benchmark(Description = "LinuxNet ReadyToRun"), BenchmarkCategory("LinkShow")]
    public void R2R_LinkShow() => Run(_r2r, "link-show");

    [Benchmark(Description = "LinuxNet NativeAOT"), BenchmarkCategory("LinkShow")]
    public void Aot_LinkShow() => Run(_aot, "link-show");

    private void Run(string file, params string[] args) => Run(file, default, args);

    // One whole process inside the namespace; its exit code must be 0 (a failure would time nothing meaningful).
    private void Run(string file, (string Name, string Value) environment, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        if (environment.Name is not null)
        {
            psi.Environment[environment.Name] = environment.Value;
        }

        using Process process = _ns.StartProcess(psi);
        Task<string> errorText = process.StandardError.ReadToEndAsync();
        int printed = process.StandardOutput.ReadToEnd().Length;
        string error = errorText.Result;
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', args)}");
        }

        if (process.ExitCode != 0 || (args[^1] == "show" || args[^1] == "link-show") && printed == 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        }
    }

    private sealed class ColdStartConfig : ManualConfig
    {
        private static bool _told;

        public ColdStartConfig()
        {
            // In-process: the namespace made at setup is this process's. One process per invocation, monitored.
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(15)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
            if (!NlPeer.Available)
            {
                if (!_told)
                {
                    _told = true;
                    Console.WriteLine($"Skipped: the C peer rows of ColdStartBenchmarks need {NlPeer.Source} (benchmarks/native/nlpeer.c, libmnl); it is not there.");
                }

                AddFilter(new SimpleFilter(b => !b.Descriptor.WorkloadMethod.Name.StartsWith("C_", StringComparison.Ordinal)));
            }
        }
    }
}
