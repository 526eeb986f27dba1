using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    private static string? GetRuleAttributeName(ReadOnlySpan<ushort> path) => path.Length == 1
        ? path[0] switch
        {
            LinuxFibRules.FRA_DST => "FRA_DST",
            LinuxFibRules.FRA_SRC => "FRA_SRC",
            LinuxFibRules.FRA_IIFNAME => "FRA_IIFNAME",
            LinuxFibRules.FRA_GOTO => "FRA_GOTO",
            LinuxFibRules.FRA_PRIORITY => "FRA_PRIORITY",
            LinuxFibRules.FRA_FWMARK => "FRA_FWMARK",
            LinuxFibRules.FRA_FLOW => "FRA_FLOW",
            LinuxFibRules.FRA_TUN_ID => "FRA_TUN_ID",
            LinuxFibRules.FRA_SUPPRESS_IFGROUP => "FRA_SUPPRESS_IFGROUP",
            LinuxFibRules.FRA_SUPPRESS_PREFIXLEN => "FRA_SUPPRESS_PREFIXLEN",
            LinuxFibRules.FRA_TABLE => "FRA_TABLE",
            LinuxFibRules.FRA_FWMASK => "FRA_FWMASK",
            LinuxFibRules.FRA_OIFNAME => "FRA_OIFNAME",
            LinuxFibRules.FRA_L3MDEV => "FRA_L3MDEV",
            LinuxFibRules.FRA_UID_RANGE => "FRA_UID_RANGE",
            LinuxFibRules.FRA_PROTOCOL => "FRA_PROTOCOL",
            LinuxFibRules.FRA_IP_PROTO => "FRA_IP_PROTO",
            LinuxFibRules.FRA_SPORT_RANGE => "FRA_SPORT_RANGE",
            LinuxFibRules.FRA_DPORT_RANGE => "FRA_DPORT_RANGE",
            _ => null,
        }
        : null;
}
