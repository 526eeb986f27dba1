using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.Namespaces;

/// <summary>One round-trip onto a warm pinned thread (target: under 20 µs). Needs root.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class NamespaceRunBenchmarks
{
    private NetNamespace _lab = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lab = NetNamespace.CreateAnonymous();
        _lab.Run(static () => { });
    }

    [GlobalCleanup]
    public void Cleanup() => _lab.Dispose();

    [Benchmark(Description = "Run(Action)")]
    public void Run() => _lab.Run(static () => { });

    [Benchmark(Description = "internal Invoke<TState,TResult> (state, static lambda)")]
    public int Invoke() => _lab.Invoke(static s => s + 1, 41);

    [Benchmark(Description = "RunAsync(() => Task.CompletedTask)")]
    public Task RunAsync() => _lab.RunAsync(static () => Task.CompletedTask);
}
