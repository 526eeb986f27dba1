using System;
using System.Net;
using System.Net.NetworkInformation;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// The one codec of forwarding database entries: RTM_NEWNEIGH/RTM_DELNEIGH/RTM_GETNEIGH of family AF_BRIDGE, written
/// byte for byte as iproute2's <c>bridge fdb</c> does, and the parser of the kernel's AF_BRIDGE neighbour messages.
/// </summary>
/// <remarks>
/// The kernel object shares its message type with the IP neighbour table, but not its bytes: the key is a MAC (and VLAN),
/// not an IP address, and the attributes are vxlan's (NDA_VNI, NDA_PORT, NDA_IFINDEX, NDA_SRC_VNI) and the bridge's
/// (NDA_MASTER, NDA_VLAN). <see cref="NeighbourMessage"/>/<see cref="NeighbourInfo"/> handle AF_INET/AF_INET6 and skip
/// AF_BRIDGE; this type handles AF_BRIDGE only, so no message has two decoders.
/// </remarks>
internal static class FdbMessage
{
    internal const NetlinkMessageFlags AddFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive;
    internal const NetlinkMessageFlags AppendFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Append;
    internal const NetlinkMessageFlags ReplaceFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Replace;
    internal const NetlinkMessageFlags DeleteFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;

    /// <summary>Writes <c>bridge fdb add|append|replace|del</c> for a spec whose links are resolved.</summary>
    internal static int WriteModify(Span<byte> buffer, ushort type, NetlinkMessageFlags flags, FdbSpec spec, int linkIndex, int viaIndex)
        => RequestPipeline.Encode(buffer, (type, flags, spec, linkIndex, viaIndex), WriteModify);

    /// <summary>
    /// The one encoder of FDB changes, attributes in <c>bridge fdb</c>'s order: LLADDR, DST, VLAN, PORT, VNI, SRC_VNI, IFINDEX.
    /// A delete sends the same body (the kernel matches MAC, VLAN and, on vxlan, the destination).
    /// </summary>
    internal static void WriteModify(ref NetlinkMessageWriter writer, (ushort Type, NetlinkMessageFlags Flags, FdbSpec Spec, int LinkIndex, int ViaIndex) request)
    {
        (ushort type, NetlinkMessageFlags flags, FdbSpec spec, int linkIndex, int viaIndex) = request;
        FdbFlags ndmFlags = spec.Flags;
        if ((ndmFlags & (FdbFlags.Self | FdbFlags.Master)) == 0)
        {
            // bridge fdb: neither self nor master means self.
            ndmFlags |= FdbFlags.Self;
        }

        writer.BeginMessage(type, flags);
        writer.WriteHeader(new NdMsg
        {
            Family = LinuxSocket.AF_BRIDGE,
            Index = linkIndex,
            State = KernelState(spec.State),
            Flags = (byte)ndmFlags,
        });
        writer.WritePhysicalAddress(LinuxNeighbour.NDA_LLADDR, spec.Address);
        if (spec.Destination is { } destination)
        {
            writer.WriteAddress(LinuxNeighbour.NDA_DST, destination);
        }

        if (spec.Vlan is { } vlan)
        {
            writer.WriteUInt16(LinuxNeighbour.NDA_VLAN, vlan);
        }

        if (spec.Port is { } port)
        {
            writer.WriteUInt16BigEndian(LinuxNeighbour.NDA_PORT, port);
        }

        if (spec.Vni is { } vni)
        {
            writer.WriteUInt32(LinuxNeighbour.NDA_VNI, vni);
        }

        if (spec.SourceVni is { } sourceVni)
        {
            writer.WriteUInt32(LinuxNeighbour.NDA_SRC_VNI, sourceVni);
        }

        if (viaIndex > 0)
        {
            writer.WriteUInt32(LinuxNeighbour.NDA_IFINDEX, (uint)viaIndex);
        }

        writer.EndMessage();
    }

    /// <summary><c>bridge fdb</c>'s <c>ndm_state</c>: permanent = PERMANENT|NOARP, static = REACHABLE|NOARP, dynamic = REACHABLE.</summary>
    internal static ushort KernelState(FdbEntryState state) => state switch
    {
        FdbEntryState.Static => LinuxNeighbour.NUD_NOARP | LinuxNeighbour.NUD_REACHABLE,
        FdbEntryState.Dynamic => LinuxNeighbour.NUD_REACHABLE,
        _ => LinuxNeighbour.NUD_NOARP | LinuxNeighbour.NUD_PERMANENT,
    };

    /// <summary>Writes the dump of <c>bridge fdb show [br BRIDGE] [dev LINK]</c>.</summary>
    internal static int WriteDump(Span<byte> buffer, int linkIndex, int bridgeIndex)
        => RequestPipeline.Encode(buffer, (linkIndex, bridgeIndex), WriteDump);

    /// <summary>The RTM_GETNEIGH dump of family AF_BRIDGE: the device in <c>ndm_ifindex</c>, the bridge in NDA_MASTER (0 = any).</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, (int LinkIndex, int BridgeIndex) request)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETNEIGH, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new NdMsg { Family = LinuxSocket.AF_BRIDGE, Index = request.LinkIndex });
        if (request.BridgeIndex > 0)
        {
            writer.WriteUInt32(LinuxNeighbour.NDA_MASTER, (uint)request.BridgeIndex);
        }

        writer.EndMessage();
    }

    /// <summary>Parses an AF_BRIDGE RTM_NEWNEIGH (or RTM_DELNEIGH); <see langword="null"/> for other families or without a MAC.</summary>
    internal static FdbInfo? Parse(NetlinkMessage message)
    {
        if (message.Type is not (LinuxRtnetlink.RTM_NEWNEIGH or LinuxRtnetlink.RTM_DELNEIGH))
        {
            return null;
        }

        NdMsg header = message.ReadHeader<NdMsg>();
        if (header.Family != LinuxSocket.AF_BRIDGE)
        {
            return null;
        }

        PhysicalAddress? address = null;
        int master = 0;
        ushort? vlan = null;
        IPAddress? destination = null;
        uint? vni = null;
        ushort? port = null;
        int via = 0;
        uint? sourceVni = null;
        uint? nextHop = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes<NdMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxNeighbour.NDA_LLADDR:
                    address = attribute.GetPhysicalAddress();
                    break;
                case LinuxNeighbour.NDA_MASTER:
                    master = attribute.GetInt32();
                    break;
                case LinuxNeighbour.NDA_VLAN:
                    vlan = attribute.GetUInt16();
                    break;
                case LinuxNeighbour.NDA_DST:
                    destination = attribute.GetIPAddress();
                    break;
                case LinuxNeighbour.NDA_VNI:
                    vni = attribute.GetUInt32();
                    break;
                case LinuxNeighbour.NDA_PORT:
                    port = attribute.GetUInt16BigEndian();
                    break;
                case LinuxNeighbour.NDA_IFINDEX:
                    via = attribute.GetInt32();
                    break;
                case LinuxNeighbour.NDA_SRC_VNI:
                    sourceVni = attribute.GetUInt32();
                    break;
                case LinuxNeighbour.NDA_NH_ID:
                    nextHop = attribute.GetUInt32();
                    break;
            }
        }

        if (address is null)
        {
            return null;
        }

        return new FdbInfo(header.Index, address, (NeighbourStates)header.State, (FdbFlags)header.Flags)
        {
            MasterIndex = master,
            Vlan = vlan,
            Destination = destination,
            Vni = vni,
            Port = port,
            ViaIndex = via,
            SourceVni = sourceVni,
            NextHopId = nextHop,
        };
    }
}
