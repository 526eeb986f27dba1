using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Routes for a watch: keyed by family, table, destination, source, tos, metric and output link (what the kernel keys a
/// route by);
/// the dump is <c>ip route show table all</c>'s; read as <see cref="RouteInfo"/>. Cached (cloned) routes are not
/// followed; <see cref="RtnetlinkWatchOptions.RouteTables"/> limits the tables.
/// </summary>
internal sealed class RouteWatchAdapter : WatchAdapter
{
    private static readonly int Size = Marshal.SizeOf<RtMsg>();
    private readonly HashSet<uint>? _tables;

    internal RouteWatchAdapter(IReadOnlyCollection<uint>? tables) => _tables = tables is null ? null : new HashSet<uint>(tables);

    internal override RtnetlinkEventKind Kind => RtnetlinkEventKind.Route;

    private protected override ushort NewType => LinuxRtnetlink.RTM_NEWROUTE;

    private protected override ushort DeleteType => LinuxRtnetlink.RTM_DELROUTE;

    private protected override int HeaderSize => Size;

    internal override RtnetlinkEventKinds Group => RtnetlinkEventKinds.Routes;


    internal override bool TryReadKey(in NetlinkMessage message, out WatchKey key)
    {
        key = default;
        if (!IsOwnMessage(message))
        {
            return false;
        }

        RtMsg header = message.ReadHeader<RtMsg>();
        if (header.Family is not (LinuxSocket.AF_INET or LinuxSocket.AF_INET6) || (header.Flags & LinuxRtnetlink.RTM_F_CLONED) != 0)
        {
            return false;
        }

        // The one route decoder's struct view: what identifies a route, read in place.
        var route = new RouteView(message);
        uint table = route.Table;
        if (_tables is not null && !_tables.Contains(table))
        {
            return false;
        }

        // The output link is part of the identity: IPv6 keeps fe80::/64 dev v0 and dev v1 (same metric) as two
        // routes, and IPv4 does after "ip route append". A multipath route has none (0).
        key = new WatchKey(RtnetlinkEventKind.Route, header.Family, route.LinkIndex, table, route.Metric ?? 0, header.DestinationLength, header.SourceLength, header.Tos, route.DestinationBytes, route.SourceBytes);
        return true;
    }

    internal override bool StateEquals(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> payload)
        => WatchEquality.PayloadEquals<Comparer>(stored, payload, Size);

    internal override ValueTask DumpAsync(RequestPipeline pipeline, WatchDump dump, CancellationToken cancellationToken)
        => DumpAsync<(AddressFamily, uint?)>(pipeline, (AddressFamily.Unspecified, null), RouteMessages.WriteDump, dump, cancellationToken);

    internal override object? Parse(in NetlinkMessage message) => RouteMessages.Parse(message);

    // "ip route replace" onto another link removes the old route without a RTM_DELROUTE: re-read routes after it.
    internal override RtnetlinkEventKinds ImpliedRefresh(ReadOnlySpan<byte> previous, in NetlinkMessage message, bool deleted)
        => !deleted && (message.Flags & NetlinkMessageFlags.Replace) != 0 ? RtnetlinkEventKinds.Routes : RtnetlinkEventKinds.None;

    // The kernel never flags an interrupted IPv6 route dump (the fib6 walker resumes by count); IPv4 dumps resume by key.
    internal override bool MayDisturbDump(in NetlinkMessage message) => message.ReadHeader<RtMsg>().Family == LinuxSocket.AF_INET6;

    private readonly struct Comparer : IAttributeComparer
    {
        // RTA_CACHEINFO (use counts, last use, expiry countdown) and RTA_EXPIRES count by themselves.
        public bool Skip(ushort type) => type is LinuxRtnetlink.RTA_CACHEINFO or LinuxRtnetlink.RTA_EXPIRES;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);
    }
}
