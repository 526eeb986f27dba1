using System;

namespace LinuxNet.Route;

/// <summary>What changed in a <see cref="RtnetlinkCache"/>: one object added, changed or deleted, or a synchronisation marker.</summary>
public sealed class RtnetlinkCacheChangedEventArgs : EventArgs
{
    internal RtnetlinkCacheChangedEventArgs(RtnetlinkWatchChange change, RtnetlinkEventKind kind, object? item, object? previous, long version)
    {
        Change = change;
        Kind = kind;
        Item = item;
        Previous = previous;
        Version = version;
    }

    /// <summary>Added, Changed, Deleted, or a marker (<see cref="RtnetlinkWatchChange.ResyncStarted"/>, <see cref="RtnetlinkWatchChange.ResyncCompleted"/>).</summary>
    public RtnetlinkWatchChange Change { get; }

    /// <summary>The object's kind; <see cref="RtnetlinkEventKind.Overrun"/> (0) for a marker.</summary>
    public RtnetlinkEventKind Kind { get; }

    /// <summary>The object now (<see cref="LinkInfo"/>, <see cref="AddressInfo"/>, <see cref="RouteInfo"/> or <see cref="NeighbourInfo"/>); for a deletion its last state; <see langword="null"/> for a marker.</summary>
    public object? Item { get; }

    /// <summary>The object before a change or deletion; <see langword="null"/> for an addition or a marker.</summary>
    public object? Previous { get; }

    /// <summary>The cache's <see cref="RtnetlinkCache.Version"/> after this change.</summary>
    public long Version { get; }
}
