using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Addresses for a watch: keyed by family, link, prefix length, local address and peer; the dump is
/// <c>ip address show</c>'s; read as <see cref="AddressInfo"/>.
/// </summary>
internal sealed class AddressWatchAdapter : WatchAdapter
{
    private static readonly int Size = Marshal.SizeOf<IfAddrMsg>();
    private readonly bool _refreshRoutes;

    internal AddressWatchAdapter(RtnetlinkEventKinds watched) => _refreshRoutes = (watched & RtnetlinkEventKinds.Routes) != 0;

    internal override RtnetlinkEventKind Kind => RtnetlinkEventKind.Address;

    private protected override ushort NewType => LinuxRtnetlink.RTM_NEWADDR;

    private protected override ushort DeleteType => LinuxRtnetlink.RTM_DELADDR;

    private protected override int HeaderSize => Size;

    internal override RtnetlinkEventKinds Group => RtnetlinkEventKinds.Addresses;


    internal override bool TryReadKey(in NetlinkMessage message, out WatchKey key)
    {
        key = default;
        if (!IsOwnMessage(message))
        {
            return false;
        }

        IfAddrMsg header = message.ReadHeader<IfAddrMsg>();
        if (header.Family is not (LinuxSocket.AF_INET or LinuxSocket.AF_INET6))
        {
            return false;
        }

        ReadOnlySpan<byte> local = default;
        ReadOnlySpan<byte> address = default;
        foreach (NetlinkAttribute attribute in message.GetAttributes<IfAddrMsg>())
        {
            if (attribute.Type == LinuxIfAddr.IFA_LOCAL)
            {
                local = attribute.Value;
            }
            else if (attribute.Type == LinuxIfAddr.IFA_ADDRESS)
            {
                address = attribute.Value;
            }
        }

        if (local.IsEmpty && address.IsEmpty)
        {
            return false;
        }

        key = new WatchKey(RtnetlinkEventKind.Address, header.Family, (int)header.Index, prefixLength: header.PrefixLength, address: local.IsEmpty ? address : local, other: address);
        return true;
    }

    internal override bool StateEquals(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> payload)
        => WatchEquality.PayloadEquals<Comparer>(stored, payload, Size);

    internal override ValueTask DumpAsync(RequestPipeline pipeline, WatchDump dump, CancellationToken cancellationToken)
        => DumpAsync<(AddressFamily, int)>(pipeline, (AddressFamily.Unspecified, 0), AddressMessages.WriteDump, dump, cancellationToken);

    internal override object? Parse(in NetlinkMessage message) => AddressMessages.Parse(message);

    internal override RtnetlinkEventKinds ImpliedRefresh(ReadOnlySpan<byte> previous, in NetlinkMessage message, bool deleted)
        // Removing an IPv4 address flushes the routes that use it as preferred source without a RTM_DELROUTE.
        => _refreshRoutes && deleted && message.ReadHeader<IfAddrMsg>().Family == LinuxSocket.AF_INET ? RtnetlinkEventKinds.Routes : RtnetlinkEventKinds.None;

    private readonly struct Comparer : IAttributeComparer
    {
        // IFA_CACHEINFO: remaining lifetimes counting down and timestamps.
        public bool Skip(ushort type) => type == LinuxIfAddr.IFA_CACHEINFO;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);
    }
}
