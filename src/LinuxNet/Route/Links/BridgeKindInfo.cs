using System;

namespace LinuxNet.Route;

/// <summary>A bridge's settings, as <c>ip -d link show</c> prints after <c>bridge</c>.</summary>
/// <remarks>Times travel over netlink in hundredths of a second (<c>clock_t</c>); they are converted to <see cref="TimeSpan"/>.</remarks>
public sealed class BridgeKindInfo : LinkKindInfo
{
    internal BridgeKindInfo()
        : base("bridge")
    {
    }

    /// <summary>The STP forward delay. Kernel: <c>IFLA_BR_FORWARD_DELAY</c>.</summary>
    public TimeSpan ForwardDelay { get; internal set; }

    /// <summary>The STP hello time. Kernel: <c>IFLA_BR_HELLO_TIME</c>.</summary>
    public TimeSpan HelloTime { get; internal set; }

    /// <summary>The STP maximum message age. Kernel: <c>IFLA_BR_MAX_AGE</c>.</summary>
    public TimeSpan MaxAge { get; internal set; }

    /// <summary>How long learned MAC addresses are kept. Kernel: <c>IFLA_BR_AGEING_TIME</c>.</summary>
    public TimeSpan AgeingTime { get; internal set; }

    /// <summary>Whether spanning tree runs (<c>stp_state</c> non-zero). Kernel: <c>IFLA_BR_STP_STATE</c>.</summary>
    public bool StpEnabled { get; internal set; }

    /// <summary>The bridge priority. Kernel: <c>IFLA_BR_PRIORITY</c>.</summary>
    public ushort Priority { get; internal set; }

    /// <summary>Whether VLAN filtering is on; <see langword="null"/> when the kernel did not say. Kernel: <c>IFLA_BR_VLAN_FILTERING</c>.</summary>
    public bool? VlanFiltering { get; internal set; }

    /// <summary>
    /// The VLAN protocol (0x8100 or 0x88a8); <see langword="null"/> when the kernel did not send it (a kernel without
    /// <c>CONFIG_BRIDGE_VLAN_FILTERING</c> sends neither this nor <see cref="VlanDefaultPvid"/>, and ip prints neither).
    /// Kernel: <c>IFLA_BR_VLAN_PROTOCOL</c> (network byte order).
    /// </summary>
    public ushort? VlanProtocol { get; internal set; }

    /// <summary>The default port VLAN id; <see langword="null"/> when the kernel did not send it. Kernel: <c>IFLA_BR_VLAN_DEFAULT_PVID</c>.</summary>
    public ushort? VlanDefaultPvid { get; internal set; }

    /// <summary>Whether multicast snooping is on; <see langword="null"/> when the kernel did not say (no <c>CONFIG_BRIDGE_IGMP_SNOOPING</c>). Kernel: <c>IFLA_BR_MCAST_SNOOPING</c>.</summary>
    public bool? MulticastSnooping { get; internal set; }
}
