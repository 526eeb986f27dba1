using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Names rtnetlink message types and attributes so kernel refusals read like iproute2's.</summary>
/// <remarks>Each area (links, addresses, routes, neighbours, rules) names its own attributes in its partial file.</remarks>
internal sealed partial class RouteNetlinkSchema : INetlinkSchema
{
    internal static readonly RouteNetlinkSchema Instance = new();

    public string GetMessageTypeName(ushort type) => type switch
    {
        LinuxRtnetlink.RTM_NEWLINK => "RTM_NEWLINK",
        LinuxRtnetlink.RTM_DELLINK => "RTM_DELLINK",
        LinuxRtnetlink.RTM_GETLINK => "RTM_GETLINK",
        LinuxRtnetlink.RTM_SETLINK => "RTM_SETLINK",
        LinuxRtnetlink.RTM_NEWADDR => "RTM_NEWADDR",
        LinuxRtnetlink.RTM_DELADDR => "RTM_DELADDR",
        LinuxRtnetlink.RTM_GETADDR => "RTM_GETADDR",
        LinuxRtnetlink.RTM_NEWROUTE => "RTM_NEWROUTE",
        LinuxRtnetlink.RTM_DELROUTE => "RTM_DELROUTE",
        LinuxRtnetlink.RTM_GETROUTE => "RTM_GETROUTE",
        LinuxRtnetlink.RTM_NEWNEIGH => "RTM_NEWNEIGH",
        LinuxRtnetlink.RTM_DELNEIGH => "RTM_DELNEIGH",
        LinuxRtnetlink.RTM_GETNEIGH => "RTM_GETNEIGH",
        LinuxRtnetlink.RTM_NEWRULE => "RTM_NEWRULE",
        LinuxRtnetlink.RTM_DELRULE => "RTM_DELRULE",
        LinuxRtnetlink.RTM_GETRULE => "RTM_GETRULE",
        LinuxRtnetlink.RTM_NEWNSID => "RTM_NEWNSID",
        LinuxRtnetlink.RTM_GETNSID => "RTM_GETNSID",
        LinuxRtnetlink.RTM_DELNSID => "RTM_DELNSID",
        LinuxLinkProp.RTM_NEWLINKPROP => "RTM_NEWLINKPROP",
        LinuxLinkProp.RTM_DELLINKPROP => "RTM_DELLINKPROP",
        LinuxLinkProp.RTM_GETLINKPROP => "RTM_GETLINKPROP",
        >= LinuxNexthop.RTM_NEWNEXTHOP and <= LinuxNexthop.RTM_GETNEXTHOP => GetNexthopMessageTypeName(type),
        >= LinuxNexthop.RTM_NEWNEXTHOPBUCKET and <= LinuxNexthop.RTM_GETNEXTHOPBUCKET => GetNexthopMessageTypeName(type),
        _ => GetTcMessageTypeName(type) ?? "rtnetlink message type " + type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public unsafe int GetFamilyHeaderSize(ushort type) => type switch
    {
        >= LinuxRtnetlink.RTM_NEWLINK and <= LinuxRtnetlink.RTM_SETLINK => sizeof(IfInfoMsg),
        >= LinuxRtnetlink.RTM_NEWADDR and <= LinuxRtnetlink.RTM_GETADDR => sizeof(IfAddrMsg),
        >= LinuxRtnetlink.RTM_NEWROUTE and <= LinuxRtnetlink.RTM_GETROUTE => sizeof(RtMsg),
        >= LinuxRtnetlink.RTM_NEWNEIGH and <= LinuxRtnetlink.RTM_GETNEIGH => sizeof(NdMsg),
        >= LinuxRtnetlink.RTM_NEWRULE and <= LinuxRtnetlink.RTM_GETRULE => sizeof(FibRuleHdr),
        >= LinuxNexthop.RTM_NEWNEXTHOP and <= LinuxNexthop.RTM_GETNEXTHOP => sizeof(NhMsg),
        >= LinuxNexthop.RTM_NEWNEXTHOPBUCKET and <= LinuxNexthop.RTM_GETNEXTHOPBUCKET => sizeof(NhMsg),
        >= LinuxLinkProp.RTM_NEWLINKPROP and <= LinuxLinkProp.RTM_GETLINKPROP => sizeof(IfInfoMsg),
        >= LinuxRtnetlink.RTM_NEWNSID and <= LinuxRtnetlink.RTM_GETNSID => sizeof(RtGenMsg),
        >= LinuxPktSched.RTM_NEWQDISC and <= LinuxPktSched.RTM_GETTFILTER => sizeof(TcMsg),
        _ => -1,
    };

    public string? GetAttributeName(ushort messageType, ReadOnlySpan<ushort> path) => messageType switch
    {
        >= LinuxRtnetlink.RTM_NEWLINK and <= LinuxRtnetlink.RTM_SETLINK => GetLinkAttributeName(path),
        >= LinuxRtnetlink.RTM_NEWADDR and <= LinuxRtnetlink.RTM_GETADDR => GetAddressAttributeName(path),
        >= LinuxRtnetlink.RTM_NEWROUTE and <= LinuxRtnetlink.RTM_GETROUTE => GetRouteAttributeName(path),
        >= LinuxRtnetlink.RTM_NEWNEIGH and <= LinuxRtnetlink.RTM_GETNEIGH => GetNeighbourAttributeName(path),
        >= LinuxRtnetlink.RTM_NEWRULE and <= LinuxRtnetlink.RTM_GETRULE => GetRuleAttributeName(path),
        >= LinuxNexthop.RTM_NEWNEXTHOP and <= LinuxNexthop.RTM_GETNEXTHOP => GetNexthopAttributeName(path),
        >= LinuxNexthop.RTM_NEWNEXTHOPBUCKET and <= LinuxNexthop.RTM_GETNEXTHOPBUCKET => GetNexthopAttributeName(path),
        >= LinuxLinkProp.RTM_NEWLINKPROP and <= LinuxLinkProp.RTM_GETLINKPROP => GetLinkAttributeName(path),
        >= LinuxRtnetlink.RTM_NEWNSID and <= LinuxRtnetlink.RTM_GETNSID => GetNamespaceIdAttributeName(path),
        >= LinuxPktSched.RTM_NEWQDISC and <= LinuxPktSched.RTM_GETTFILTER => GetTcAttributeName(path),
        _ => null,
    };
}
