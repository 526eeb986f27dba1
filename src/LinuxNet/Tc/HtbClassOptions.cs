using System.Text;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>An htb class's options as the kernel reports them (<c>prio 1 rate 5Mbit ceil 10Mbit burst 15Kb cburst 15Kb</c>).</summary>
public sealed class HtbClassOptions : TcOptions
{
    private HtbClassOptions()
    {
    }

    /// <summary>The guaranteed rate in bytes per second (<c>rate</c>).</summary>
    public ulong Rate { get; private set; }

    /// <summary>The ceiling in bytes per second (<c>ceil</c>).</summary>
    public ulong Ceiling { get; private set; }

    /// <summary>The burst in bytes, converted back from the kernel's buffer time as tc does (<c>burst</c>).</summary>
    public uint Burst { get; private set; }

    /// <summary>The ceiling burst in bytes (<c>cburst</c>).</summary>
    public uint CeilingBurst { get; private set; }

    /// <summary>The priority (<c>prio</c>).</summary>
    public uint Priority { get; private set; }

    /// <summary>The quantum in bytes (<c>quantum</c>).</summary>
    public uint Quantum { get; private set; }

    /// <summary>The level in the tree: 0 for a leaf (<c>level</c>).</summary>
    public uint Level { get; private set; }

    /// <summary>Formats the options as <c>tc class show</c> does.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Level == 0)
        {
            text.Append("prio ").Append(Priority).Append(' ');
        }

        text.Append("rate ").Append(TcUnits.FormatRate(Rate)).Append(" ceil ").Append(TcUnits.FormatRate(Ceiling))
            .Append(" burst ").Append(TcUnits.FormatSize(Burst)).Append(" cburst ").Append(TcUnits.FormatSize(CeilingBurst)).Append(' ');
        return text.ToString();
    }

    internal static HtbClassOptions Parse(NetlinkAttribute options, PacketSchedulerClock clock)
    {
        var result = new HtbClassOptions();
        TcHtbOpt opt = default;
        bool hasParms = false;
        foreach (NetlinkAttribute attribute in options.EnumerateNested())
        {
            switch (attribute.Type)
            {
                case LinuxPktSched.TCA_HTB_PARMS:
                    opt = attribute.GetStruct<TcHtbOpt>();
                    hasParms = true;
                    break;
                case LinuxPktSched.TCA_HTB_RATE64:
                    result.Rate = attribute.GetUInt64();
                    break;
                case LinuxPktSched.TCA_HTB_CEIL64:
                    result.Ceiling = attribute.GetUInt64();
                    break;
            }
        }

        if (hasParms)
        {
            result.Rate = result.Rate == 0 ? opt.Rate.Rate : result.Rate;
            result.Ceiling = result.Ceiling == 0 ? opt.Ceil.Rate : result.Ceiling;
            result.Burst = clock.TransmitSize(result.Rate, opt.Buffer);
            result.CeilingBurst = clock.TransmitSize(result.Ceiling, opt.CBuffer);
            result.Priority = opt.Prio;
            result.Quantum = opt.Quantum;
            result.Level = opt.Level;
        }

        return result;
    }
}
