using System.Runtime.InteropServices;

namespace LinuxNet;

// struct gnet_stats_queue, /usr/include/linux/gen_stats.h
[StructLayout(LayoutKind.Sequential)]
internal struct GnetStatsQueue
{
    internal uint QueueLength;
    internal uint Backlog;
    internal uint Drops;
    internal uint Requeues;
    internal uint Overlimits;
}
