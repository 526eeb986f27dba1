namespace LinuxNet.Route;

/// <summary>
/// One item of a <see cref="RtnetlinkWatch"/>: a change to apply (<see cref="RtnetlinkWatchChange.Added"/>,
/// <see cref="RtnetlinkWatchChange.Changed"/>, <see cref="RtnetlinkWatchChange.Deleted"/>) with the object, or a marker.
/// </summary>
/// <remarks>
/// The object is an <see cref="RtnetlinkEvent"/> view over the watch's own copy of the kernel's message: reading its
/// kind, family, link and the other views allocates nothing; <see cref="RtnetlinkEvent.ToLink"/>,
/// <see cref="RtnetlinkEvent.ToAddress"/>, <see cref="RtnetlinkEvent.ToRoute"/> and <see cref="RtnetlinkEvent.ToNeighbour"/>
/// build the read models the managers return. Valid until the enumeration moves on.
/// </remarks>
public readonly struct RtnetlinkWatchEvent
{
    internal RtnetlinkWatchEvent(RtnetlinkWatchChange change, RtnetlinkEvent e)
    {
        Change = change;
        Event = e;
    }

    /// <summary>What to do with the object, or which marker this is.</summary>
    public RtnetlinkWatchChange Change { get; }

    /// <summary>
    /// The object (its last state for a deletion), as an event view whose <see cref="RtnetlinkEvent.Action"/> matches
    /// <see cref="Change"/>; <see langword="default"/> (no message) for a marker.
    /// </summary>
    public RtnetlinkEvent Event { get; }

    /// <summary>The object's kind: link, address, route or neighbour; <see cref="RtnetlinkEventKind.Overrun"/> (0) for a marker.</summary>
    public RtnetlinkEventKind Kind => Event.Kind;

    /// <summary>Whether this is a marker (<see cref="RtnetlinkWatchChange.SnapshotCompleted"/>, <see cref="RtnetlinkWatchChange.ResyncStarted"/>, <see cref="RtnetlinkWatchChange.ResyncCompleted"/>).</summary>
    public bool IsMarker => Change >= RtnetlinkWatchChange.SnapshotCompleted;

    /// <summary>Describes the item.</summary>
    /// <returns>For example <c>Added Route New (RTM_NEWROUTE)</c> or <c>ResyncStarted</c>.</returns>
    public override string ToString() => IsMarker ? Change.ToString() : $"{Change} {Event}";
}
