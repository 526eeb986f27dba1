using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>A nexthop object as the kernel reported it — one entry of <c>ip nexthop show</c>.</summary>
/// <remarks>A snapshot; it does not change when the nexthop does. Read by <see cref="NexthopManager"/> and from monitor events.</remarks>
public sealed class NexthopInfo
{
    internal NexthopInfo(uint id) => Id = id;

    /// <summary>The id. Kernel: <c>NHA_ID</c>.</summary>
    public uint Id { get; }

    /// <summary>IPv4 or IPv6 for a single nexthop; <see cref="AddressFamily.Unspecified"/> for a group. Kernel: <c>nh_family</c>.</summary>
    public AddressFamily Family { get; internal set; }

    /// <summary>The scope the kernel derived (<c>link</c> for a device-only nexthop, <c>universe</c> with a gateway). Kernel: <c>nh_scope</c>.</summary>
    public RouteScope Scope { get; internal set; }

    /// <summary>Who installed the nexthop (<c>proto</c>). Kernel: <c>nh_protocol</c>.</summary>
    public RouteProtocol Protocol { get; internal set; }

    /// <summary>The nexthop's flags: <see cref="RouteNextHopFlags.OnLink"/>, <see cref="RouteNextHopFlags.Dead"/>, <see cref="RouteNextHopFlags.LinkDown"/>…. Kernel: <c>nh_flags</c>.</summary>
    public RouteNextHopFlags Flags { get; internal set; }

    /// <summary>The gateway (<c>via</c>), or <see langword="null"/>. Kernel: <c>NHA_GATEWAY</c>.</summary>
    public IPAddress? Gateway { get; internal set; }

    /// <summary>The output device's index (<c>dev</c>), or 0 for a blackhole, an FDB nexthop or a group. Kernel: <c>NHA_OIF</c>.</summary>
    public int LinkIndex { get; internal set; }

    /// <summary>Whether the nexthop drops what is routed through it (<c>blackhole</c>). Kernel: <c>NHA_BLACKHOLE</c>.</summary>
    public bool IsBlackhole { get; internal set; }

    /// <summary>Whether the nexthop (or group) is for the bridge FDB (<c>fdb</c>). Kernel: <c>NHA_FDB</c>.</summary>
    public bool IsFdb { get; internal set; }

    /// <summary>The members of a group with their weights; empty for a single nexthop. Kernel: <c>NHA_GROUP</c>.</summary>
    public IReadOnlyList<NexthopGroupMember> Group { get; internal set; } = Array.Empty<NexthopGroupMember>();

    /// <summary>Whether this is a group.</summary>
    public bool IsGroup => Group.Count > 0;

    /// <summary>The group's type; <see cref="NexthopGroupType.Multipath"/> for single nexthops too. Kernel: <c>NHA_GROUP_TYPE</c>.</summary>
    public NexthopGroupType GroupType { get; internal set; }

    /// <summary>A resilient group's number of buckets, or <see langword="null"/>. Kernel: <c>NHA_RES_GROUP_BUCKETS</c>.</summary>
    public int? Buckets { get; internal set; }

    /// <summary>A resilient group's idle timer, or <see langword="null"/>. Kernel: <c>NHA_RES_GROUP_IDLE_TIMER</c>.</summary>
    public TimeSpan? IdleTimer { get; internal set; }

    /// <summary>A resilient group's unbalanced timer (zero: never forced), or <see langword="null"/>. Kernel: <c>NHA_RES_GROUP_UNBALANCED_TIMER</c>.</summary>
    public TimeSpan? UnbalancedTimer { get; internal set; }

    /// <summary>How long a resilient group has been unbalanced, or <see langword="null"/>. Kernel: <c>NHA_RES_GROUP_UNBALANCED_TIME</c>.</summary>
    public TimeSpan? UnbalancedTime { get; internal set; }

    /// <summary>Formats the nexthop as <c>ip nexthop show</c> does, with the device as <c>#INDEX</c>: <c>id 1 via 198.51.100.2 dev #3 scope link</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        System.Text.StringBuilder text = StartText(Id, Group, GroupType, Gateway);

        if (LinkIndex != 0)
        {
            text.Append(" dev #").Append(LinkIndex);
        }

        text.Append(IsBlackhole ? " blackhole" : "").Append(IsFdb ? " fdb" : "");
        return text.ToString();
    }

    /// <summary>The words a spec and a read nexthop share: <c>id ID [group …] [type resilient] [via GATEWAY]</c>.</summary>
    internal static System.Text.StringBuilder StartText(uint id, IEnumerable<NexthopGroupMember> group, NexthopGroupType type, IPAddress? gateway)
    {
        var text = new System.Text.StringBuilder("id ").Append(id);
        string members = string.Join("/", group);
        if (members.Length > 0)
        {
            text.Append(" group ").Append(members).Append(type == NexthopGroupType.Resilient ? " type resilient" : "");
        }

        return gateway is null ? text : text.Append(" via ").Append(gateway);
    }
}
