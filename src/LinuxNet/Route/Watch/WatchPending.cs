namespace LinuxNet.Route;

/// <summary>One item of a synchronisation's difference, waiting to be yielded: the change and the object.</summary>
internal readonly struct WatchPending
{
    internal WatchPending(RtnetlinkWatchChange change, WatchEntry? entry)
    {
        Change = change;
        Entry = entry;
    }

    internal RtnetlinkWatchChange Change { get; }

    /// <summary>The object; <see langword="null"/> for a marker.</summary>
    internal WatchEntry? Entry { get; }
}
