using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;
using static LinuxNet.LinuxMptcp;

namespace LinuxNet.Genl.Mptcp;

/// <summary>
/// The one encoder and decoder of the MPTCP path manager's objects: endpoints (<c>MPTCP_PM_ATTR_ADDR</c>) and limits.
/// Request shapes follow iproute2's <c>ip mptcp</c> byte for byte (TestData/iproute2/mptcp-*.txt).
/// </summary>
internal static class MptcpMessages
{
    /// <summary>A request with no attributes: an endpoint dump, a flush, or a limits get.</summary>
    internal static void WriteCommand(ref NetlinkMessageWriter writer, (ushort Family, byte Command) argument)
    {
        NetlinkMessageFlags flags = argument.Command == MPTCP_PM_CMD_GET_ADDR
            ? NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump
            : NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;
        GenericRequestPipeline.Begin(ref writer, argument.Family, argument.Command, MPTCP_PM_VER, flags);
    }

    /// <summary><c>ip mptcp endpoint add</c>, with the device already resolved to its index (0 for none).</summary>
    internal static void WriteAdd(ref NetlinkMessageWriter writer, (ushort Family, (MptcpEndpointSpec Spec, int InterfaceIndex) Request) argument)
    {
        MptcpEndpointSpec spec = argument.Request.Spec;
        GenericRequestPipeline.Begin(ref writer, argument.Family, MPTCP_PM_CMD_ADD_ADDR, MPTCP_PM_VER, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        NestedAttribute endpoint = writer.BeginNested(MPTCP_PM_ATTR_ADDR);
        if (spec.Id is { } id)
        {
            writer.WriteUInt8(MPTCP_PM_ADDR_ATTR_ID, (byte)id);
        }

        if (spec.Flags != MptcpEndpointFlags.None)
        {
            writer.WriteUInt32(MPTCP_PM_ADDR_ATTR_FLAGS, (uint)spec.Flags);
        }

        if (argument.Request.InterfaceIndex != 0)
        {
            writer.WriteInt32(MPTCP_PM_ADDR_ATTR_IF_IDX, argument.Request.InterfaceIndex);
        }

        if (spec.Port != 0)
        {
            writer.WriteUInt16(MPTCP_PM_ADDR_ATTR_PORT, spec.Port);
        }

        bool v6 = spec.Address.AddressFamily == AddressFamily.InterNetworkV6;
        writer.WriteUInt16(MPTCP_PM_ADDR_ATTR_FAMILY, (ushort)(v6 ? LinuxSocket.AF_INET6 : LinuxSocket.AF_INET));
        writer.WriteAddress(v6 ? MPTCP_PM_ADDR_ATTR_ADDR6 : MPTCP_PM_ADDR_ATTR_ADDR4, spec.Address);
        writer.EndNested(endpoint);
    }

    /// <summary><c>ip mptcp endpoint delete id ID</c>.</summary>
    internal static void WriteDelete(ref NetlinkMessageWriter writer, (ushort Family, byte Id) argument)
    {
        GenericRequestPipeline.Begin(ref writer, argument.Family, MPTCP_PM_CMD_DEL_ADDR, MPTCP_PM_VER, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        NestedAttribute endpoint = writer.BeginNested(MPTCP_PM_ATTR_ADDR);
        writer.WriteUInt8(MPTCP_PM_ADDR_ATTR_ID, argument.Id);
        writer.EndNested(endpoint);
    }

    /// <summary><c>ip mptcp limits set [subflows N] [add_addr_accepted N]</c>, in iproute2's attribute order.</summary>
    internal static void WriteSetLimits(ref NetlinkMessageWriter writer, (ushort Family, MptcpLimits Limits) argument)
    {
        GenericRequestPipeline.Begin(ref writer, argument.Family, MPTCP_PM_CMD_SET_LIMITS, MPTCP_PM_VER, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        if (argument.Limits.AcceptedAddresses is { } accepted)
        {
            writer.WriteUInt32(MPTCP_PM_ATTR_RCV_ADD_ADDRS, accepted);
        }

        if (argument.Limits.Subflows is { } subflows)
        {
            writer.WriteUInt32(MPTCP_PM_ATTR_SUBFLOWS, subflows);
        }
    }

    /// <summary>An endpoint of a <c>MPTCP_PM_CMD_ADD_ADDR</c>/<c>GET_ADDR</c> reply; <see langword="null"/> for anything else.</summary>
    internal static MptcpEndpoint? ParseEndpoint(NetlinkMessage message)
    {
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            if (attribute.Type != MPTCP_PM_ATTR_ADDR)
            {
                continue;
            }

            byte id = 0;
            ushort port = 0;
            uint flags = 0;
            int index = 0;
            IPAddress address = IPAddress.None;
            foreach (NetlinkAttribute field in attribute.EnumerateNested())
            {
                switch (field.Type)
                {
                    case MPTCP_PM_ADDR_ATTR_ID: id = field.GetUInt8(); break;
                    case MPTCP_PM_ADDR_ATTR_ADDR4:
                    case MPTCP_PM_ADDR_ATTR_ADDR6: address = field.GetIPAddress(); break;
                    case MPTCP_PM_ADDR_ATTR_PORT: port = field.GetUInt16(); break;
                    case MPTCP_PM_ADDR_ATTR_FLAGS: flags = field.GetUInt32(); break;
                    case MPTCP_PM_ADDR_ATTR_IF_IDX: index = field.GetInt32(); break;
                }
            }

            return new MptcpEndpoint(id, address, port, (MptcpEndpointFlags)flags, index);
        }

        return null;
    }

    /// <summary>The limits of a <c>MPTCP_PM_CMD_GET_LIMITS</c> reply.</summary>
    internal static MptcpLimits? ParseLimits(NetlinkMessage message)
    {
        uint? subflows = null, accepted = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            if (attribute.Type == MPTCP_PM_ATTR_SUBFLOWS)
            {
                subflows = attribute.GetUInt32();
            }
            else if (attribute.Type == MPTCP_PM_ATTR_RCV_ADD_ADDRS)
            {
                accepted = attribute.GetUInt32();
            }
        }

        return new MptcpLimits { Subflows = subflows, AcceptedAddresses = accepted };
    }
}
