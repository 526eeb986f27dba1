using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Links for a watch: keyed by index; the dump is <c>ip link show</c>'s; read as <see cref="LinkInfo"/>.</summary>
internal sealed class LinkWatchAdapter : WatchAdapter
{
    // ifi_change (the last 4 bytes of ifinfomsg) says what the notification is about, not what the link is.
    private const int ChangeOffset = 12;
    private const uint CarrierFlags = LinuxNetDeviceFlags.IFF_UP | LinuxNetDeviceFlags.IFF_LOWER_UP | LinuxNetDeviceFlags.IFF_RUNNING;

    private static readonly int Size = Marshal.SizeOf<IfInfoMsg>();
    private readonly bool _refreshRoutes;

    internal LinkWatchAdapter(RtnetlinkEventKinds watched) => _refreshRoutes = (watched & RtnetlinkEventKinds.Routes) != 0;

    internal override RtnetlinkEventKind Kind => RtnetlinkEventKind.Link;

    private protected override ushort NewType => LinuxRtnetlink.RTM_NEWLINK;

    private protected override ushort DeleteType => LinuxRtnetlink.RTM_DELLINK;

    private protected override int HeaderSize => Size;

    internal override RtnetlinkEventKinds Group => RtnetlinkEventKinds.Links;


    internal override bool TryReadKey(in NetlinkMessage message, out WatchKey key)
    {
        if (!IsOwnMessage(message))
        {
            key = default;
            return false;
        }

        key = new WatchKey(RtnetlinkEventKind.Link, 0, message.ReadHeader<IfInfoMsg>().Index);
        return true;
    }

    internal override bool StateEquals(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> payload)
        => WatchEquality.PayloadEquals<Comparer>(stored, payload, Size, ChangeOffset, 4);

    internal override ValueTask DumpAsync(RequestPipeline pipeline, WatchDump dump, CancellationToken cancellationToken)
        => DumpAsync(pipeline, 0, static (ref NetlinkMessageWriter w, int _) => LinkMessages.WriteDump(ref w), dump, cancellationToken);

    internal override object? Parse(in NetlinkMessage message) => LinkMessages.Parse(message);

    internal override RtnetlinkEventKinds ImpliedRefresh(ReadOnlySpan<byte> previous, in NetlinkMessage message, bool deleted)
    {
        // The kernel flushes (or marks linkdown) IPv4 routes through a link that goes down or away without a
        // RTM_DELROUTE: re-read routes after such a change.
        if (!_refreshRoutes || previous.Length < Size)
        {
            return RtnetlinkEventKinds.None;
        }

        uint before = MemoryMarshal.Read<IfInfoMsg>(previous).Flags;
        uint after = message.ReadHeader<IfInfoMsg>().Flags;
        return deleted || ((before ^ after) & CarrierFlags) != 0 ? RtnetlinkEventKinds.Routes : RtnetlinkEventKinds.None;
    }

    private readonly struct Comparer : IAttributeComparer
    {
        public bool Skip(ushort type) => type is LinuxIfLink.IFLA_STATS or LinuxIfLink.IFLA_STATS64
            // IFLA_AF_SPEC holds IPv6's per-link statistics and a reachable time the kernel re-randomises.
            or LinuxIfLink.IFLA_AF_SPEC
            // What a notification adds about itself, not about the link.
            or LinuxIfLink.IFLA_EVENT or LinuxIfLink.IFLA_NEW_NETNSID or LinuxIfLink.IFLA_IF_NETNSID or LinuxIfLink.IFLA_NEW_IFINDEX;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
            => type == LinuxIfLink.IFLA_LINKINFO ? WatchEquality.AttributesEqual<LinkInfoComparer>(a, b) : a.SequenceEqual(b);
    }

    private readonly struct LinkInfoComparer : IAttributeComparer
    {
        public bool Skip(ushort type) => false;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => type switch
        {
            LinuxIfLink.IFLA_INFO_DATA => WatchEquality.AttributesEqual<BridgeTimers>(a, b),
            LinuxIfLink.IFLA_INFO_SLAVE_DATA => WatchEquality.AttributesEqual<BridgePortTimers>(a, b),
            _ => a.SequenceEqual(b),
        };
    }

    private readonly struct BridgeTimers : IAttributeComparer
    {
        public bool Skip(ushort type) => type is LinuxIfLink.IFLA_BR_HELLO_TIMER or LinuxIfLink.IFLA_BR_TCN_TIMER or LinuxIfLink.IFLA_BR_TOPOLOGY_CHANGE_TIMER or LinuxIfLink.IFLA_BR_GC_TIMER;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);
    }

    private readonly struct BridgePortTimers : IAttributeComparer
    {
        public bool Skip(ushort type) => type is LinuxIfLink.IFLA_BRPORT_MESSAGE_AGE_TIMER or LinuxIfLink.IFLA_BRPORT_FORWARD_DELAY_TIMER or LinuxIfLink.IFLA_BRPORT_HOLD_TIMER;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);
    }
}
