using System;
using System.Globalization;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    // Names an attribute of an RTM_*LINK request by its path: "IFLA_MTU", "IFLA_LINKINFO/IFLA_INFO_KIND". Below
    // IFLA_INFO_DATA the meaning of a type depends on the kind (a sibling attribute), so those levels are numbered.
    private static string? GetLinkAttributeName(ReadOnlySpan<ushort> path)
    {
        if (path.IsEmpty)
        {
            return null;
        }

        string name = TopLevelLinkAttributeName(path[0]);
        if (path.Length == 1)
        {
            return name;
        }

        string second = path[0] == LinuxIfLink.IFLA_LINKINFO ? LinkInfoAttributeName(path[1]) : Number(path[1]);
        string result = name + "/" + second;
        for (int i = 2; i < path.Length; i++)
        {
            result += "/" + Number(path[i]);
        }

        return result;
    }

    private static string Number(ushort type) => type.ToString(CultureInfo.InvariantCulture);

    private static string TopLevelLinkAttributeName(ushort type) => type switch
    {
        LinuxIfLink.IFLA_UNSPEC => "IFLA_UNSPEC",
        LinuxIfLink.IFLA_ADDRESS => "IFLA_ADDRESS",
        LinuxIfLink.IFLA_BROADCAST => "IFLA_BROADCAST",
        LinuxIfLink.IFLA_IFNAME => "IFLA_IFNAME",
        LinuxIfLink.IFLA_MTU => "IFLA_MTU",
        LinuxIfLink.IFLA_LINK => "IFLA_LINK",
        LinuxIfLink.IFLA_QDISC => "IFLA_QDISC",
        LinuxIfLink.IFLA_STATS => "IFLA_STATS",
        LinuxIfLink.IFLA_COST => "IFLA_COST",
        LinuxIfLink.IFLA_PRIORITY => "IFLA_PRIORITY",
        LinuxIfLink.IFLA_MASTER => "IFLA_MASTER",
        LinuxIfLink.IFLA_WIRELESS => "IFLA_WIRELESS",
        LinuxIfLink.IFLA_PROTINFO => "IFLA_PROTINFO",
        LinuxIfLink.IFLA_TXQLEN => "IFLA_TXQLEN",
        LinuxIfLink.IFLA_MAP => "IFLA_MAP",
        LinuxIfLink.IFLA_WEIGHT => "IFLA_WEIGHT",
        LinuxIfLink.IFLA_OPERSTATE => "IFLA_OPERSTATE",
        LinuxIfLink.IFLA_LINKMODE => "IFLA_LINKMODE",
        LinuxIfLink.IFLA_LINKINFO => "IFLA_LINKINFO",
        LinuxIfLink.IFLA_NET_NS_PID => "IFLA_NET_NS_PID",
        LinuxIfLink.IFLA_IFALIAS => "IFLA_IFALIAS",
        LinuxIfLink.IFLA_NUM_VF => "IFLA_NUM_VF",
        LinuxIfLink.IFLA_VFINFO_LIST => "IFLA_VFINFO_LIST",
        LinuxIfLink.IFLA_STATS64 => "IFLA_STATS64",
        LinuxIfLink.IFLA_VF_PORTS => "IFLA_VF_PORTS",
        LinuxIfLink.IFLA_PORT_SELF => "IFLA_PORT_SELF",
        LinuxIfLink.IFLA_AF_SPEC => "IFLA_AF_SPEC",
        LinuxIfLink.IFLA_GROUP => "IFLA_GROUP",
        LinuxIfLink.IFLA_NET_NS_FD => "IFLA_NET_NS_FD",
        LinuxIfLink.IFLA_EXT_MASK => "IFLA_EXT_MASK",
        LinuxIfLink.IFLA_PROMISCUITY => "IFLA_PROMISCUITY",
        LinuxIfLink.IFLA_NUM_TX_QUEUES => "IFLA_NUM_TX_QUEUES",
        LinuxIfLink.IFLA_NUM_RX_QUEUES => "IFLA_NUM_RX_QUEUES",
        LinuxIfLink.IFLA_CARRIER => "IFLA_CARRIER",
        LinuxIfLink.IFLA_PHYS_PORT_ID => "IFLA_PHYS_PORT_ID",
        LinuxIfLink.IFLA_CARRIER_CHANGES => "IFLA_CARRIER_CHANGES",
        LinuxIfLink.IFLA_PHYS_SWITCH_ID => "IFLA_PHYS_SWITCH_ID",
        LinuxIfLink.IFLA_LINK_NETNSID => "IFLA_LINK_NETNSID",
        LinuxIfLink.IFLA_PHYS_PORT_NAME => "IFLA_PHYS_PORT_NAME",
        LinuxIfLink.IFLA_PROTO_DOWN => "IFLA_PROTO_DOWN",
        LinuxIfLink.IFLA_GSO_MAX_SEGS => "IFLA_GSO_MAX_SEGS",
        LinuxIfLink.IFLA_GSO_MAX_SIZE => "IFLA_GSO_MAX_SIZE",
        LinuxIfLink.IFLA_PAD => "IFLA_PAD",
        LinuxIfLink.IFLA_XDP => "IFLA_XDP",
        LinuxIfLink.IFLA_EVENT => "IFLA_EVENT",
        LinuxIfLink.IFLA_NEW_NETNSID => "IFLA_NEW_NETNSID",
        LinuxIfLink.IFLA_IF_NETNSID => "IFLA_IF_NETNSID",
        LinuxIfLink.IFLA_CARRIER_UP_COUNT => "IFLA_CARRIER_UP_COUNT",
        LinuxIfLink.IFLA_CARRIER_DOWN_COUNT => "IFLA_CARRIER_DOWN_COUNT",
        LinuxIfLink.IFLA_NEW_IFINDEX => "IFLA_NEW_IFINDEX",
        LinuxIfLink.IFLA_MIN_MTU => "IFLA_MIN_MTU",
        LinuxIfLink.IFLA_MAX_MTU => "IFLA_MAX_MTU",
        LinuxIfLink.IFLA_PROP_LIST => "IFLA_PROP_LIST",
        LinuxIfLink.IFLA_ALT_IFNAME => "IFLA_ALT_IFNAME",
        LinuxIfLink.IFLA_PERM_ADDRESS => "IFLA_PERM_ADDRESS",
        LinuxIfLink.IFLA_PROTO_DOWN_REASON => "IFLA_PROTO_DOWN_REASON",
        LinuxIfLink.IFLA_PARENT_DEV_NAME => "IFLA_PARENT_DEV_NAME",
        LinuxIfLink.IFLA_PARENT_DEV_BUS_NAME => "IFLA_PARENT_DEV_BUS_NAME",
        LinuxIfLink.IFLA_GRO_MAX_SIZE => "IFLA_GRO_MAX_SIZE",
        LinuxIfLink.IFLA_TSO_MAX_SIZE => "IFLA_TSO_MAX_SIZE",
        LinuxIfLink.IFLA_TSO_MAX_SEGS => "IFLA_TSO_MAX_SEGS",
        LinuxIfLink.IFLA_ALLMULTI => "IFLA_ALLMULTI",
        _ => "IFLA attribute " + Number(type),
    };

    private static string LinkInfoAttributeName(ushort type) => type switch
    {
        LinuxIfLink.IFLA_INFO_UNSPEC => "IFLA_INFO_UNSPEC",
        LinuxIfLink.IFLA_INFO_KIND => "IFLA_INFO_KIND",
        LinuxIfLink.IFLA_INFO_DATA => "IFLA_INFO_DATA",
        LinuxIfLink.IFLA_INFO_XSTATS => "IFLA_INFO_XSTATS",
        LinuxIfLink.IFLA_INFO_SLAVE_KIND => "IFLA_INFO_SLAVE_KIND",
        LinuxIfLink.IFLA_INFO_SLAVE_DATA => "IFLA_INFO_SLAVE_DATA",
        _ => Number(type),
    };
}
