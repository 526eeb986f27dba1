using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using static LinuxNet.LinuxIfLink;

namespace LinuxNet.Route;

/// <summary>
/// Maps the kernel's extended-ack offset into a link request down through <c>IFLA_LINKINFO</c>, <c>IFLA_INFO_DATA</c> and
/// <c>VETH_INFO_PEER</c>, and names the attribute by the request's kind ("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID").
/// </summary>
/// <remarks>
/// The generic resolver knows the nesting but not the kind (a sibling attribute), so it numbers the levels below
/// <c>IFLA_INFO_DATA</c>; here the request's kind names them. (Older cores also stopped at <c>IFLA_LINKINFO</c>, because
/// the requests copy iproute2 and leave <c>NLA_F_NESTED</c> off.)
/// </remarks>
internal static class LinkErrorPath
{
    private const int HeaderSize = 16 + 16; // nlmsghdr + ifinfomsg

    internal static NetlinkException Refine(NetlinkException e, ReadOnlySpan<byte> request, string? kind)
    {
        if (e.ExtendedAckOffset is not int offset)
        {
            return e;
        }

        var path = new List<ushort>(4);
        var names = new List<string>(4);
        Walk(request, HeaderSize, request.Length, offset, kind, level: 0, path, names);
        string name = string.Join("/", names);
        if (path.Count == 0 || path.Count < e.AttributePath.Count || name == e.AttributeName)
        {
            return e;
        }

        string message = e.AttributeName is { } old
            ? e.Message.Replace($"(offending attribute: {old})", $"(offending attribute: {name})")
            : e.Message + $" (offending attribute: {name})";
        return new NetlinkException(e.Errno, e.Operation, message, e.ExtendedAckMessage, e.ExtendedAckOffset, e.MessageType, e.Sequence, path.ToArray(), name);
    }

    // level 0: IFLA_*; 1: IFLA_INFO_*; 2: the kind's IFLA_INFO_DATA; 3: inside VETH_INFO_PEER (an ifinfomsg, then IFLA_*).
    private static void Walk(ReadOnlySpan<byte> request, int position, int end, int offset, string? kind, int level, List<ushort> path, List<string> names)
    {
        while (position + 4 <= end && path.Count < NetlinkAttribute.MaxNestingDepth)
        {
            ushort length = MemoryMarshal.Read<ushort>(request.Slice(position));
            ushort type = (ushort)(MemoryMarshal.Read<ushort>(request.Slice(position + 2)) & 0x3fff);
            if (length < 4 || position + length > end)
            {
                return;
            }

            int next = position + NetlinkMessageWriter.Align(length);
            if (offset < position || offset >= next)
            {
                position = next;
                continue;
            }

            path.Add(type);
            names.Add(Name(level, type, kind));
            if (offset < position + 4)
            {
                return;
            }

            if (level is 0 or 3 && type == IFLA_LINKINFO)
            {
                Walk(request, position + 4, position + length, offset, kind, 1, path, names);
            }
            else if (level == 1 && type == IFLA_INFO_DATA)
            {
                Walk(request, position + 4, position + length, offset, kind, 2, path, names);
            }
            else if (level == 2 && kind == "veth" && type == LinuxVeth.VETH_INFO_PEER)
            {
                Walk(request, position + 4 + 16, position + length, offset, null, 3, path, names);
            }

            return;
        }
    }

    private static string Name(int level, ushort type, string? kind)
    {
        string number = type.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? name = level switch
        {
            0 or 3 => RouteNetlinkSchema.Instance.GetAttributeName(LinuxRtnetlink.RTM_NEWLINK, [type]),
            1 => RouteNetlinkSchema.Instance.GetAttributeName(LinuxRtnetlink.RTM_NEWLINK, [IFLA_LINKINFO, type])?.Substring("IFLA_LINKINFO/".Length),
            _ => InfoDataName(kind, type),
        };
        return name ?? number;
    }

    private static string? InfoDataName(string? kind, ushort type) => kind switch
    {
        "veth" => type == LinuxVeth.VETH_INFO_PEER ? "VETH_INFO_PEER" : null,
        "vxlan" => type switch
        {
            IFLA_VXLAN_ID => "IFLA_VXLAN_ID",
            IFLA_VXLAN_GROUP => "IFLA_VXLAN_GROUP",
            IFLA_VXLAN_LINK => "IFLA_VXLAN_LINK",
            IFLA_VXLAN_LOCAL => "IFLA_VXLAN_LOCAL",
            IFLA_VXLAN_TTL => "IFLA_VXLAN_TTL",
            IFLA_VXLAN_LEARNING => "IFLA_VXLAN_LEARNING",
            IFLA_VXLAN_PORT => "IFLA_VXLAN_PORT",
            IFLA_VXLAN_GROUP6 => "IFLA_VXLAN_GROUP6",
            IFLA_VXLAN_LOCAL6 => "IFLA_VXLAN_LOCAL6",
            _ => null,
        },
        "bridge" => type switch
        {
            IFLA_BR_FORWARD_DELAY => "IFLA_BR_FORWARD_DELAY",
            IFLA_BR_HELLO_TIME => "IFLA_BR_HELLO_TIME",
            IFLA_BR_MAX_AGE => "IFLA_BR_MAX_AGE",
            IFLA_BR_AGEING_TIME => "IFLA_BR_AGEING_TIME",
            IFLA_BR_STP_STATE => "IFLA_BR_STP_STATE",
            IFLA_BR_PRIORITY => "IFLA_BR_PRIORITY",
            IFLA_BR_VLAN_FILTERING => "IFLA_BR_VLAN_FILTERING",
            IFLA_BR_VLAN_DEFAULT_PVID => "IFLA_BR_VLAN_DEFAULT_PVID",
            _ => null,
        },
        "macvlan" or "macvtap" => type == IFLA_MACVLAN_MODE ? "IFLA_MACVLAN_MODE" : null,
        "vlan" => type switch
        {
            IFLA_VLAN_ID => "IFLA_VLAN_ID",
            IFLA_VLAN_PROTOCOL => "IFLA_VLAN_PROTOCOL",
            _ => null,
        },
        "ipvlan" => type switch
        {
            IFLA_IPVLAN_MODE => "IFLA_IPVLAN_MODE",
            IFLA_IPVLAN_FLAGS => "IFLA_IPVLAN_FLAGS",
            _ => null,
        },
        "bond" => type == IFLA_BOND_MODE ? "IFLA_BOND_MODE" : null,
        _ => null,
    };
}
