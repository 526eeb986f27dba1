namespace LinuxNet;

// /usr/include/linux/rtnetlink.h
internal static class LinuxRtnetlink
{
    internal const ushort RTM_NEWLINK = 16;
    internal const ushort RTM_DELLINK = 17;
    internal const ushort RTM_GETLINK = 18;
    internal const ushort RTM_SETLINK = 19;
    internal const ushort RTM_NEWADDR = 20;
    internal const ushort RTM_DELADDR = 21;
    internal const ushort RTM_GETADDR = 22;
    internal const ushort RTM_NEWROUTE = 24;
    internal const ushort RTM_DELROUTE = 25;
    internal const ushort RTM_GETROUTE = 26;
    internal const ushort RTM_NEWNEIGH = 28;
    internal const ushort RTM_DELNEIGH = 29;
    internal const ushort RTM_GETNEIGH = 30;
    internal const ushort RTM_NEWRULE = 32;
    internal const ushort RTM_DELRULE = 33;
    internal const ushort RTM_GETRULE = 34;
    internal const ushort RTM_NEWNSID = 88;
    internal const ushort RTM_DELNSID = 89;
    internal const ushort RTM_GETNSID = 90;

    // enum rt_class_t
    internal const byte RT_TABLE_UNSPEC = 0;
    internal const byte RT_TABLE_COMPAT = 252;
    internal const byte RT_TABLE_DEFAULT = 253;
    internal const byte RT_TABLE_MAIN = 254;
    internal const byte RT_TABLE_LOCAL = 255;

    // rtm_type
    internal const byte RTN_UNSPEC = 0;
    internal const byte RTN_UNICAST = 1;
    internal const byte RTN_LOCAL = 2;
    internal const byte RTN_BROADCAST = 3;
    internal const byte RTN_ANYCAST = 4;
    internal const byte RTN_MULTICAST = 5;
    internal const byte RTN_BLACKHOLE = 6;
    internal const byte RTN_UNREACHABLE = 7;
    internal const byte RTN_PROHIBIT = 8;
    internal const byte RTN_THROW = 9;
    internal const byte RTN_NAT = 10;

    // rtm_protocol
    internal const byte RTPROT_UNSPEC = 0;
    internal const byte RTPROT_REDIRECT = 1;
    internal const byte RTPROT_KERNEL = 2;
    internal const byte RTPROT_BOOT = 3;
    internal const byte RTPROT_STATIC = 4;

    // rtm_scope
    internal const byte RT_SCOPE_UNIVERSE = 0;
    internal const byte RT_SCOPE_SITE = 200;
    internal const byte RT_SCOPE_LINK = 253;
    internal const byte RT_SCOPE_HOST = 254;
    internal const byte RT_SCOPE_NOWHERE = 255;

    // rtm_flags
    internal const uint RTM_F_NOTIFY = 0x100;
    internal const uint RTM_F_CLONED = 0x200;
    internal const uint RTM_F_LOOKUP_TABLE = 0x1000;
    internal const uint RTM_F_FIB_MATCH = 0x2000;

    // enum rtattr_type_t
    internal const ushort RTA_UNSPEC = 0;
    internal const ushort RTA_DST = 1;
    internal const ushort RTA_SRC = 2;
    internal const ushort RTA_IIF = 3;
    internal const ushort RTA_OIF = 4;
    internal const ushort RTA_GATEWAY = 5;
    internal const ushort RTA_PRIORITY = 6;
    internal const ushort RTA_PREFSRC = 7;
    internal const ushort RTA_METRICS = 8;
    internal const ushort RTA_MULTIPATH = 9;
    internal const ushort RTA_FLOW = 11;
    internal const ushort RTA_CACHEINFO = 12;
    internal const ushort RTA_TABLE = 15;
    internal const ushort RTA_MARK = 16;
    internal const ushort RTA_MFC_STATS = 17;
    internal const ushort RTA_VIA = 18;
    internal const ushort RTA_NEWDST = 19;
    internal const ushort RTA_PREF = 20;
    internal const ushort RTA_ENCAP_TYPE = 21;
    internal const ushort RTA_ENCAP = 22;
    internal const ushort RTA_EXPIRES = 23;
    internal const ushort RTA_PAD = 24;
    internal const ushort RTA_UID = 25;
    internal const ushort RTA_TTL_PROPAGATE = 26;
    internal const ushort RTA_IP_PROTO = 27;
    internal const ushort RTA_SPORT = 28;
    internal const ushort RTA_DPORT = 29;
    internal const ushort RTA_NH_ID = 30;

    // struct rtnexthop flags
    internal const byte RTNH_F_DEAD = 1;
    internal const byte RTNH_F_PERVASIVE = 2;
    internal const byte RTNH_F_ONLINK = 4;
    internal const byte RTNH_F_OFFLOAD = 8;
    internal const byte RTNH_F_LINKDOWN = 16;
    internal const byte RTNH_F_UNRESOLVED = 32;

    // RTAX_* (RTA_METRICS)
    internal const ushort RTAX_LOCK = 1;
    internal const ushort RTAX_MTU = 2;
    internal const ushort RTAX_WINDOW = 3;
    internal const ushort RTAX_RTT = 4;
    internal const ushort RTAX_RTTVAR = 5;
    internal const ushort RTAX_SSTHRESH = 6;
    internal const ushort RTAX_CWND = 7;
    internal const ushort RTAX_ADVMSS = 8;
    internal const ushort RTAX_REORDERING = 9;
    internal const ushort RTAX_HOPLIMIT = 10;
    internal const ushort RTAX_INITCWND = 11;
    internal const ushort RTAX_FEATURES = 12;
    internal const ushort RTAX_RTO_MIN = 13;
    internal const ushort RTAX_INITRWND = 14;
    internal const ushort RTAX_QUICKACK = 15;

    // enum rtnetlink_groups
    internal const int RTNLGRP_LINK = 1;
    internal const int RTNLGRP_NOTIFY = 2;
    internal const int RTNLGRP_NEIGH = 3;
    internal const int RTNLGRP_TC = 4;
    internal const int RTNLGRP_IPV4_IFADDR = 5;
    internal const int RTNLGRP_IPV4_MROUTE = 6;
    internal const int RTNLGRP_IPV4_ROUTE = 7;
    internal const int RTNLGRP_IPV4_RULE = 8;
    internal const int RTNLGRP_IPV6_IFADDR = 9;
    internal const int RTNLGRP_IPV6_MROUTE = 10;
    internal const int RTNLGRP_IPV6_ROUTE = 11;
    internal const int RTNLGRP_IPV6_IFINFO = 12;
    internal const int RTNLGRP_IPV6_PREFIX = 18;
    internal const int RTNLGRP_IPV6_RULE = 19;
    internal const int RTNLGRP_NSID = 28;

    // RTEXT_FILTER_* for IFLA_EXT_MASK
    internal const uint RTEXT_FILTER_VF = 1 << 0;
    internal const uint RTEXT_FILTER_BRVLAN = 1 << 1;
    internal const uint RTEXT_FILTER_SKIP_STATS = 1 << 3;
}
