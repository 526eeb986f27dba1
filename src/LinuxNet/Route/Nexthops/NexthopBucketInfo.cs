using System;

namespace LinuxNet.Route;

/// <summary>One bucket of a resilient nexthop group — one entry of <c>ip nexthop bucket show</c>.</summary>
public sealed class NexthopBucketInfo
{
    internal NexthopBucketInfo(uint groupId) => GroupId = groupId;

    /// <summary>The resilient group's id. Kernel: <c>NHA_ID</c>.</summary>
    public uint GroupId { get; }

    /// <summary>The bucket's index in the group, 0 to buckets - 1. Kernel: <c>NHA_RES_BUCKET_INDEX</c>.</summary>
    public int Index { get; internal set; }

    /// <summary>How long the bucket has carried no traffic. Kernel: <c>NHA_RES_BUCKET_IDLE_TIME</c> (1/100 s).</summary>
    public TimeSpan IdleTime { get; internal set; }

    /// <summary>The member nexthop that owns the bucket. Kernel: <c>NHA_RES_BUCKET_NH_ID</c>.</summary>
    public uint NexthopId { get; internal set; }

    /// <summary>The bucket's flags (<see cref="RouteNextHopFlags.Offload"/>, trap…). Kernel: <c>nh_flags</c>.</summary>
    public RouteNextHopFlags Flags { get; internal set; }

    /// <summary>Formats the bucket as <c>ip nexthop bucket show</c> does: <c>id 11 index 0 idle_time 1.5 nhid 1</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => FormattableString.Invariant($"id {GroupId} index {Index} idle_time {IdleTime.TotalSeconds:0.##} nhid {NexthopId}");
}
