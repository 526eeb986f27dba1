namespace LinuxNet;

// /usr/include/linux/nexthop.h, with the nexthop message types and multicast group of /usr/include/linux/rtnetlink.h
// (kept here, beside the attributes they carry, so the nexthop area adds one file).
internal static class LinuxNexthop
{
    internal const ushort RTM_NEWNEXTHOP = 104;
    internal const ushort RTM_DELNEXTHOP = 105;
    internal const ushort RTM_GETNEXTHOP = 106;
    internal const ushort RTM_NEWNEXTHOPBUCKET = 116;
    internal const ushort RTM_DELNEXTHOPBUCKET = 117;
    internal const ushort RTM_GETNEXTHOPBUCKET = 118;

    internal const int RTNLGRP_NEXTHOP = 32;

    internal const ushort NEXTHOP_GRP_TYPE_MPATH = 0;
    internal const ushort NEXTHOP_GRP_TYPE_RES = 1;

    internal const ushort NHA_UNSPEC = 0;
    internal const ushort NHA_ID = 1;
    internal const ushort NHA_GROUP = 2;
    internal const ushort NHA_GROUP_TYPE = 3;
    internal const ushort NHA_BLACKHOLE = 4;
    internal const ushort NHA_OIF = 5;
    internal const ushort NHA_GATEWAY = 6;
    internal const ushort NHA_ENCAP_TYPE = 7;
    internal const ushort NHA_ENCAP = 8;
    internal const ushort NHA_GROUPS = 9;
    internal const ushort NHA_MASTER = 10;
    internal const ushort NHA_FDB = 11;
    internal const ushort NHA_RES_GROUP = 12;
    internal const ushort NHA_RES_BUCKET = 13;

    internal const ushort NHA_RES_GROUP_PAD = 0;
    internal const ushort NHA_RES_GROUP_BUCKETS = 1;
    internal const ushort NHA_RES_GROUP_IDLE_TIMER = 2;
    internal const ushort NHA_RES_GROUP_UNBALANCED_TIMER = 3;
    internal const ushort NHA_RES_GROUP_UNBALANCED_TIME = 4;

    internal const ushort NHA_RES_BUCKET_PAD = 0;
    internal const ushort NHA_RES_BUCKET_INDEX = 1;
    internal const ushort NHA_RES_BUCKET_IDLE_TIME = 2;
    internal const ushort NHA_RES_BUCKET_NH_ID = 3;
}
