using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    private static readonly string[] NexthopAttributeNames =
    {
        "NHA_UNSPEC", "NHA_ID", "NHA_GROUP", "NHA_GROUP_TYPE", "NHA_BLACKHOLE", "NHA_OIF", "NHA_GATEWAY",
        "NHA_ENCAP_TYPE", "NHA_ENCAP", "NHA_GROUPS", "NHA_MASTER", "NHA_FDB", "NHA_RES_GROUP", "NHA_RES_BUCKET",
    };

    private static readonly string[] ResilientGroupAttributeNames =
    {
        "NHA_RES_GROUP_PAD", "NHA_RES_GROUP_BUCKETS", "NHA_RES_GROUP_IDLE_TIMER", "NHA_RES_GROUP_UNBALANCED_TIMER", "NHA_RES_GROUP_UNBALANCED_TIME",
    };

    private static readonly string[] BucketAttributeNames =
    {
        "NHA_RES_BUCKET_PAD", "NHA_RES_BUCKET_INDEX", "NHA_RES_BUCKET_IDLE_TIME", "NHA_RES_BUCKET_NH_ID",
    };

    private static string GetNexthopMessageTypeName(ushort type) => type switch
    {
        LinuxNexthop.RTM_NEWNEXTHOP => "RTM_NEWNEXTHOP",
        LinuxNexthop.RTM_DELNEXTHOP => "RTM_DELNEXTHOP",
        LinuxNexthop.RTM_GETNEXTHOP => "RTM_GETNEXTHOP",
        LinuxNexthop.RTM_NEWNEXTHOPBUCKET => "RTM_NEWNEXTHOPBUCKET",
        LinuxNexthop.RTM_DELNEXTHOPBUCKET => "RTM_DELNEXTHOPBUCKET",
        _ => "RTM_GETNEXTHOPBUCKET",
    };

    // Names the offending attribute of an RTM_*NEXTHOP refusal: "NHA_GATEWAY", "NHA_RES_GROUP/NHA_RES_GROUP_BUCKETS".
    private static string? GetNexthopAttributeName(ReadOnlySpan<ushort> path)
    {
        if (path.Length == 0 || path[0] >= NexthopAttributeNames.Length)
        {
            return null;
        }

        string top = NexthopAttributeNames[path[0]];
        if (path.Length == 1)
        {
            return top;
        }

        string[]? below = path[0] switch
        {
            LinuxNexthop.NHA_RES_GROUP => ResilientGroupAttributeNames,
            LinuxNexthop.NHA_RES_BUCKET => BucketAttributeNames,
            _ => null,
        };
        return path.Length == 2 && below is not null && path[1] < below.Length ? top + "/" + below[path[1]] : null;
    }

    private static string? GetNamespaceIdAttributeName(ReadOnlySpan<ushort> path) => path.Length == 1
        ? path[0] switch
        {
            LinuxNetNamespace.NETNSA_NSID => "NETNSA_NSID",
            LinuxNetNamespace.NETNSA_PID => "NETNSA_PID",
            LinuxNetNamespace.NETNSA_FD => "NETNSA_FD",
            LinuxNetNamespace.NETNSA_TARGET_NSID => "NETNSA_TARGET_NSID",
            LinuxNetNamespace.NETNSA_CURRENT_NSID => "NETNSA_CURRENT_NSID",
            _ => null,
        }
        : null;
}
