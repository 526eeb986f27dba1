using System;
using LinuxNet.Netlink;
using static LinuxNet.LinuxIfLink;

namespace LinuxNet.Route;

/// <summary>A bridge (<c>ip link add NAME type bridge [stp_state 1] [forward_delay …] [vlan_filtering 1] …</c>).</summary>
/// <remarks>Settings left <see langword="null"/> keep the kernel's defaults; with none set the request carries no kind data, like iproute2's.</remarks>
public sealed class BridgeLinkSpec : LinkSpec
{
    /// <summary>Describes a bridge.</summary>
    /// <param name="name">The bridge's name.</param>
    public BridgeLinkSpec(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "bridge";

    /// <summary>Turns spanning tree on or off. Kernel: <c>IFLA_BR_STP_STATE</c>.</summary>
    public bool? StpEnabled { get; init; }

    /// <summary>The STP forward delay (2–30 s when STP is on), in steps of 10 ms. Kernel: <c>IFLA_BR_FORWARD_DELAY</c>.</summary>
    public TimeSpan? ForwardDelay { get; init; }

    /// <summary>The STP hello time, in steps of 10 ms. Kernel: <c>IFLA_BR_HELLO_TIME</c>.</summary>
    public TimeSpan? HelloTime { get; init; }

    /// <summary>The STP maximum message age, in steps of 10 ms. Kernel: <c>IFLA_BR_MAX_AGE</c>.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>How long learned MACs are kept, in steps of 10 ms. Kernel: <c>IFLA_BR_AGEING_TIME</c>.</summary>
    public TimeSpan? AgeingTime { get; init; }

    /// <summary>The bridge priority. Kernel: <c>IFLA_BR_PRIORITY</c>.</summary>
    public ushort? Priority { get; init; }

    /// <summary>Turns VLAN filtering on or off. Kernel: <c>IFLA_BR_VLAN_FILTERING</c>.</summary>
    public bool? VlanFiltering { get; init; }

    /// <summary>The default port VLAN id (1–4094, or 0 for none). Kernel: <c>IFLA_BR_VLAN_DEFAULT_PVID</c>.</summary>
    public ushort? VlanDefaultPvid { get; init; }

    internal override bool HasInfoData
        => StpEnabled.HasValue || ForwardDelay.HasValue || HelloTime.HasValue || MaxAge.HasValue || AgeingTime.HasValue
            || Priority.HasValue || VlanFiltering.HasValue || VlanDefaultPvid.HasValue;

    internal override string? OptionalKernelFeatures
        => VlanFiltering.HasValue || VlanDefaultPvid.HasValue
            ? "vlan_filtering / vlan_default_pvid (BridgeLinkSpec.VlanFiltering, VlanDefaultPvid; IFLA_BR_VLAN_FILTERING, IFLA_BR_VLAN_DEFAULT_PVID: the kernel needs CONFIG_BRIDGE_VLAN_FILTERING)"
            : null;

    internal override void Validate()
    {
        base.Validate();
        CheckTime(ForwardDelay, nameof(ForwardDelay));
        CheckTime(HelloTime, nameof(HelloTime));
        CheckTime(MaxAge, nameof(MaxAge));
        CheckTime(AgeingTime, nameof(AgeingTime));
        if (VlanDefaultPvid is > 4094)
        {
            throw new ArgumentOutOfRangeException(nameof(VlanDefaultPvid), VlanDefaultPvid, "A VLAN id is at most 4094.");
        }
    }

    internal override void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
        if (ForwardDelay is TimeSpan forwardDelay)
        {
            writer.WriteUInt32(IFLA_BR_FORWARD_DELAY, LinkMessages.ToClockTicks(forwardDelay));
        }

        if (HelloTime is TimeSpan helloTime)
        {
            writer.WriteUInt32(IFLA_BR_HELLO_TIME, LinkMessages.ToClockTicks(helloTime));
        }

        if (MaxAge is TimeSpan maxAge)
        {
            writer.WriteUInt32(IFLA_BR_MAX_AGE, LinkMessages.ToClockTicks(maxAge));
        }

        if (AgeingTime is TimeSpan ageingTime)
        {
            writer.WriteUInt32(IFLA_BR_AGEING_TIME, LinkMessages.ToClockTicks(ageingTime));
        }

        if (StpEnabled is bool stp)
        {
            writer.WriteUInt32(IFLA_BR_STP_STATE, stp ? 1u : 0u);
        }

        if (Priority is ushort priority)
        {
            writer.WriteUInt16(IFLA_BR_PRIORITY, priority);
        }

        if (VlanFiltering is bool filtering)
        {
            writer.WriteUInt8(IFLA_BR_VLAN_FILTERING, filtering ? (byte)1 : (byte)0);
        }

        if (VlanDefaultPvid is ushort pvid)
        {
            writer.WriteUInt16(IFLA_BR_VLAN_DEFAULT_PVID, pvid);
        }
    }

    private static void CheckTime(TimeSpan? time, string name)
    {
        if (time is TimeSpan t && (t < TimeSpan.Zero || LinkMessages.ToClockTicksChecked(t) is null))
        {
            throw new ArgumentOutOfRangeException(name, t, "A bridge time must be between 0 and about 497 days (hundredths of a second in 32 bits).");
        }
    }
}
