using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A hierarchical token bucket qdisc, the root of a tree of <see cref="HtbClassSpec"/> classes.
/// <c>tc qdisc add dev DEV root handle 1: htb [default MINOR] [r2q N] [direct_qlen N]</c>.
/// </summary>
public sealed class HtbQdiscSpec : QdiscSpec
{
    /// <summary>Describes an htb qdisc.</summary>
    /// <param name="link">The device.</param>
    public HtbQdiscSpec(LinkReference link)
        : base(link)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "htb";

    /// <summary>The minor number of the class unclassified traffic goes to (<c>default</c>, hexadecimal in tc: <c>default 10</c> is 0x10); 0 sends it unshaped.</summary>
    public uint DefaultClass { get; init; }

    /// <summary>Divides a class's rate to get its default quantum (<c>r2q</c>, default 10).</summary>
    public uint RateToQuantum { get; init; } = 10;

    /// <summary>The queue length for unclassified packets sent directly (<c>direct_qlen</c>); <see langword="null"/> for the device's queue length.</summary>
    public uint? DirectQueueLength { get; init; }

    internal override void Validate()
    {
        base.Validate();
        if (DefaultClass > 0xFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultClass), DefaultClass, "htb: the default class is a minor number, at most 0xffff.");
        }

        if (RateToQuantum == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RateToQuantum), RateToQuantum, "htb: r2q must be more than 0.");
        }
    }

    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
        NestedAttribute options = writer.BeginNested(LinuxPktSched.TCA_OPTIONS);
        writer.WriteStruct(LinuxPktSched.TCA_HTB_INIT, new TcHtbGlob { Version = LinuxPktSched.TC_HTB_PROTOVER, RateToQuantum = RateToQuantum, DefaultClass = DefaultClass });
        if (DirectQueueLength is uint direct)
        {
            writer.WriteUInt32(LinuxPktSched.TCA_HTB_DIRECT_QLEN, direct);
        }

        LinkMessages.EndNested(ref writer, options);
    }
}
