using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// Fair queueing with controlled delay. <c>tc qdisc add dev DEV root fq_codel [limit PACKETS] [flows N] [quantum BYTES]
/// [target TIME] [interval TIME] [ecn|noecn]</c>.
/// </summary>
/// <remarks>
/// The request is written byte for byte as tc writes it. A kernel built without <c>sch_fq_codel</c> refuses it with
/// <see cref="TcKindNotSupportedException"/> ("Specified qdisc kind is unknown.").
/// </remarks>
public sealed class FqCodelQdiscSpec : QdiscSpec
{
    /// <summary>Describes an fq_codel qdisc.</summary>
    /// <param name="link">The device.</param>
    public FqCodelQdiscSpec(LinkReference link)
        : base(link)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "fq_codel";

    /// <summary>The queue limit in packets (<c>limit</c>); <see langword="null"/> for the kernel's default.</summary>
    public uint? Limit { get; init; }

    /// <summary>The number of flow queues (<c>flows</c>).</summary>
    public uint? Flows { get; init; }

    /// <summary>Bytes dequeued from a flow per round (<c>quantum</c>).</summary>
    public uint? Quantum { get; init; }

    /// <summary>The acceptable queueing delay (<c>target</c>).</summary>
    public TimeSpan? Target { get; init; }

    /// <summary>The window the minimum delay is measured over (<c>interval</c>).</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Mark with ECN instead of dropping (<c>ecn</c>/<c>noecn</c>); <see langword="null"/> for the default.</summary>
    public bool? Ecn { get; init; }

    internal override void Validate()
    {
        base.Validate();
        foreach ((TimeSpan? time, string name) in new[] { (Target, nameof(Target)), (Interval, nameof(Interval)) })
        {
            if (time is { } t && (t <= TimeSpan.Zero || t.Ticks / 10 > uint.MaxValue))
            {
                throw new ArgumentOutOfRangeException(name, t, "fq_codel: a time must be more than 0 and at most 4294 seconds.");
            }
        }
    }

    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
        NestedAttribute options = writer.BeginNested(LinuxPktSched.TCA_OPTIONS);
        WriteIf(ref writer, LinuxPktSched.TCA_FQ_CODEL_LIMIT, Limit);
        WriteIf(ref writer, LinuxPktSched.TCA_FQ_CODEL_FLOWS, Flows);
        WriteIf(ref writer, LinuxPktSched.TCA_FQ_CODEL_QUANTUM, Quantum);
        WriteIf(ref writer, LinuxPktSched.TCA_FQ_CODEL_INTERVAL, Interval is { } i ? (uint)(i.Ticks / 10) : null);
        WriteIf(ref writer, LinuxPktSched.TCA_FQ_CODEL_TARGET, Target is { } t ? (uint)(t.Ticks / 10) : null);
        WriteIf(ref writer, LinuxPktSched.TCA_FQ_CODEL_ECN, Ecn is { } ecn ? (ecn ? 1u : 0u) : null);
        LinkMessages.EndNested(ref writer, options);
    }

    private static void WriteIf(ref NetlinkMessageWriter writer, ushort type, uint? value)
    {
        if (value is uint v)
        {
            writer.WriteUInt32(type, v);
        }
    }
}
