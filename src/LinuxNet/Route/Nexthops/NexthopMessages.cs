using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using static LinuxNet.LinuxNexthop;

namespace LinuxNet.Route;

/// <summary>
/// The one encoder and the one decoder of nexthop objects (<c>RTM_*NEXTHOP</c>) and their buckets
/// (<c>RTM_*NEXTHOPBUCKET</c>), byte for byte as iproute2's <c>ip nexthop</c> writes them (see TestData/iproute2/nexthop-*.txt).
/// </summary>
internal static class NexthopMessages
{
    private const NetlinkMessageFlags AddFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create;
    private const NetlinkMessageFlags ReplaceFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Replace | NetlinkMessageFlags.Create;
    private const NetlinkMessageFlags DumpFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump;

    /// <summary>
    /// <c>ip nexthop add|replace</c>: <c>NHA_ID</c>, then a group (<c>NHA_GROUP</c>, for a resilient group the
    /// <c>NHA_RES_GROUP</c> nest and <c>NHA_GROUP_TYPE</c>) or a blackhole or gateway and device, then <c>NHA_FDB</c>.
    /// </summary>
    internal static void Write(ref NetlinkMessageWriter writer, NexthopRequest request)
    {
        NexthopSpec spec = request.Spec;
        writer.BeginMessage(RTM_NEWNEXTHOP, request.Replace ? ReplaceFlags : AddFlags);
        writer.WriteHeader(new NhMsg
        {
            Family = KernelFamily.ToKernel(spec.EffectiveFamily),
            Protocol = spec.Protocol is { } protocol ? (byte)protocol : (byte)0,
            Flags = spec.OnLink ? LinuxRtnetlink.RTNH_F_ONLINK : 0u,
        });
        writer.WriteUInt32(NHA_ID, spec.Id);
        if (spec.IsGroup)
        {
            WriteGroup(ref writer, spec);
        }
        else if (spec.Blackhole)
        {
            writer.WriteFlag(NHA_BLACKHOLE);
        }
        else
        {
            if (spec.Gateway is { } gateway)
            {
                writer.WriteAddress(NHA_GATEWAY, gateway);
            }

            if (request.LinkIndex > 0)
            {
                writer.WriteUInt32(NHA_OIF, (uint)request.LinkIndex);
            }
        }

        if (spec.Fdb)
        {
            writer.WriteFlag(NHA_FDB);
        }

        writer.EndMessage();
    }

    /// <summary>The test entry: writes <paramref name="spec"/> with its device already resolved to <paramref name="linkIndex"/>.</summary>
    internal static int Write(Span<byte> buffer, NexthopSpec spec, bool replace, int linkIndex)
        => RequestPipeline.Encode(buffer, new NexthopRequest(spec, replace, linkIndex), Write);

    /// <summary><c>ip nexthop del id ID</c>.</summary>
    internal static void WriteDelete(ref NetlinkMessageWriter writer, uint id)
    {
        writer.BeginMessage(RTM_DELNEXTHOP, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(default(NhMsg));
        writer.WriteUInt32(NHA_ID, id);
        writer.EndMessage();
    }

    /// <summary><c>ip nexthop get id ID</c> (no <c>NLM_F_ACK</c>: the reply is the nexthop or an error).</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, uint id)
    {
        writer.BeginMessage(RTM_GETNEXTHOP, NetlinkMessageFlags.Request);
        writer.WriteHeader(default(NhMsg));
        writer.WriteUInt32(NHA_ID, id);
        writer.EndMessage();
    }

    /// <summary><c>ip nexthop show [dev DEV] [groups] [master DEV] [fdb]</c>: the kernel filters by the attributes present.</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, NexthopDumpRequest request)
    {
        writer.BeginMessage(RTM_GETNEXTHOP, DumpFlags);
        writer.WriteHeader(default(NhMsg));
        if (request.LinkIndex > 0)
        {
            writer.WriteUInt32(NHA_OIF, (uint)request.LinkIndex);
        }

        if (request.GroupsOnly)
        {
            writer.WriteFlag(NHA_GROUPS);
        }

        if (request.MasterIndex > 0)
        {
            writer.WriteUInt32(NHA_MASTER, (uint)request.MasterIndex);
        }

        if (request.FdbOnly)
        {
            writer.WriteFlag(NHA_FDB);
        }

        writer.EndMessage();
    }

    /// <summary><c>ip nexthop bucket show [id ID] [nhid ID] [dev DEV] [master DEV]</c>.</summary>
    internal static void WriteBucketDump(ref NetlinkMessageWriter writer, NexthopBucketDumpRequest request)
    {
        writer.BeginMessage(RTM_GETNEXTHOPBUCKET, DumpFlags);
        writer.WriteHeader(default(NhMsg));
        if (request.GroupId is { } group)
        {
            writer.WriteUInt32(NHA_ID, group);
        }

        if (request.NexthopId is { } member)
        {
            NestedAttribute nest = writer.BeginNested(NHA_RES_BUCKET);
            writer.WriteUInt32(NHA_RES_BUCKET_NH_ID, member);
            writer.EndNested(nest);
        }

        if (request.LinkIndex > 0)
        {
            writer.WriteUInt32(NHA_OIF, (uint)request.LinkIndex);
        }

        if (request.MasterIndex > 0)
        {
            writer.WriteUInt32(NHA_MASTER, (uint)request.MasterIndex);
        }

        writer.EndMessage();
    }

    /// <summary><c>ip nexthop bucket get id ID index INDEX</c>.</summary>
    internal static void WriteBucketGet(ref NetlinkMessageWriter writer, (uint GroupId, ushort Index) request)
    {
        writer.BeginMessage(RTM_GETNEXTHOPBUCKET, NetlinkMessageFlags.Request);
        writer.WriteHeader(default(NhMsg));
        writer.WriteUInt32(NHA_ID, request.GroupId);
        NestedAttribute nest = writer.BeginNested(NHA_RES_BUCKET);
        writer.WriteUInt16(NHA_RES_BUCKET_INDEX, request.Index);
        writer.EndNested(nest);
        writer.EndMessage();
    }

    /// <summary>Parses an <c>RTM_NEWNEXTHOP</c>/<c>RTM_DELNEXTHOP</c> message; <see langword="null"/> for other types.</summary>
    /// <exception cref="NetlinkProtocolException">The message is malformed (no <c>NHA_ID</c>, a group array not a multiple of 8 bytes…).</exception>
    internal static NexthopInfo? Parse(NetlinkMessage message)
    {
        if (message.Type is not (RTM_NEWNEXTHOP or RTM_DELNEXTHOP))
        {
            return null;
        }

        NhMsg header = message.ReadHeader<NhMsg>();
        uint? id = null;
        var info = new NexthopInfo(0);
        List<NexthopGroupMember>? group = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes<NhMsg>())
        {
            switch (attribute.Type)
            {
                case NHA_ID: id = attribute.GetUInt32(); break;
                case NHA_GROUP: group = ParseGroup(attribute.Value); break;
                case NHA_GROUP_TYPE: info.GroupType = (NexthopGroupType)attribute.GetUInt16(); break;
                case NHA_BLACKHOLE: info.IsBlackhole = true; break;
                case NHA_OIF: info.LinkIndex = attribute.GetInt32(); break;
                case NHA_GATEWAY: info.Gateway = attribute.GetIPAddress(); break;
                case NHA_FDB: info.IsFdb = true; break;
                case NHA_RES_GROUP: ParseResilient(attribute, info); break;
                default: break;
            }
        }

        if (id is not uint value)
        {
            throw new NetlinkProtocolException("A nexthop message carries no NHA_ID.");
        }

        var result = new NexthopInfo(value)
        {
            Family = KernelFamily.FromKernel(header.Family),
            Scope = (RouteScope)header.Scope,
            Protocol = (RouteProtocol)header.Protocol,
            Flags = (RouteNextHopFlags)header.Flags,
            Gateway = info.Gateway,
            LinkIndex = info.LinkIndex,
            IsBlackhole = info.IsBlackhole,
            IsFdb = info.IsFdb,
            GroupType = info.GroupType,
            Buckets = info.Buckets,
            IdleTimer = info.IdleTimer,
            UnbalancedTimer = info.UnbalancedTimer,
            UnbalancedTime = info.UnbalancedTime,
        };
        if (group is not null)
        {
            result.Group = group;
        }

        return result;
    }

    /// <summary>Parses an <c>RTM_NEWNEXTHOPBUCKET</c> message; <see langword="null"/> for other types.</summary>
    /// <exception cref="NetlinkProtocolException">The message is malformed.</exception>
    internal static NexthopBucketInfo? ParseBucket(NetlinkMessage message)
    {
        if (message.Type is not (RTM_NEWNEXTHOPBUCKET or RTM_DELNEXTHOPBUCKET))
        {
            return null;
        }

        NhMsg header = message.ReadHeader<NhMsg>();
        uint? group = null;
        int index = -1;
        ulong idle = 0;
        uint member = 0;
        foreach (NetlinkAttribute attribute in message.GetAttributes<NhMsg>())
        {
            switch (attribute.Type)
            {
                case NHA_ID:
                    group = attribute.GetUInt32();
                    break;
                case NHA_RES_BUCKET:
                    foreach (NetlinkAttribute nested in attribute.EnumerateNested())
                    {
                        switch (nested.Type)
                        {
                            case NHA_RES_BUCKET_INDEX: index = nested.GetUInt16(); break;
                            case NHA_RES_BUCKET_IDLE_TIME: idle = nested.GetUInt64(); break;
                            case NHA_RES_BUCKET_NH_ID: member = nested.GetUInt32(); break;
                            default: break;
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        if (group is not uint id || index < 0)
        {
            throw new NetlinkProtocolException("A nexthop bucket message lacks NHA_ID or NHA_RES_BUCKET_INDEX.");
        }

        return new NexthopBucketInfo(id)
        {
            Index = index,
            IdleTime = FromClockTicks(idle),
            NexthopId = member,
            Flags = (RouteNextHopFlags)header.Flags,
        };
    }

    private static void WriteGroup(ref NetlinkMessageWriter writer, NexthopSpec spec)
    {
        // An add is not a hot path: one small array per group request keeps the writer's span rules simple.
        var members = new NexthopGrp[spec.Group.Count];
        for (int i = 0; i < members.Length; i++)
        {
            NexthopGroupMember member = spec.Group[i];
            members[i] = new NexthopGrp { Id = member.Id, Weight = (byte)(member.Weight - 1) };
        }

        writer.WriteAttribute(NHA_GROUP, MemoryMarshal.AsBytes(members.AsSpan()));
        if (spec.GroupType != NexthopGroupType.Resilient)
        {
            return;
        }

        // ip always sends the nest for a resilient group, empty when no bucket count or timer is given.
        NestedAttribute nest = writer.BeginNested(NHA_RES_GROUP);
        if (spec.Buckets is { } buckets)
        {
            writer.WriteUInt16(NHA_RES_GROUP_BUCKETS, (ushort)buckets);
        }

        if (spec.IdleTimer is { } idle)
        {
            writer.WriteUInt32(NHA_RES_GROUP_IDLE_TIMER, LinkMessages.ToClockTicks(idle));
        }

        if (spec.UnbalancedTimer is { } unbalanced)
        {
            writer.WriteUInt32(NHA_RES_GROUP_UNBALANCED_TIMER, LinkMessages.ToClockTicks(unbalanced));
        }

        writer.EndNested(nest);
        writer.WriteUInt16(NHA_GROUP_TYPE, (ushort)spec.GroupType);
    }

    private static List<NexthopGroupMember> ParseGroup(ReadOnlySpan<byte> value)
    {
        int size = Marshal.SizeOf<NexthopGrp>();
        if (value.Length % size != 0)
        {
            throw new NetlinkProtocolException($"NHA_GROUP holds {value.Length} bytes, not a whole number of {size}-byte struct nexthop_grp.");
        }

        var members = new List<NexthopGroupMember>(value.Length / size);
        foreach (NexthopGrp member in MemoryMarshal.Cast<byte, NexthopGrp>(value))
        {
            members.Add(new NexthopGroupMember(member.Id, member.Weight + 1));
        }

        return members;
    }

    private static void ParseResilient(NetlinkAttribute attribute, NexthopInfo info)
    {
        foreach (NetlinkAttribute nested in attribute.EnumerateNested())
        {
            switch (nested.Type)
            {
                case NHA_RES_GROUP_BUCKETS: info.Buckets = nested.GetUInt16(); break;
                case NHA_RES_GROUP_IDLE_TIMER: info.IdleTimer = LinkMessages.FromClockTicks(nested.GetUInt32()); break;
                case NHA_RES_GROUP_UNBALANCED_TIMER: info.UnbalancedTimer = LinkMessages.FromClockTicks(nested.GetUInt32()); break;
                case NHA_RES_GROUP_UNBALANCED_TIME: info.UnbalancedTime = FromClockTicks(nested.GetUInt64()); break;
                default: break;
            }
        }
    }

    // clock_t as u64 (USER_HZ = 100).
    private static TimeSpan FromClockTicks(ulong ticks)
        => ticks > (ulong)(TimeSpan.MaxValue.Ticks / (TimeSpan.TicksPerSecond / 100)) ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks * (TimeSpan.TicksPerSecond / 100));
}
