namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>
/// Lets the kernel forget IPv6 addresses a benchmark iteration just deleted, before the next iteration adds them again.
/// </summary>
/// <remarks>
/// Deleting an IPv6 address leaves its solicited-node group in MLDv2's list of deleted records for the robustness
/// period (two reports one second apart). Adding addresses while those records linger costs the kernel about 1 ms per
/// address: measured with <c>ip -batch</c> alone on a bridge, 1,000 /128 adds take 0.21 s on a settled device and 1.3 s
/// right after deleting them (4.8 s with MLDv1). Without the pause every iteration after the first measured that
/// kernel cleanup, for LinuxNet and <c>ip</c> alike, not the tools.
/// </remarks>
internal static class MldSettle
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(3);

    public static void AfterDeletingAddresses() => Thread.Sleep(Period);
}
