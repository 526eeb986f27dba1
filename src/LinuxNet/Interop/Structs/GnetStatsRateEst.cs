using System.Runtime.InteropServices;

namespace LinuxNet;

// struct gnet_stats_rate_est, /usr/include/linux/gen_stats.h
[StructLayout(LayoutKind.Sequential)]
internal struct GnetStatsRateEst
{
    internal uint BytesPerSecond;
    internal uint PacketsPerSecond;
}
