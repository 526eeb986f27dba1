using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Where a kind's dump goes: each message into the store, as seen in the current pass.</summary>
/// <remarks>
/// An interrupted dump (<c>NLM_F_DUMP_INTR</c>) is read again by the socket's dump policy without clearing anything:
/// an object the first pass saw and the second did not was deleted after subscribing, so its deletion event is in the
/// window the store applies after the dumps.
/// </remarks>
internal sealed class WatchDump
{
    internal static readonly NetlinkMessageHandler<WatchDump> Handler = static (message, dump) => dump.Store.AddDumped(dump.Adapter!, message);

    internal WatchDump(WatchStore store) => Store = store;

    internal WatchStore Store { get; }

    internal WatchAdapter? Adapter { get; set; }
}
