using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    private static readonly string[] AddressAttributeNames =
    {
        "IFA_UNSPEC", "IFA_ADDRESS", "IFA_LOCAL", "IFA_LABEL", "IFA_BROADCAST", "IFA_ANYCAST", "IFA_CACHEINFO",
        "IFA_MULTICAST", "IFA_FLAGS", "IFA_RT_PRIORITY", "IFA_TARGET_NETNSID", "IFA_PROTO",
    };

    // Names the offending attribute of an RTM_*ADDR refusal, e.g. "IFA_LOCAL" (if_addr.h has no nested attributes).
    private static string? GetAddressAttributeName(ReadOnlySpan<ushort> path)
        => path.Length == 1 && path[0] < AddressAttributeNames.Length ? AddressAttributeNames[path[0]] : null;
}
