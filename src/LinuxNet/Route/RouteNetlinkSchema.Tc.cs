using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    private static string? GetTcMessageTypeName(ushort type) => type switch
    {
        LinuxPktSched.RTM_NEWQDISC => "RTM_NEWQDISC",
        LinuxPktSched.RTM_DELQDISC => "RTM_DELQDISC",
        LinuxPktSched.RTM_GETQDISC => "RTM_GETQDISC",
        LinuxPktSched.RTM_NEWTCLASS => "RTM_NEWTCLASS",
        LinuxPktSched.RTM_DELTCLASS => "RTM_DELTCLASS",
        LinuxPktSched.RTM_GETTCLASS => "RTM_GETTCLASS",
        LinuxPktSched.RTM_NEWTFILTER => "RTM_NEWTFILTER",
        LinuxPktSched.RTM_DELTFILTER => "RTM_DELTFILTER",
        LinuxPktSched.RTM_GETTFILTER => "RTM_GETTFILTER",
        _ => null,
    };

    // The nests under TCA_OPTIONS are numbered per kind, which the path does not carry: only the top level is named.
    private static string? GetTcAttributeName(ReadOnlySpan<ushort> path) => path.Length == 1
        ? path[0] switch
        {
            LinuxPktSched.TCA_KIND => "TCA_KIND",
            LinuxPktSched.TCA_OPTIONS => "TCA_OPTIONS",
            LinuxPktSched.TCA_STATS => "TCA_STATS",
            LinuxPktSched.TCA_XSTATS => "TCA_XSTATS",
            LinuxPktSched.TCA_RATE => "TCA_RATE",
            LinuxPktSched.TCA_FCNT => "TCA_FCNT",
            LinuxPktSched.TCA_STATS2 => "TCA_STATS2",
            LinuxPktSched.TCA_STAB => "TCA_STAB",
            LinuxPktSched.TCA_CHAIN => "TCA_CHAIN",
            LinuxPktSched.TCA_INGRESS_BLOCK => "TCA_INGRESS_BLOCK",
            LinuxPktSched.TCA_EGRESS_BLOCK => "TCA_EGRESS_BLOCK",
            LinuxPktSched.TCA_DUMP_FLAGS => "TCA_DUMP_FLAGS",
            _ => null,
        }
        : path.Length > 1 && path[0] == LinuxPktSched.TCA_OPTIONS ? "TCA_OPTIONS/" + path[1].ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
