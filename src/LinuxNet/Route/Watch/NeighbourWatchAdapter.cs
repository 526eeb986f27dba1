using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// IPv4/IPv6 neighbour entries for a watch: keyed by family, link and address; the dump is
/// <c>ip neigh show</c>'s; read as <see cref="NeighbourInfo"/>. Proxy entries, NOARP entries and bridge FDB entries
/// (which share the neighbour group) are not followed, as <c>ip neigh show</c> does not show them.
/// </summary>
internal sealed class NeighbourWatchAdapter : WatchAdapter
{
    private static readonly int Size = Marshal.SizeOf<NdMsg>();

    internal override RtnetlinkEventKind Kind => RtnetlinkEventKind.Neighbour;

    private protected override ushort NewType => LinuxRtnetlink.RTM_NEWNEIGH;

    private protected override ushort DeleteType => LinuxRtnetlink.RTM_DELNEIGH;

    private protected override int HeaderSize => Size;

    internal override RtnetlinkEventKinds Group => RtnetlinkEventKinds.Neighbours;

    // A NOARP entry counts as absent: the kernel creates those (multicast, point-to-point links) without an event, so a
    // watch could never follow them; ip neigh hides them as well unless asked for "nud all".
    internal override bool IsDelete(in NetlinkMessage message)
        => base.IsDelete(message) || (message.ReadHeader<NdMsg>().State & LinuxNeighbour.NUD_NOARP) != 0;

    internal override bool TryReadKey(in NetlinkMessage message, out WatchKey key)
    {
        key = default;
        if (!IsOwnMessage(message))
        {
            return false;
        }

        NdMsg header = message.ReadHeader<NdMsg>();
        if (header.Family is not (LinuxSocket.AF_INET or LinuxSocket.AF_INET6) || (header.Flags & LinuxNeighbour.NTF_PROXY) != 0)
        {
            return false;
        }

        foreach (NetlinkAttribute attribute in message.GetAttributes<NdMsg>())
        {
            if (attribute.Type == LinuxNeighbour.NDA_DST)
            {
                key = new WatchKey(RtnetlinkEventKind.Neighbour, header.Family, header.Index, address: attribute.Value);
                return true;
            }
        }

        return false;
    }

    internal override bool StateEquals(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> payload)
        => WatchEquality.PayloadEquals<Comparer>(stored, payload, Size);

    internal override ValueTask DumpAsync(RequestPipeline pipeline, WatchDump dump, CancellationToken cancellationToken)
        => DumpAsync<(AddressFamily, int, bool)>(pipeline, (AddressFamily.Unspecified, 0, false), NeighbourMessage.WriteDump, dump, cancellationToken);

    internal override object? Parse(in NetlinkMessage message) => NeighbourInfo.Parse(message);

    // Neighbour table dumps resume by position in a hash bucket and are not flagged when it changes underneath.
    internal override bool MayDisturbDump(in NetlinkMessage message) => true;

    private readonly struct Comparer : IAttributeComparer
    {
        // NDA_CACHEINFO (confirmed/used/updated ages) and NDA_PROBES count by themselves.
        public bool Skip(ushort type) => type is LinuxNeighbour.NDA_CACHEINFO or LinuxNeighbour.NDA_PROBES;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);
    }
}
