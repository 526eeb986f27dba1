namespace LinuxNet.Route;

/// <summary>How a nexthop group spreads flows over its members (<c>ip nexthop add … group … type TYPE</c>).</summary>
/// <remarks>Kernel: <c>NHA_GROUP_TYPE</c>, <c>NEXTHOP_GRP_TYPE_*</c> in <c>linux/nexthop.h</c>.</remarks>
public enum NexthopGroupType : ushort
{
    /// <summary>Hash-threshold multipath (<c>type mpath</c>, the default): each member takes a share of the hash space by weight.</summary>
    Multipath = 0,

    /// <summary>
    /// Resilient (<c>type resilient</c>): a table of buckets, each owned by one member, so that adding or removing a member
    /// moves only the flows of the buckets that change owner.
    /// </summary>
    Resilient = 1,
}
