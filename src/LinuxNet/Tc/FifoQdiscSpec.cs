using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>A first-in first-out queue with a limit: <see cref="PfifoQdiscSpec"/> (packets) or <see cref="BfifoQdiscSpec"/> (bytes).</summary>
public abstract class FifoQdiscSpec : QdiscSpec
{
    private protected FifoQdiscSpec(LinkReference link)
        : base(link)
    {
    }

    /// <summary>The queue limit (<c>limit</c>): packets for pfifo, bytes for bfifo; <see langword="null"/> for the kernel's default (from the device's queue length).</summary>
    public uint? Limit { get; init; }

    internal override void Validate()
    {
        base.Validate();
        if (Limit == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"{Kind}: the limit must be more than 0.");
        }
    }

    // struct tc_fifo_qopt is TCA_OPTIONS' whole payload, not a nest; tc sends it only with a limit.
    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
        if (Limit is uint limit)
        {
            writer.WriteUInt32(LinuxPktSched.TCA_OPTIONS, limit);
        }
    }
}
