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
            LinuxRtnetlink.RTM_NEWROUTE => replace ? "ip route replace" : (flags & NetlinkMessageFlags.Append) != 0 ? "ip route append" : "ip route add",
            LinuxRtnetlink.RTM_DELROUTE => "ip route del",
            LinuxRtnetlink.RTM_GETROUTE => dump ? "ip route show" : "ip route get",
            LinuxRtnetlink.RTM_NEWNEIGH => replace ? "ip neigh replace" : "ip neigh add",
            LinuxRtnetlink.RTM_DELNEIGH => "ip neigh del",
            LinuxRtnetlink.RTM_GETNEIGH => dump ? "ip neigh show" : "ip neigh get",
            LinuxRtnetlink.RTM_NEWRULE => "ip rule add",
            LinuxRtnetlink.RTM_DELRULE => "ip rule del",
            LinuxRtnetlink.RTM_GETRULE => "ip rule show",
            _ => null,
        };
    }

    /// <summary>The operation of the request at the start of <paramref name="request"/> (its <c>nlmsghdr</c>).</summary>
    internal static string? Of(System.ReadOnlySpan<byte> request)
        => request.Length < 16
            ? null
            : Of(System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(request.Slice(4)), (NetlinkMessageFlags)System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(request.Slice(6)));
}
