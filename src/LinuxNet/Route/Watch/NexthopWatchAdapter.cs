using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Nexthop objects and groups for a watch: keyed by id; the dump is <c>ip nexthop show</c>'s; read as <see cref="NexthopInfo"/>.</summary>
internal sealed class NexthopWatchAdapter : WatchAdapter
{
    private static readonly int Size = Marshal.SizeOf<NhMsg>();

    internal override RtnetlinkEventKind Kind => RtnetlinkEventKind.Nexthop;

    internal override RtnetlinkEventKinds Group => RtnetlinkEventKinds.Nexthops;

    private protected override ushort NewType => LinuxNexthop.RTM_NEWNEXTHOP;

    private protected override ushort DeleteType => LinuxNexthop.RTM_DELNEXTHOP;

    private protected override int HeaderSize => Size;

    internal override bool TryReadKey(in NetlinkMessage message, out WatchKey key)
    {
        key = default;
        if (!IsOwnMessage(message))
        {
            return false;
        }

        foreach (NetlinkAttribute attribute in message.GetAttributes<NhMsg>())
        {
            if (attribute.Type == LinuxNexthop.NHA_ID && attribute.Value.Length >= 4)
            {
                key = new WatchKey(RtnetlinkEventKind.Nexthop, 0, 0, table: attribute.GetUInt32());
                return true;
            }
        }

        return false;
    }

    internal override bool StateEquals(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> payload)
        => WatchEquality.PayloadEquals<Comparer>(stored, payload, Size);

    internal override ValueTask DumpAsync(RequestPipeline pipeline, WatchDump dump, CancellationToken cancellationToken)
        => DumpAsync(pipeline, default(NexthopDumpRequest), static (ref NetlinkMessageWriter w, NexthopDumpRequest r) => NexthopMessages.WriteDump(ref w, r), dump, cancellationToken);

    internal override object? Parse(in NetlinkMessage message) => NexthopMessages.Parse(message);

    private readonly struct Comparer : IAttributeComparer
    {
        public bool Skip(ushort type) => false;

        // A resilient group reports how long it has been unbalanced: time passing, not a change of the group.
        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
            => type == LinuxNexthop.NHA_RES_GROUP ? WatchEquality.AttributesEqual<ResilientGroupTimers>(a, b) : a.SequenceEqual(b);
    }

    private readonly struct ResilientGroupTimers : IAttributeComparer
    {
        public bool Skip(ushort type) => type == LinuxNexthop.NHA_RES_GROUP_UNBALANCED_TIME;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);
    }
}
