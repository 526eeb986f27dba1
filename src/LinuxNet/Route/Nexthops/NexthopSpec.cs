using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>
/// A nexthop object to add or replace: <c>ip nexthop add id ID { [via ADDRESS] dev DEV [onlink] | blackhole |
/// via ADDRESS fdb | group ID[,WEIGHT]/… [type mpath|resilient [buckets N] [idle_timer S] [unbalanced_timer S]] [fdb] }
/// [proto PROTO]</c>.
/// </summary>
/// <remarks>
/// <para>
/// Three shapes: a single nexthop (a <see cref="Link"/>, with or without a <see cref="Gateway"/>), a
/// <see cref="Blackhole"/>, or a group (<see cref="Group"/> not empty). <see cref="Fdb"/> marks a nexthop (a gateway
/// without a device) or a group of them for the bridge FDB (VXLAN). Routes then name the nexthop with
/// <see cref="RouteSpec.NexthopId"/> (<c>ip route add … nhid ID</c>).
/// </para>
/// <para>
/// The kernel needs the device of a single nexthop to be up with carrier (<c>Carrier for nexthop device is down</c>),
/// and loopback up for a blackhole (<c>Device for nexthop is not up</c>); it refuses with that text.
/// </para>
/// </remarks>
public sealed class NexthopSpec
{
    /// <summary>A nexthop with the given id; set the other properties for its shape.</summary>
    /// <param name="id">The id, 1 to 4294967295 (<c>id ID</c>). 0, which asks the kernel to pick one, is refused when the spec is used.</param>
    public NexthopSpec(uint id) => Id = id;

    /// <summary>The nexthop's id (<c>id ID</c>). Kernel: <c>NHA_ID</c>.</summary>
    public uint Id { get; }

    /// <summary>
    /// The family of a single nexthop: <see cref="AddressFamily.Unspecified"/> (default) takes the gateway's, or IPv4 as
    /// <c>ip nexthop</c> does for a device-only nexthop or a blackhole; <see cref="AddressFamily.InterNetworkV6"/> is
    /// <c>ip -6 nexthop</c> (an IPv6 route needs an IPv6 or a group nexthop). Groups are always unspecified. Kernel: <c>nh_family</c>.
    /// </summary>
    public AddressFamily Family { get; set; }

    /// <summary>The gateway (<c>via ADDRESS</c>), IPv4 or IPv6; <see langword="null"/> for a device-only nexthop. Kernel: <c>NHA_GATEWAY</c>.</summary>
    public IPAddress? Gateway { get; set; }

    /// <summary>The output device (<c>dev DEV</c>); required for a single nexthop that is not a blackhole or FDB nexthop. Kernel: <c>NHA_OIF</c>.</summary>
    public LinkReference? Link { get; set; }

    /// <summary>Treat the gateway as directly on the link (<c>onlink</c>); needs a gateway and a device. Kernel: <c>RTNH_F_ONLINK</c>.</summary>
    public bool OnLink { get; set; }

    /// <summary>Drop what is routed through this nexthop (<c>blackhole</c>); takes no gateway, device or group. Kernel: <c>NHA_BLACKHOLE</c>.</summary>
    public bool Blackhole { get; set; }

    /// <summary>A nexthop (or group) for bridge FDB entries (<c>fdb</c>): a gateway without a device, or a group of FDB nexthops. Kernel: <c>NHA_FDB</c>.</summary>
    public bool Fdb { get; set; }

    /// <summary>Who installs the nexthop (<c>proto PROTO</c>); <see langword="null"/> leaves it unspecified, as <c>ip nexthop</c> does. Kernel: <c>nh_protocol</c>.</summary>
    public RouteProtocol? Protocol { get; set; }

    /// <summary>The members of a group (<c>group ID[,WEIGHT]/…</c>): ids of existing single nexthops, each once. Kernel: <c>NHA_GROUP</c>.</summary>
    public IList<NexthopGroupMember> Group { get; } = new List<NexthopGroupMember>();

    /// <summary>How a group spreads flows (<c>type mpath|resilient</c>). Kernel: <c>NHA_GROUP_TYPE</c>, sent for resilient groups only, as ip does.</summary>
    public NexthopGroupType GroupType { get; set; }

    /// <summary>For a resilient group: the number of buckets (<c>buckets N</c>), 1 to 65535; required (the kernel has no default). Kernel: <c>NHA_RES_GROUP_BUCKETS</c>.</summary>
    public int? Buckets { get; set; }

    /// <summary>
    /// For a resilient group: how long a bucket must be idle before it may be moved to another member (<c>idle_timer S</c>);
    /// <see langword="null"/> for the kernel's default (120 s). Kernel: <c>NHA_RES_GROUP_IDLE_TIMER</c>, in 1/100 s.
    /// </summary>
    public TimeSpan? IdleTimer { get; set; }

    /// <summary>
    /// For a resilient group: how long the group may stay unbalanced before busy buckets are moved too
    /// (<c>unbalanced_timer S</c>); <see langword="null"/> or zero for never. Kernel: <c>NHA_RES_GROUP_UNBALANCED_TIMER</c>, in 1/100 s.
    /// </summary>
    public TimeSpan? UnbalancedTimer { get; set; }

    /// <summary>Whether the spec describes a group.</summary>
    internal bool IsGroup => Group.Count > 0;

    /// <summary>The family written in <c>nh_family</c>, after defaulting as <c>ip nexthop</c> does.</summary>
    internal AddressFamily EffectiveFamily
        => IsGroup ? AddressFamily.Unspecified
            : Family != AddressFamily.Unspecified ? Family
            : Gateway?.AddressFamily ?? AddressFamily.InterNetwork;

    /// <summary>Formats the spec as the arguments of <c>ip nexthop add</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        System.Text.StringBuilder text = NexthopInfo.StartText(Id, Group, GroupType, Gateway);

        if (Link is { } link)
        {
            text.Append(" dev ").Append(link);
        }

        text.Append(Blackhole ? " blackhole" : "").Append(OnLink ? " onlink" : "").Append(Fdb ? " fdb" : "");
        return text.ToString();
    }

    /// <summary>Throws <see cref="ArgumentException"/> for everything the kernel would refuse on sight.</summary>
    internal void Validate()
    {
        string name = "spec";
        if (Id == 0)
        {
            throw new ArgumentException("A nexthop id is 1 to 4294967295; 0 (let the kernel pick) is not supported, since the id is how routes and groups name the nexthop.", name);
        }

        if (Family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"A nexthop's family is InterNetwork or InterNetworkV6, not {Family}.", name);
        }

        if (Gateway is { } gateway)
        {
            KernelFamily.ValidateAddress(gateway, name);
            if (Family != AddressFamily.Unspecified && gateway.AddressFamily != Family)
            {
                throw new ArgumentException($"The gateway {gateway} is not of the nexthop's family {Family}.", name);
            }
        }

        Link?.Validate(name, allowAlternativeName: true);
        if (IsGroup)
        {
            ValidateGroup(name);
            return;
        }

        if (GroupType != NexthopGroupType.Multipath || Buckets is not null || IdleTimer is not null || UnbalancedTimer is not null)
        {
            throw new ArgumentException("A group type, buckets and timers need group members (Group).", name);
        }

        if (Blackhole)
        {
            if (Gateway is not null || Link is not null || OnLink || Fdb)
            {
                throw new ArgumentException("A blackhole nexthop takes no gateway, device, onlink or fdb.", name);
            }

            return;
        }

        if (Fdb)
        {
            if (Gateway is null || Link is not null || OnLink)
            {
                throw new ArgumentException("An FDB nexthop has a gateway and no device or onlink (ip nexthop add id ID via ADDRESS fdb).", name);
            }

            return;
        }

        if (Link is null)
        {
            throw new ArgumentException("A nexthop needs a device (dev), unless it is a blackhole, an FDB nexthop or a group.", name);
        }

        if (OnLink && Gateway is null)
        {
            throw new ArgumentException("An onlink nexthop needs a gateway (via).", name);
        }
    }

    private void ValidateGroup(string name)
    {
        if (Gateway is not null || Link is not null || OnLink || Blackhole)
        {
            throw new ArgumentException("A nexthop group takes its paths from its members: no gateway, device, onlink or blackhole.", name);
        }

        if (Family != AddressFamily.Unspecified)
        {
            throw new ArgumentException("A nexthop group has no family of its own (its members have one).", name);
        }

        if (GroupType is not (NexthopGroupType.Multipath or NexthopGroupType.Resilient))
        {
            throw new ArgumentException($"{GroupType} is not a nexthop group type.", name);
        }

        var seen = new HashSet<uint>();
        foreach (NexthopGroupMember member in Group)
        {
            if (member.Id == 0)
            {
                throw new ArgumentException("A group member's id is 1 to 4294967295, not 0.", name);
            }

            if (member.Id == Id)
            {
                throw new ArgumentException($"The group {Id} names itself as a member.", name);
            }

            if (!seen.Add(member.Id))
            {
                throw new ArgumentException($"Nexthop id can not be used twice in a group: group {Id} names member {member.Id} more than once.", name);
            }

            if (member.Weight is < 1 or > NexthopGroupMember.MaxWeight)
            {
                throw new ArgumentException($"The weight of member {member.Id} is {member.Weight}; a weight is 1 to {NexthopGroupMember.MaxWeight}.", name);
            }
        }

        if (GroupType != NexthopGroupType.Resilient)
        {
            if (Buckets is not null || IdleTimer is not null || UnbalancedTimer is not null)
            {
                throw new ArgumentException("Buckets and timers are for resilient groups (GroupType = Resilient).", name);
            }

            return;
        }

        if (Buckets is not { } buckets)
        {
            throw new ArgumentException("A resilient group needs its number of buckets (Buckets, 1 to 65535): the kernel has no default.", name);
        }

        if (buckets < 1 || buckets > ushort.MaxValue)
        {
            throw new ArgumentException($"Number of buckets needs to be non-0 and at most {ushort.MaxValue}, not {buckets}.", name);
        }

        CheckTimer(IdleTimer, nameof(IdleTimer), name);
        CheckTimer(UnbalancedTimer, nameof(UnbalancedTimer), name);
    }

    private static void CheckTimer(TimeSpan? timer, string what, string name)
    {
        if (timer is { } value && (value < TimeSpan.Zero || LinkMessages.ToClockTicksChecked(value) is null))
        {
            throw new ArgumentException($"{what} {value} is negative or too long for the kernel's 32-bit count of 1/100 s.", name);
        }
    }
}
