using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>
/// For the traffic benchmarks whose operation is a whole bounded run (namespaces, devices, peer processes): in-process,
/// so the cleanup can print figures gathered across invocations; monitoring strategy, one invocation per iteration,
/// one warm-up and five measured iterations.
/// </summary>
public class InProcessMonitoringConfig : ManualConfig
{
    public InProcessMonitoringConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
    }
}
