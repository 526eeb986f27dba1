using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// The one codec of bridge ports as <c>bridge link</c> sees them: the AF_BRIDGE RTM_GETLINK dump, RTM_SETLINK with
/// <c>IFLA_PROTINFO</c>, and the parser of AF_BRIDGE RTM_NEWLINK. (AF_UNSPEC link messages stay with the link codec.)
/// </summary>
internal static class BridgePortMessage
{
    /// <summary>Writes <c>bridge link show</c>'s dump: an AF_BRIDGE <c>ifinfomsg</c> and nothing else.</summary>
    internal static int WriteDump(Span<byte> buffer) => RequestPipeline.Encode(buffer, 0, WriteDump);

    /// <summary>The AF_BRIDGE RTM_GETLINK dump.</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, int unused)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfInfoMsg { Family = LinuxSocket.AF_BRIDGE });
        writer.EndMessage();
    }

    /// <summary>Writes <c>bridge link set dev PORT …</c> for a resolved port index.</summary>
    internal static int WriteSet(Span<byte> buffer, int index, BridgePortChanges changes)
        => RequestPipeline.Encode(buffer, (index, changes), WriteSet);

    /// <summary>RTM_SETLINK (AF_BRIDGE) with the changes nested in IFLA_PROTINFO, in <c>bridge link set</c>'s order.</summary>
    internal static void WriteSet(ref NetlinkMessageWriter writer, (int Index, BridgePortChanges Changes) request)
    {
        (int index, BridgePortChanges c) = request;
        writer.BeginMessage(LinuxRtnetlink.RTM_SETLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(new IfInfoMsg { Family = LinuxSocket.AF_BRIDGE, Index = index });
        NestedAttribute nest = writer.BeginNested(LinuxIfLink.IFLA_PROTINFO);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_GUARD, c.Guard);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_MODE, c.Hairpin);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_FAST_LEAVE, c.FastLeave);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_PROTECT, c.RootBlock);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_UNICAST_FLOOD, c.UnicastFlood);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_MCAST_FLOOD, c.MulticastFlood);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_BCAST_FLOOD, c.BroadcastFlood);
        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_LEARNING, c.Learning);
        if (c.Cost is { } cost)
        {
            writer.WriteUInt32(LinuxIfBridgePort.IFLA_BRPORT_COST, cost);
        }

        if (c.Priority is { } priority)
        {
            writer.WriteUInt16(LinuxIfBridgePort.IFLA_BRPORT_PRIORITY, priority);
        }

        if (c.State is { } state)
        {
            writer.WriteUInt8(LinuxIfBridgePort.IFLA_BRPORT_STATE, (byte)state);
        }

        Flag(ref writer, LinuxIfBridgePort.IFLA_BRPORT_ISOLATED, c.Isolated);
        writer.EndNested(nest);
        writer.EndMessage();
    }

    private static void Flag(ref NetlinkMessageWriter writer, ushort type, bool? value)
    {
        if (value is { } on)
        {
            writer.WriteUInt8(type, on ? (byte)1 : (byte)0);
        }
    }

    /// <summary>Parses an AF_BRIDGE RTM_NEWLINK; <see langword="null"/> for other families or without a name.</summary>
    internal static BridgePortInfo? Parse(NetlinkMessage message)
    {
        if (message.Type != LinuxRtnetlink.RTM_NEWLINK)
        {
            return null;
        }

        IfInfoMsg header = message.ReadHeader<IfInfoMsg>();
        if (header.Family != LinuxSocket.AF_BRIDGE)
        {
            return null;
        }

        string? name = null;
        uint mtu = 0;
        int master = 0;
        int link = 0;
        BridgePortInfo? result = null;
        NetlinkAttribute protinfo = default;
        bool hasProtinfo = false;
        foreach (NetlinkAttribute attribute in message.GetAttributes<IfInfoMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxIfLink.IFLA_IFNAME:
                    name = attribute.GetString();
                    break;
                case LinuxIfLink.IFLA_MTU:
                    mtu = attribute.GetUInt32();
                    break;
                case LinuxIfLink.IFLA_MASTER:
                    master = attribute.GetInt32();
                    break;
                case LinuxIfLink.IFLA_LINK:
                    link = attribute.GetInt32();
                    break;
                case LinuxIfLink.IFLA_PROTINFO:
                    protinfo = attribute;
                    hasProtinfo = true;
                    break;
            }
        }

        if (name is null)
        {
            return null;
        }

        result = new BridgePortInfo(header.Index, name) { Flags = (LinkFlags)header.Flags, Mtu = mtu, MasterIndex = master, LinkIndex = link == header.Index ? 0 : link };
        if (hasProtinfo)
        {
            ReadPort(protinfo, result);
        }

        return result;
    }

    private static void ReadPort(NetlinkAttribute protinfo, BridgePortInfo port)
    {
        foreach (NetlinkAttribute attribute in protinfo.EnumerateNested())
        {
            switch (attribute.Type)
            {
                case LinuxIfBridgePort.IFLA_BRPORT_STATE: port.State = (BridgePortState)attribute.GetUInt8(); break;
                case LinuxIfBridgePort.IFLA_BRPORT_PRIORITY: port.Priority = attribute.GetUInt16(); break;
                case LinuxIfBridgePort.IFLA_BRPORT_COST: port.Cost = attribute.GetUInt32(); break;
                case LinuxIfBridgePort.IFLA_BRPORT_MODE: port.Hairpin = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_GUARD: port.Guard = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_PROTECT: port.RootBlock = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_FAST_LEAVE: port.FastLeave = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_LEARNING: port.Learning = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_UNICAST_FLOOD: port.UnicastFlood = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_MCAST_FLOOD: port.MulticastFlood = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_BCAST_FLOOD: port.BroadcastFlood = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_MULTICAST_ROUTER: port.MulticastRouter = attribute.GetUInt8(); break;
                case LinuxIfBridgePort.IFLA_BRPORT_MCAST_TO_UCAST: port.MulticastToUnicast = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_NEIGH_SUPPRESS: port.NeighbourSuppress = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_VLAN_TUNNEL: port.VlanTunnel = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_ISOLATED: port.Isolated = attribute.GetUInt8() != 0; break;
                case LinuxIfBridgePort.IFLA_BRPORT_LOCKED: port.Locked = attribute.GetUInt8() != 0; break;
            }
        }
    }
}
