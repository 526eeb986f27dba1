using System.Text;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>A tbf qdisc's options as the kernel reports them (<c>tc qdisc show</c>: <c>rate 10Mbit burst 32Kb lat 50ms</c>).</summary>
public sealed class TbfQdiscOptions : TcOptions
{
    private TbfQdiscOptions()
    {
    }

    /// <summary>The rate in bytes per second (<c>rate</c>).</summary>
    public ulong Rate { get; private set; }

    /// <summary>The bucket size in bytes, converted back from the kernel's buffer time as tc does (<c>burst</c>).</summary>
    public uint Burst { get; private set; }

    /// <summary>The queue limit in bytes (<c>limit</c>).</summary>
    public uint Limit { get; private set; }

    /// <summary>The peak rate in bytes per second, or 0 (<c>peakrate</c>).</summary>
    public ulong PeakRate { get; private set; }

    /// <summary>The peak bucket in bytes, or 0 (<c>minburst</c>).</summary>
    public uint MinBurst { get; private set; }

    /// <summary>The latency in microseconds tc derives from the limit (<c>lat</c>), or a negative value when the limit is below the burst.</summary>
    public double Latency { get; private set; }

    /// <summary>Formats the options as <c>tc qdisc show</c> does.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("rate ").Append(TcUnits.FormatRate(Rate)).Append(" burst ").Append(TcUnits.FormatSize(Burst)).Append(' ');
        if (PeakRate != 0)
        {
            text.Append("peakrate ").Append(TcUnits.FormatRate(PeakRate)).Append(' ');
            if (MinBurst != 0)
            {
                text.Append("minburst ").Append(TcUnits.FormatSize(MinBurst)).Append(' ');
            }
        }

        text.Append(Latency >= 0 ? "lat " + TcUnits.FormatTime((uint)Latency) + " " : "limit " + TcUnits.FormatSize(Limit) + " ");
        return text.ToString();
    }

    internal static TbfQdiscOptions Parse(NetlinkAttribute options, PacketSchedulerClock clock)
    {
        var result = new TbfQdiscOptions();
        TcTbfQopt qopt = default;
        bool hasParms = false;
        foreach (NetlinkAttribute attribute in options.EnumerateNested())
        {
            switch (attribute.Type)
            {
                case LinuxPktSched.TCA_TBF_PARMS:
                    qopt = attribute.GetStruct<TcTbfQopt>();
                    hasParms = true;
                    break;
                case LinuxPktSched.TCA_TBF_RATE64:
                    result.Rate = attribute.GetUInt64();
                    break;
                case LinuxPktSched.TCA_TBF_PRATE64:
                    result.PeakRate = attribute.GetUInt64();
                    break;
            }
        }

        if (!hasParms)
        {
            return result;
        }

        if (result.Rate == 0)
        {
            result.Rate = qopt.Rate.Rate;
        }

        if (result.PeakRate == 0)
        {
            result.PeakRate = qopt.PeakRate.Rate;
        }

        result.Limit = qopt.Limit;
        result.Burst = clock.TransmitSize(result.Rate, qopt.Buffer);
        if (result.PeakRate != 0 && qopt.Mtu != 0)
        {
            result.MinBurst = clock.TransmitSize(result.PeakRate, qopt.Mtu);
        }

        // tbf_print_opt: the time the limit's bytes take beyond the bucket.
        double latency = (PacketSchedulerClock.TimeUnitsPerSecond * (qopt.Limit / (double)result.Rate)) - clock.TicksToTime(qopt.Buffer);
        if (result.PeakRate != 0)
        {
            double latency2 = (PacketSchedulerClock.TimeUnitsPerSecond * (qopt.Limit / (double)result.PeakRate)) - clock.TicksToTime(qopt.Mtu);
            if (latency2 > latency)
            {
                latency = latency2;
            }
        }

        result.Latency = latency;
        return result;
    }
}
