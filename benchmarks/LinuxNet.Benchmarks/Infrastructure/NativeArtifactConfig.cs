using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>
/// For benchmarks that start a native program per operation: in-process (the namespaces made in the setup live in
/// this process), two warm-up and ten measured iterations, so a run is bounded. When the program has not been
/// published, the benchmarks are filtered out and one line says why and how to publish it.
/// </summary>
public abstract class NativeArtifactConfig : ManualConfig
{
    private static readonly HashSet<string> Told = [];

    protected NativeArtifactConfig(string what, string relative, string environmentVariable, string publish)
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)));
        AddColumn(StatisticColumn.OperationsPerSecond);
        if (NativeArtifact.Find(relative, environmentVariable) is null)
        {
            if (Told.Add(what))
            {
                Console.WriteLine($"Skipped: {what} needs artifacts/native/{relative} (or ${environmentVariable}); publish it with `{publish}`.");
            }

            AddFilter(new SimpleFilter(_ => false));
        }
    }
}
