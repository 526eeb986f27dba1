using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    private static readonly string[] RouteAttributeNames =
    {
        "RTA_UNSPEC", "RTA_DST", "RTA_SRC", "RTA_IIF", "RTA_OIF", "RTA_GATEWAY", "RTA_PRIORITY", "RTA_PREFSRC",
        "RTA_METRICS", "RTA_MULTIPATH", "RTA_PROTOINFO", "RTA_FLOW", "RTA_CACHEINFO", "RTA_SESSION", "RTA_MP_ALGO",
        "RTA_TABLE", "RTA_MARK", "RTA_MFC_STATS", "RTA_VIA", "RTA_NEWDST", "RTA_PREF", "RTA_ENCAP_TYPE", "RTA_ENCAP",
        "RTA_EXPIRES", "RTA_PAD", "RTA_UID", "RTA_TTL_PROPAGATE", "RTA_IP_PROTO", "RTA_SPORT", "RTA_DPORT", "RTA_NH_ID",
    };

    private static readonly string[] MetricNames =
    {
        "RTAX_UNSPEC", "RTAX_LOCK", "RTAX_MTU", "RTAX_WINDOW", "RTAX_RTT", "RTAX_RTTVAR", "RTAX_SSTHRESH", "RTAX_CWND",
        "RTAX_ADVMSS", "RTAX_REORDERING", "RTAX_HOPLIMIT", "RTAX_INITCWND", "RTAX_FEATURES", "RTAX_RTO_MIN",
        "RTAX_INITRWND", "RTAX_QUICKACK", "RTAX_CC_ALGO", "RTAX_FASTOPEN_NO_COOKIE",
    };

    // Names the offending attribute of an RTM_*ROUTE refusal, e.g. "RTA_GATEWAY" or "RTA_METRICS/RTAX_MTU".
    // RTA_MULTIPATH holds rtnexthop records rather than attributes, so nothing below it is named.
    private static string? GetRouteAttributeName(ReadOnlySpan<ushort> path)
    {
        if (path.Length == 0 || path[0] >= RouteAttributeNames.Length)
        {
            return null;
        }

        string top = RouteAttributeNames[path[0]];
        if (path.Length == 1)
        {
            return top;
        }

        return path.Length == 2 && path[0] == LinuxRtnetlink.RTA_METRICS && path[1] < MetricNames.Length ? top + "/" + MetricNames[path[1]] : null;
    }
}
