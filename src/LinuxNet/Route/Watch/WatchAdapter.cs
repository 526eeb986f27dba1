using System;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Everything a <see cref="RtnetlinkWatch"/> knows about one kind of kernel object, and the only place it knows it:
/// the object's identity (<see cref="TryReadKey"/>), its state equality (<see cref="StateEquals"/>), its dump (the
/// manager's own request encoder) and its read model (the manager's own decoder).
/// </summary>
/// <remarks>
/// A new kind plugs in with one more subclass and one line in <see cref="WatchAdapters.Create"/>: nexthops, for
/// example, key by id, compare <c>nhmsg</c> and the <c>NHA_*</c> attributes, dump with the nexthop manager's request and
/// parse with its decoder; the monitor needs the kind's group and event classification. Nothing else in the watch or
/// the cache changes.
/// </remarks>
internal abstract class WatchAdapter
{
    /// <summary>The event kind of this object's messages.</summary>
    internal abstract RtnetlinkEventKind Kind { get; }

    /// <summary>The monitor group set (and the <see cref="RtnetlinkWatch"/> kind flag) of this object.</summary>
    internal abstract RtnetlinkEventKinds Group { get; }

    /// <summary>The kind's creation/change message type (<c>RTM_NEW*</c>), which its dumps answer with.</summary>
    private protected abstract ushort NewType { get; }

    /// <summary>The kind's deletion message type (<c>RTM_DEL*</c>).</summary>
    private protected abstract ushort DeleteType { get; }

    /// <summary>The size of the kind's family header (<c>ifinfomsg</c>, <c>rtmsg</c>…).</summary>
    private protected abstract int HeaderSize { get; }

    /// <summary>Whether <paramref name="message"/> removes the object (<c>RTM_DEL*</c>, or a state the watch does not follow).</summary>
    internal virtual bool IsDelete(in NetlinkMessage message) => message.Type == DeleteType;

    /// <summary>Reads the object's identity from a <c>RTM_NEW*</c>/<c>RTM_DEL*</c> message without allocating.</summary>
    /// <returns>False for messages the watch does not track (another family, a cloned route, a table not watched…).</returns>
    internal abstract bool TryReadKey(in NetlinkMessage message, out WatchKey key);

    /// <summary>Whether two payloads describe the same state of the object, ignoring what changes by itself.</summary>
    internal abstract bool StateEquals(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> payload);

    /// <summary>Dumps every object of the kind into <paramref name="dump"/> with the manager's own dump request.</summary>
    internal abstract ValueTask DumpAsync(RequestPipeline pipeline, WatchDump dump, CancellationToken cancellationToken);

    /// <summary>The read model of a message, with the manager's own decoder (<see cref="LinkInfo"/>, <see cref="RouteInfo"/>…).</summary>
    internal abstract object? Parse(in NetlinkMessage message);

    /// <summary>
    /// Kinds the kernel changes without telling when this change happens (IPv4 routes flushed silently when their
    /// link goes down or is deleted): the watch re-reads them after it, quietly diffing.
    /// </summary>
    /// <param name="previous">The payload the watch held before, or empty when the object is new to it.</param>
    /// <param name="message">The change.</param>
    /// <param name="deleted">Whether the change is a deletion.</param>
    /// <returns>The kinds to re-read; <see cref="RtnetlinkEventKinds.None"/> for most changes.</returns>
    internal virtual RtnetlinkEventKinds ImpliedRefresh(ReadOnlySpan<byte> previous, in NetlinkMessage message, bool deleted) => RtnetlinkEventKinds.None;

    /// <summary>
    /// Whether a change like <paramref name="message"/> during this kind's dump can make the dump skip other objects
    /// without flagging it (<c>NLM_F_DUMP_INTR</c>): IPv6 route dumps and neighbour dumps resume by position, so a
    /// deletion before the position hides an object that never changes and so never has an event. After a window with
    /// such changes the watch dumps again.
    /// </summary>
    internal virtual bool MayDisturbDump(in NetlinkMessage message) => false;

    /// <summary>Whether <paramref name="message"/> is one of this kind's messages, with a whole family header.</summary>
    private protected bool IsOwnMessage(in NetlinkMessage message)
        => (message.Type == NewType || message.Type == DeleteType) && message.Payload.Length >= HeaderSize;

    /// <summary>Runs a dump through the request pipeline into the store (the handler shared by every kind).</summary>
    private protected static async ValueTask DumpAsync<TArg>(RequestPipeline pipeline, TArg argument, RequestEncoder<TArg> encode, WatchDump dump, CancellationToken cancellationToken)
        => await pipeline.QueryAsync<AsyncWait, TArg, WatchDump>(argument, encode, dump, WatchDump.Handler, null, cancellationToken).ConfigureAwait(false);
}
