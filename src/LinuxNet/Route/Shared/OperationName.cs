using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What a request does, in <c>ip</c>'s words (<c>ip address add</c>, <c>ip route del</c>, …): the one operation
/// name every manager's errors carry, so a refusal reads the same way for links, addresses, routes, neighbours and rules.
/// </summary>
internal static class OperationName
{
    /// <summary>The <c>ip</c> command a request message stands for, or <see langword="null"/> for a type without one.</summary>
    internal static string? Of(ushort type, NetlinkMessageFlags flags)
    {
        bool replace = (flags & NetlinkMessageFlags.Replace) != 0;
        bool dump = (flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump;
        return type switch
        {
            LinuxRtnetlink.RTM_NEWLINK => replace || (flags & NetlinkMessageFlags.Create) == 0 ? "ip link set" : "ip link add",
            LinuxRtnetlink.RTM_DELLINK => "ip link del",
            LinuxRtnetlink.RTM_GETLINK => dump ? "ip link show" : "ip link show dev",
            LinuxRtnetlink.RTM_NEWADDR => replace ? "ip address replace" : "ip address add",
            LinuxRtnetlink.RTM_DELADDR => "ip address del",
            LinuxRtnetlink.RTM_GETADDR => "ip address show",
            LinuxRtnetlink.RTM_NEWROUTE => RouteOperation(flags),
            LinuxRtnetlink.RTM_DELROUTE => "ip route del",
            LinuxRtnetlink.RTM_GETROUTE => dump ? "ip route show" : "ip route get",
            LinuxRtnetlink.RTM_NEWNEIGH => replace ? "ip neigh replace" : "ip neigh add",
            LinuxRtnetlink.RTM_DELNEIGH => "ip neigh del",
            LinuxRtnetlink.RTM_GETNEIGH => dump ? "ip neigh show" : "ip neigh get",
            LinuxRtnetlink.RTM_NEWRULE => "ip rule add",
            LinuxRtnetlink.RTM_DELRULE => "ip rule del",
            LinuxRtnetlink.RTM_GETRULE => "ip rule show",
            LinuxNexthop.RTM_NEWNEXTHOP => replace ? "ip nexthop replace" : "ip nexthop add",
            LinuxNexthop.RTM_DELNEXTHOP => "ip nexthop del",
            LinuxNexthop.RTM_GETNEXTHOP => dump ? "ip nexthop show" : "ip nexthop get",
            LinuxNexthop.RTM_GETNEXTHOPBUCKET => dump ? "ip nexthop bucket show" : "ip nexthop bucket get",
            LinuxRtnetlink.RTM_NEWNSID => "ip netns set",
            LinuxRtnetlink.RTM_GETNSID => dump ? "ip netns list-id" : "ip netns list",
            LinuxLinkProp.RTM_NEWLINKPROP => "ip link property add",
            LinuxLinkProp.RTM_DELLINKPROP => "ip link property del",
            _ => null,
        };
    }

    // AF_BRIDGE neighbour messages are the forwarding database: bridge's words, not ip neigh's.
    private static string? BridgeOperation(ushort type, NetlinkMessageFlags flags) => type switch
    {
        LinuxRtnetlink.RTM_NEWNEIGH => (flags & NetlinkMessageFlags.Replace) != 0 ? "bridge fdb replace" : (flags & NetlinkMessageFlags.Append) != 0 ? "bridge fdb append" : "bridge fdb add",
        LinuxRtnetlink.RTM_DELNEIGH => "bridge fdb del",
        LinuxRtnetlink.RTM_GETNEIGH => "bridge fdb show",
        LinuxRtnetlink.RTM_SETLINK => "bridge link set",
        LinuxRtnetlink.RTM_GETLINK => "bridge link show",
        _ => null,
    };

    // ip route add = CREATE|EXCL, replace = CREATE|REPLACE, change = REPLACE, append = CREATE|APPEND, prepend = CREATE.
    private static string RouteOperation(NetlinkMessageFlags flags)
    {
        bool create = (flags & NetlinkMessageFlags.Create) != 0;
        return (flags & NetlinkMessageFlags.Replace) != 0 ? (create ? "ip route replace" : "ip route change")
            : (flags & NetlinkMessageFlags.Append) != 0 ? "ip route append"
            : create && (flags & NetlinkMessageFlags.Exclusive) == 0 ? "ip route prepend"
            : "ip route add";
    }

    /// <summary>The operation of the request at the start of <paramref name="request"/> (its <c>nlmsghdr</c>).</summary>
    internal static string? Of(System.ReadOnlySpan<byte> request)
        => request.Length < 16
            ? null
            : request.Length > 16 && request[16] == LinuxSocket.AF_BRIDGE && BridgeOperation(System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(request.Slice(4)), (NetlinkMessageFlags)System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(request.Slice(6))) is { } bridge
            ? bridge
            : Of(System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(request.Slice(4)), (NetlinkMessageFlags)System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(request.Slice(6)));
}
