using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.Namespaces;

/// <summary>
/// Create + delete of a named namespace: LinuxNet against `ip netns add` + `ip netns del` run as processes, in the
/// same run. The Ratio column is LinuxNet's time over ip's (0.15 means 6.7× faster). Needs root.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 6, invocationCount: 40)]
public class NamespaceCreateDeleteBenchmarks
{
    private readonly string _prefix = $"lnb-{Environment.ProcessId}-";
    private int _counter;

    [Benchmark(Baseline = true, Description = "ip netns add + ip netns del (processes)")]
    public void IpProcesses()
    {
        string name = _prefix + Interlocked.Increment(ref _counter);
        RunIp("netns", "add", name);
        RunIp("netns", "del", name);
    }

    [Benchmark(Description = "NetNamespace.Create + Dispose + Delete")]
    public void LinuxNet()
    {
        string name = _prefix + Interlocked.Increment(ref _counter);
        NetNamespace.Create(name).Dispose();
        NetNamespace.Delete(name);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (string name in NetNamespace.List().Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)))
        {
            NetNamespace.Delete(name);
        }
    }

    private static void RunIp(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(psi)!;
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("ip " + string.Join(' ', args) + " failed");
        }
    }
}
