using System;
using System.Net;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Minimal link, address and route request writers for <see cref="RouteBatch"/>, byte for byte as iproute2 writes
/// the same commands.
/// </summary>
/// <remarks>
/// Local to the batch area until the links and addresses/routes areas' own request builders are merged; the batch
/// then takes their specs too.
/// </remarks>
internal static class BatchRequests
{
    // /usr/include/linux/if_addr.h and if.h (owned by the addresses and links areas, not merged yet)
    internal const ushort IFA_ADDRESS = 1;
    internal const ushort IFA_LOCAL = 2;
    internal const uint IFF_UP = 0x1;

    private const NetlinkMessageFlags Create = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive;
    private const NetlinkMessageFlags Plain = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;

    /// <summary><c>ip addr add|del ADDRESS/LEN dev LINK</c>.</summary>
    internal static void WriteAddress(ref NetlinkMessageWriter writer, bool add, int linkIndex, IPAddress address, int prefixLength)
    {
        writer.BeginMessage(add ? LinuxRtnetlink.RTM_NEWADDR : LinuxRtnetlink.RTM_DELADDR, add ? Create : Plain);
        writer.WriteHeader(new IfAddrMsg
        {
            Family = KernelFamily.ToKernel(address.AddressFamily),
            PrefixLength = (byte)prefixLength,
            Index = (uint)linkIndex,
        });
        writer.WriteAddress(IFA_LOCAL, address);
        writer.WriteAddress(IFA_ADDRESS, address);
    }

    /// <summary><c>ip route add|del PREFIX [via GATEWAY] dev LINK [table N] [metric M]</c>.</summary>
    internal static void WriteRoute(ref NetlinkMessageWriter writer, bool add, IPAddress destination, int prefixLength, int linkIndex, IPAddress? gateway, uint table, uint metric)
    {
        writer.BeginMessage(add ? LinuxRtnetlink.RTM_NEWROUTE : LinuxRtnetlink.RTM_DELROUTE, add ? Create : Plain);
        writer.WriteHeader(new RtMsg
        {
            Family = KernelFamily.ToKernel(destination.AddressFamily),
            DestinationLength = (byte)prefixLength,
            Table = table is 0 ? LinuxRtnetlink.RT_TABLE_MAIN : table < 256 ? (byte)table : LinuxRtnetlink.RT_TABLE_UNSPEC,
            Protocol = add ? LinuxRtnetlink.RTPROT_BOOT : LinuxRtnetlink.RTPROT_UNSPEC,
            Scope = !add ? LinuxRtnetlink.RT_SCOPE_NOWHERE : gateway is null ? LinuxRtnetlink.RT_SCOPE_LINK : LinuxRtnetlink.RT_SCOPE_UNIVERSE,
            Type = add ? LinuxRtnetlink.RTN_UNICAST : LinuxRtnetlink.RTN_UNSPEC,
        });
        writer.WriteAddress(LinuxRtnetlink.RTA_DST, destination);
        if (gateway is not null)
        {
            writer.WriteAddress(LinuxRtnetlink.RTA_GATEWAY, gateway);
        }

        if (metric != 0)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_PRIORITY, metric);
        }

        if (table >= 256)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_TABLE, table);
        }

        if (linkIndex > 0)
        {
            writer.WriteUInt32(LinuxRtnetlink.RTA_OIF, (uint)linkIndex);
        }
    }

    /// <summary><c>ip link set dev LINK up|down</c>.</summary>
    internal static void WriteLinkState(ref NetlinkMessageWriter writer, int linkIndex, bool up)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_NEWLINK, Plain);
        writer.WriteHeader(new IfInfoMsg { Index = linkIndex, Flags = up ? IFF_UP : 0, Change = IFF_UP });
    }

    /// <summary><c>ip link del dev LINK</c>.</summary>
    internal static void WriteLinkDelete(ref NetlinkMessageWriter writer, int linkIndex)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_DELLINK, Plain);
        writer.WriteHeader(new IfInfoMsg { Index = linkIndex });
    }
}
