using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A network emulator: delay, jitter and loss. <c>tc qdisc add dev DEV root netem [delay TIME [JITTER]] [loss PERCENT%] [limit PACKETS]</c>.
/// </summary>
/// <remarks>
/// The request is written byte for byte as tc writes it. A kernel built without <c>sch_netem</c> refuses it with
/// <see cref="TcKindNotSupportedException"/> ("Specified qdisc kind is unknown.").
/// </remarks>
public sealed class NetemQdiscSpec : QdiscSpec
{
    /// <summary>Describes a netem qdisc.</summary>
    /// <param name="link">The device.</param>
    public NetemQdiscSpec(LinkReference link)
        : base(link)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "netem";

    /// <summary>The added delay (<c>delay</c>); <see langword="null"/> for none.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>The delay's random variation (<c>delay TIME JITTER</c>); needs <see cref="Delay"/>.</summary>
    public TimeSpan? Jitter { get; init; }

    /// <summary>The share of packets dropped at random, 0 to 100 (<c>loss 1%</c>).</summary>
    public double? LossPercent { get; init; }

    /// <summary>The queue limit in packets (<c>limit</c>, default 1000).</summary>
    public uint Limit { get; init; } = 1000;

    internal override void Validate()
    {
        base.Validate();
        CheckTime(Delay, nameof(Delay));
        CheckTime(Jitter, nameof(Jitter));
        if (Jitter is not null && Delay is null)
        {
            throw new ArgumentException("netem: a jitter needs a delay.", nameof(Jitter));
        }

        if (LossPercent is { } loss && (double.IsNaN(loss) || loss < 0 || loss > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(LossPercent), loss, "netem: the loss is a percentage between 0 and 100.");
        }
    }

    // tc_netem_qopt is the head of TCA_OPTIONS, not a nest: tc appends its extra attributes after it.
    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
        var opt = new TcNetemQopt
        {
            Latency = clock.TimeToTicks(Microseconds(Delay)),
            Jitter = clock.TimeToTicks(Microseconds(Jitter)),
            Limit = Limit,
            Loss = LossPercent is { } loss ? (uint)Math.Round(loss / 100 * uint.MaxValue, MidpointRounding.ToEven) : 0,
        };
        writer.WriteStruct(LinuxPktSched.TCA_OPTIONS, opt);
    }

    private static uint Microseconds(TimeSpan? time) => time is { } t ? (uint)(t.Ticks / 10) : 0;

    private static void CheckTime(TimeSpan? time, string name)
    {
        if (time is { } t && (t < TimeSpan.Zero || t.Ticks / 10 > uint.MaxValue / 16))
        {
            throw new ArgumentOutOfRangeException(name, t, "netem: a time must be between 0 and 268 seconds.");
        }
    }
}
