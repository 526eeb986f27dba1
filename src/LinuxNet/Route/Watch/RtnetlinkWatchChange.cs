namespace LinuxNet.Route;

/// <summary>What a <see cref="RtnetlinkWatchEvent"/> tells: a change to apply, or a marker around a synchronisation.</summary>
public enum RtnetlinkWatchChange
{
    /// <summary>An object the consumer did not have: add it. The first snapshot is all additions.</summary>
    Added = 0,

    /// <summary>An object the consumer has, in a new state: replace it.</summary>
    Changed,

    /// <summary>An object the consumer has is gone: remove it. The event carries its last state.</summary>
    Deleted,

    /// <summary>
    /// Marker: the first snapshot is complete — every object that existed is now Added, and what follows are changes
    /// made after it.
    /// </summary>
    SnapshotCompleted,

    /// <summary>
    /// Marker: the kernel dropped events (<c>ENOBUFS</c>); the watch re-reads the state and yields the difference
    /// between what the consumer has and what the kernel has, then <see cref="ResyncCompleted"/>.
    /// </summary>
    ResyncStarted,

    /// <summary>Marker: the difference is complete; a consumer that applied the stream equals the kernel again.</summary>
    ResyncCompleted,
}
