using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Writes neighbour requests byte for byte as iproute2's <c>ip neigh</c> does.</summary>
internal static class NeighbourMessage
{
    /// <summary><c>ip neigh add</c> (<paramref name="replace"/> false) or <c>ip neigh replace</c> (true).</summary>
    internal static int WriteNew(Span<byte> buffer, NeighbourSpec spec, int linkIndex, bool replace)
        => RequestPipeline.Encode(buffer, (spec, linkIndex, replace), WriteNew);

    /// <summary>The one encoder of neighbour additions, for <see cref="NeighbourManager"/> and <see cref="RtnetlinkBatch"/> alike.</summary>
    internal static void WriteNew(ref NetlinkMessageWriter writer, (NeighbourSpec Spec, int LinkIndex, bool Replace) request)
    {
        (NeighbourSpec spec, int linkIndex, bool replace) = request;
        NetlinkMessageFlags flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create
            | (replace ? NetlinkMessageFlags.Replace : NetlinkMessageFlags.Exclusive);
        writer.BeginMessage(LinuxRtnetlink.RTM_NEWNEIGH, flags);
        WriteBody(ref writer, spec, linkIndex, (ushort)spec.State, includeLinkLayerAddress: true);
    }

    /// <summary><c>ip neigh del ADDRESS dev LINK [proxy]</c>.</summary>
    internal static int WriteDelete(Span<byte> buffer, NeighbourSpec spec, int linkIndex)
        => RequestPipeline.Encode(buffer, (spec, linkIndex), WriteDelete);

    /// <summary>The one encoder of neighbour deletions, for <see cref="NeighbourManager"/> and <see cref="RtnetlinkBatch"/> alike.</summary>
    internal static void WriteDelete(ref NetlinkMessageWriter writer, (NeighbourSpec Spec, int LinkIndex) request)
    {
        (NeighbourSpec spec, int linkIndex) = request;
        writer.BeginMessage(LinuxRtnetlink.RTM_DELNEIGH, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);

        // iproute2 leaves ndm_state at its NUD_PERMANENT default on deletes too; the kernel ignores it.
        WriteBody(ref writer, spec, linkIndex, LinuxNeighbour.NUD_PERMANENT, includeLinkLayerAddress: false);
    }

    /// <summary><c>ip neigh get ADDRESS dev LINK</c>.</summary>
    internal static int WriteGet(Span<byte> buffer, IPAddress address, int linkIndex)
        => RequestPipeline.Encode(buffer, (address, linkIndex), WriteGet);

    /// <summary>The RTM_GETNEIGH request for one entry (not a dump): family, interface index and <c>NDA_DST</c>, state 0, as iproute2 writes it.</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, (IPAddress Address, int LinkIndex) request)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETNEIGH, NetlinkMessageFlags.Request);
        writer.WriteHeader(new NdMsg { Family = KernelFamily.ToKernel(request.Address.AddressFamily), Index = request.LinkIndex });
        writer.WriteAddress(LinuxNeighbour.NDA_DST, request.Address);
        writer.EndMessage();
    }

    /// <summary><c>ip [-4|-6] neigh show [dev LINK] [proxy]</c>: a dump, filtered by the kernel on the interface.</summary>
    internal static int WriteDump(Span<byte> buffer, AddressFamily family, int linkIndex, bool proxies)
        => RequestPipeline.Encode(buffer, (family, linkIndex, proxies), WriteDump);

    /// <summary>The RTM_GETNEIGH dump of one family (or both), one link (0 for all), proxies or not.</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, (AddressFamily Family, int LinkIndex, bool Proxies) request)
    {
        (AddressFamily family, int linkIndex, bool proxies) = request;
        writer.BeginMessage(LinuxRtnetlink.RTM_GETNEIGH, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new NdMsg { Family = KernelFamily.ToKernel(family), Flags = proxies ? LinuxNeighbour.NTF_PROXY : (byte)0 });
        if (linkIndex > 0)
        {
            writer.WriteUInt32(LinuxNeighbour.NDA_IFINDEX, (uint)linkIndex);
        }

        writer.EndMessage();
    }

    internal static string FormatMac(PhysicalAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        var text = new StringBuilder(bytes.Length * 3);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(bytes[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static void WriteBody(ref NetlinkMessageWriter writer, NeighbourSpec spec, int linkIndex, ushort state, bool includeLinkLayerAddress)
    {
        writer.WriteHeader(new NdMsg
        {
            Family = KernelFamily.ToKernel(spec.Address.AddressFamily),
            Index = linkIndex,
            State = state,
            Flags = (byte)spec.Flags,
        });
        writer.WriteAddress(LinuxNeighbour.NDA_DST, spec.Address);
        if (includeLinkLayerAddress && spec.LinkLayerBytes is { } mac)
        {
            // Validate refused an empty address, which WritePhysicalAddress refuses too.
            writer.WriteAttribute(LinuxNeighbour.NDA_LLADDR, mac);
        }
    }
}
