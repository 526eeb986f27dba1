using System;
using System.Buffers.Binary;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>
/// The counters <c>tc -s</c> shows for a qdisc, class or action: <c>Sent B bytes P pkt (dropped D, overlimits O
/// requeues R)</c>, <c>backlog Bb Qp</c> and, with a rate estimator, <c>rate Rbit Npps</c>.
/// </summary>
/// <remarks>Kernel: <c>TCA_STATS2</c> (<c>TCA_STATS_BASIC</c>, <c>TCA_STATS_QUEUE</c>, <c>TCA_STATS_RATE_EST[64]</c>, <c>TCA_STATS_PKT64</c>).</remarks>
public sealed class TcStatistics
{
    private TcStatistics()
    {
    }

    /// <summary>Bytes sent (<c>bytes</c>).</summary>
    public ulong Bytes { get; private set; }

    /// <summary>Packets sent (<c>packets</c>).</summary>
    public ulong Packets { get; private set; }

    /// <summary>Packets dropped (<c>drops</c>).</summary>
    public uint Drops { get; private set; }

    /// <summary>Times the shaper held a packet back (<c>overlimits</c>).</summary>
    public uint Overlimits { get; private set; }

    /// <summary>Packets requeued (<c>requeues</c>).</summary>
    public uint Requeues { get; private set; }

    /// <summary>Bytes queued now (<c>backlog</c>).</summary>
    public uint Backlog { get; private set; }

    /// <summary>Packets queued now (<c>qlen</c>).</summary>
    public uint QueueLength { get; private set; }

    /// <summary>The estimated rate in bytes per second, or <see langword="null"/> without a rate estimator.</summary>
    public ulong? RateBytesPerSecond { get; private set; }

    /// <summary>The estimated rate in packets per second, or <see langword="null"/> without a rate estimator.</summary>
    public ulong? RatePacketsPerSecond { get; private set; }

    /// <summary>Formats the counters as <c>tc -s</c>'s first statistics line: <c>Sent 426 bytes 5 pkt (dropped 0, overlimits 0 requeues 0)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"Sent {Bytes} bytes {Packets} pkt (dropped {Drops}, overlimits {Overlimits} requeues {Requeues})";

    /// <summary>Reads a <c>TCA_STATS2</c> (or <c>TCA_ACT_STATS</c>) nest.</summary>
    internal static TcStatistics Parse(NetlinkAttribute nest)
    {
        var stats = new TcStatistics();
        ulong packets64 = 0;
        foreach (NetlinkAttribute attribute in nest.EnumerateNested())
        {
            ReadOnlySpan<byte> value = attribute.Value;
            switch (attribute.Type)
            {
                // gnet_stats_basic is a u64 and a u32: 12 bytes, or 16 with the padding an x86-64 kernel copies.
                case LinuxPktSched.TCA_STATS_BASIC when value.Length >= 12:
                    stats.Bytes = BinaryPrimitives.ReadUInt64LittleEndian(value);
                    stats.Packets = BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(8));
                    break;
                case LinuxPktSched.TCA_STATS_PKT64:
                    packets64 = attribute.GetUInt64();
                    break;
                case LinuxPktSched.TCA_STATS_QUEUE:
                    GnetStatsQueue queue = attribute.GetStruct<GnetStatsQueue>();
                    stats.QueueLength = queue.QueueLength;
                    stats.Backlog = queue.Backlog;
                    stats.Drops = queue.Drops;
                    stats.Requeues = queue.Requeues;
                    stats.Overlimits = queue.Overlimits;
                    break;
                case LinuxPktSched.TCA_STATS_RATE_EST64 when value.Length >= 16:
                    stats.RateBytesPerSecond = BinaryPrimitives.ReadUInt64LittleEndian(value);
                    stats.RatePacketsPerSecond = BinaryPrimitives.ReadUInt64LittleEndian(value.Slice(8));
                    break;
                case LinuxPktSched.TCA_STATS_RATE_EST when stats.RateBytesPerSecond is null:
                    GnetStatsRateEst rate = attribute.GetStruct<GnetStatsRateEst>();
                    stats.RateBytesPerSecond = rate.BytesPerSecond;
                    stats.RatePacketsPerSecond = rate.PacketsPerSecond;
                    break;
            }
        }

        if (packets64 != 0)
        {
            stats.Packets = packets64;
        }

        return stats;
    }
}
