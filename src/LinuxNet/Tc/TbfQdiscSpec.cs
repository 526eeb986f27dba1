using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A token bucket filter: shapes a device to <see cref="Rate"/> with a bucket of <see cref="Burst"/> bytes.
/// <c>tc qdisc add dev DEV root tbf rate RATE burst BYTES (latency TIME | limit BYTES) [peakrate RATE mtu BYTES]</c>.
/// </summary>
/// <remarks>
/// The request carries the rate table (<c>TCA_TBF_RTAB</c>, and <c>TCA_TBF_PTAB</c> with a peak rate) and the burst as a
/// time in scheduler ticks, computed from <c>/proc/net/psched</c> exactly as <c>tc</c> computes them.
/// </remarks>
public sealed class TbfQdiscSpec : QdiscSpec
{
    /// <summary>The MTU assumed when checking <see cref="Burst"/> and <see cref="Mtu"/> is not set: 1500 plus the Ethernet header.</summary>
    public const uint DefaultMtu = 1514;

    /// <summary>Describes a tbf qdisc.</summary>
    /// <param name="link">The device.</param>
    /// <param name="rate">The rate in bytes per second (<c>rate 10mbit</c> is 1,250,000; see <see cref="TcUnits.ParseRate(string)"/>).</param>
    /// <param name="burst">The bucket size in bytes (<c>burst 32kb</c> is 32,768).</param>
    public TbfQdiscSpec(LinkReference link, ulong rate, uint burst)
        : base(link)
    {
        Rate = rate;
        Burst = burst;
    }

    /// <inheritdoc/>
    public override string Kind => "tbf";

    /// <summary>The rate in bytes per second.</summary>
    public ulong Rate { get; }

    /// <summary>The bucket size in bytes (<c>burst</c>); at least one packet (<see cref="Mtu"/>, or <see cref="DefaultMtu"/>).</summary>
    public uint Burst { get; }

    /// <summary>How long a packet may wait (<c>latency</c>); the queue limit is computed from it as tc does. Set this or <see cref="Limit"/>.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>The queue limit in bytes (<c>limit</c>). Set this or <see cref="Latency"/>.</summary>
    public uint? Limit { get; init; }

    /// <summary>The peak rate in bytes per second (<c>peakrate</c>); needs <see cref="Mtu"/>.</summary>
    public ulong? PeakRate { get; init; }

    /// <summary>The size of the peak-rate bucket, the largest packet (<c>mtu</c>); also sizes the rate table's cells.</summary>
    public uint? Mtu { get; init; }

    internal override void Validate()
    {
        base.Validate();
        if (Rate == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "tbf: the rate must be more than 0.");
        }

        uint mtu = Mtu ?? DefaultMtu;
        if (Burst < mtu)
        {
            throw new ArgumentOutOfRangeException(nameof(Burst), Burst, $"tbf: a burst of {Burst} bytes is smaller than the MTU ({mtu}): packets that size would never be sent.");
        }

        if ((Latency is null) == (Limit is null))
        {
            throw new ArgumentException("tbf: set exactly one of Latency and Limit.", nameof(Latency));
        }

        if (Latency is { } latency && (latency < TimeSpan.Zero || latency.TotalMilliseconds * 1000 > uint.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(Latency), latency, "tbf: the latency must be between 0 and 4294 seconds.");
        }

        if (Limit == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "tbf: the limit must be more than 0.");
        }

        if (PeakRate is { } peak)
        {
            if (Mtu is null)
            {
                throw new ArgumentException("tbf: a peak rate needs Mtu (tc: \"when peakrate is specified, mtu must also be specified\").", nameof(Mtu));
            }

            if (peak <= Rate)
            {
                throw new ArgumentOutOfRangeException(nameof(PeakRate), peak, "tbf: the peak rate must be more than the rate.");
            }
        }
    }

    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
        ulong peak = PeakRate ?? 0;
        uint mtu = Mtu ?? 0;
        var opt = new TcTbfQopt();
        opt.Rate.Rate = Rate >= 1UL << 32 ? uint.MaxValue : (uint)Rate;
        opt.PeakRate.Rate = peak >= 1UL << 32 ? uint.MaxValue : (uint)peak;
        if (Limit is uint limit)
        {
            opt.Limit = limit;
        }
        else
        {
            double latency = (uint)(Latency!.Value.Ticks / 10);
            double lim = (Rate * latency / PacketSchedulerClock.TimeUnitsPerSecond) + Burst;
            if (peak != 0)
            {
                double lim2 = (peak * latency / PacketSchedulerClock.TimeUnitsPerSecond) + mtu;
                if (lim2 < lim)
                {
                    lim = lim2;
                }
            }

            opt.Limit = (uint)lim;
        }

        uint[] rtab = new uint[256];
        uint[] ptab = new uint[256];
        clock.FillRateTable(ref opt.Rate, opt.Rate.Rate, mtu, rtab);
        opt.Buffer = clock.TransmitTime(opt.Rate.Rate, Burst);
        if (peak != 0)
        {
            clock.FillRateTable(ref opt.PeakRate, opt.PeakRate.Rate, mtu, ptab);
            opt.Mtu = clock.TransmitTime(opt.PeakRate.Rate, mtu);
        }

        NestedAttribute options = writer.BeginNested(LinuxPktSched.TCA_OPTIONS);
        writer.WriteStruct(LinuxPktSched.TCA_TBF_PARMS, opt);
        writer.WriteUInt32(LinuxPktSched.TCA_TBF_BURST, Burst);
        if (Rate >= 1UL << 32)
        {
            writer.WriteUInt64(LinuxPktSched.TCA_TBF_RATE64, Rate);
        }

        writer.WriteAttribute(LinuxPktSched.TCA_TBF_RTAB, System.Runtime.InteropServices.MemoryMarshal.AsBytes(rtab.AsSpan()));
        if (peak != 0)
        {
            if (peak >= 1UL << 32)
            {
                writer.WriteUInt64(LinuxPktSched.TCA_TBF_PRATE64, peak);
            }

            writer.WriteUInt32(LinuxPktSched.TCA_TBF_PBURST, mtu);
            writer.WriteAttribute(LinuxPktSched.TCA_TBF_PTAB, System.Runtime.InteropServices.MemoryMarshal.AsBytes(ptab.AsSpan()));
        }

        LinkMessages.EndNested(ref writer, options);
    }
}
