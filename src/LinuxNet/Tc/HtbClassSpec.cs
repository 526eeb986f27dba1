using System;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// An htb class: a guaranteed <see cref="Rate"/>, borrowing up to <see cref="Ceiling"/>.
/// <c>tc class add dev DEV parent 1: classid 1:10 htb rate RATE [ceil RATE] [burst BYTES] [cburst BYTES] [prio N] [quantum BYTES]</c>.
/// </summary>
/// <remarks>
/// The request carries both rate tables (<c>TCA_HTB_RTAB</c>, <c>TCA_HTB_CTAB</c>) and the bursts as times in scheduler
/// ticks, computed from <c>/proc/net/psched</c> exactly as <c>tc</c> computes them (an unset burst is
/// <c>rate / HZ + 1600</c>, tc's default).
/// </remarks>
public sealed class HtbClassSpec : TcClassSpec
{
    /// <summary>The MTU tc assumes for htb's rate tables and default bursts.</summary>
    public const uint Mtu = 1600;

    /// <summary>Describes an htb class.</summary>
    /// <param name="link">The device.</param>
    /// <param name="classId">The class id (<c>1:10</c>).</param>
    /// <param name="rate">The guaranteed rate in bytes per second (<c>rate 5mbit</c> is 625,000).</param>
    public HtbClassSpec(LinkReference link, TcHandle classId, ulong rate)
        : base(link, classId)
        => Rate = rate;

    /// <inheritdoc/>
    public override string Kind => "htb";

    /// <summary>The guaranteed rate in bytes per second (<c>rate</c>).</summary>
    public ulong Rate { get; }

    /// <summary>The most the class may use by borrowing, in bytes per second (<c>ceil</c>); <see langword="null"/> for <see cref="Rate"/>.</summary>
    public ulong? Ceiling { get; init; }

    /// <summary>Bytes that may be sent at full speed at once (<c>burst</c>); <see langword="null"/> for tc's default.</summary>
    public uint? Burst { get; init; }

    /// <summary>Bytes that may be sent at full speed at the ceiling (<c>cburst</c>); <see langword="null"/> for tc's default.</summary>
    public uint? CeilingBurst { get; init; }

    /// <summary>The priority, 0 (first) to 7 (<c>prio</c>).</summary>
    public uint Priority { get; init; }

    /// <summary>Bytes served per round when borrowing (<c>quantum</c>); 0 lets the kernel compute it from the rate and r2q.</summary>
    public uint Quantum { get; init; }

    internal override void Validate()
    {
        base.Validate();
        if (Rate == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "htb: the rate must be more than 0.");
        }

        if (Ceiling is { } ceil && ceil < Rate)
        {
            throw new ArgumentOutOfRangeException(nameof(Ceiling), ceil, "htb: the ceiling must be at least the rate.");
        }

        if (Priority > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(Priority), Priority, "htb: the priority is 0 to 7.");
        }

        if (Burst == 0 || CeilingBurst == 0)
        {
            throw new ArgumentOutOfRangeException(Burst == 0 ? nameof(Burst) : nameof(CeilingBurst), 0, "htb: a burst must be more than 0.");
        }
    }

    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
        ulong ceil = Ceiling ?? Rate;
        uint buffer = Burst ?? (uint)((Rate / (ulong)clock.Hz) + Mtu);
        uint cbuffer = CeilingBurst ?? (uint)((ceil / (ulong)clock.Hz) + Mtu);
        var opt = new TcHtbOpt { Prio = Priority, Quantum = Quantum };
        opt.Rate.Rate = Rate >= 1UL << 32 ? uint.MaxValue : (uint)Rate;
        opt.Ceil.Rate = ceil >= 1UL << 32 ? uint.MaxValue : (uint)ceil;
        uint[] rtab = new uint[256];
        uint[] ctab = new uint[256];
        clock.FillRateTable(ref opt.Rate, opt.Rate.Rate, Mtu, rtab);
        opt.Buffer = clock.TransmitTime(Rate, buffer);
        clock.FillRateTable(ref opt.Ceil, opt.Ceil.Rate, Mtu, ctab);
        opt.CBuffer = clock.TransmitTime(ceil, cbuffer);

        NestedAttribute options = writer.BeginNested(LinuxPktSched.TCA_OPTIONS);
        if (Rate >= 1UL << 32)
        {
            writer.WriteUInt64(LinuxPktSched.TCA_HTB_RATE64, Rate);
        }

        if (ceil >= 1UL << 32)
        {
            writer.WriteUInt64(LinuxPktSched.TCA_HTB_CEIL64, ceil);
        }

        writer.WriteStruct(LinuxPktSched.TCA_HTB_PARMS, opt);
        writer.WriteAttribute(LinuxPktSched.TCA_HTB_RTAB, MemoryMarshal.AsBytes(rtab.AsSpan()));
        writer.WriteAttribute(LinuxPktSched.TCA_HTB_CTAB, MemoryMarshal.AsBytes(ctab.AsSpan()));
        LinkMessages.EndNested(ref writer, options);
    }
}
