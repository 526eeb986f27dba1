using System;
using System.Collections.Generic;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What the consumer of a watch has been told, object by object, and the reconciliation of that with the kernel: live
/// events are applied one at a time (an event that changes nothing is not yielded), and a synchronisation (the first
/// snapshot, a resync after lost events, a quiet re-read) compares a fresh dump plus the events that arrived during it
/// with what the consumer saw, and gives only the difference.
/// </summary>
/// <remarks>
/// <para>
/// A synchronisation is one or more passes: <see cref="BeginPass"/>, the dumps (<see cref="AddDumped"/>), then the
/// events queued meanwhile (<see cref="ApplyWindow"/>), then <see cref="CompletePass"/>. Events of the window are in
/// kernel order and every change after subscribing has one, so folding them onto the dump gives the state at the end
/// of the window, whatever the dump saw first — no gap, no stale event yielded after the newer state, no duplicate.
/// A pass whose window lost events is abandoned and a new pass begins; its partial work stays (an object the first
/// pass saw and the second does not is swept by the second).
/// </para>
/// <para>Not thread-safe: owned by one enumeration.</para>
/// </remarks>
internal sealed class WatchStore
{
    private const int MaxFreeEntries = 4096;

    private readonly Dictionary<WatchKey, WatchEntry> _entries = new();
    private readonly Stack<WatchEntry> _free = new();
    private readonly List<WatchKey> _sweep = new();
    private readonly WatchAdapter[] _adapters;
    private RtnetlinkEventKinds _scope;
    private int _pass;
    private int _peak;

    internal WatchStore(WatchAdapter[] adapters) => _adapters = adapters;

    /// <summary>How many objects the consumer has been given and not told were deleted (plus, during a pass, new ones).</summary>
    internal int Count => _entries.Count;

    internal IReadOnlyList<WatchAdapter> Adapters => _adapters;

    /// <summary>The adapter of <paramref name="kind"/>, or <see langword="null"/> when the watch does not follow it.</summary>
    internal WatchAdapter? AdapterFor(RtnetlinkEventKind kind)
    {
        foreach (WatchAdapter adapter in _adapters)
        {
            if (adapter.Kind == kind)
            {
                return adapter;
            }
        }

        return null;
    }

    /// <summary>Applies one live event.</summary>
    /// <param name="adapter">The event's kind.</param>
    /// <param name="message">The event.</param>
    /// <param name="change">What to yield, when the method returns true.</param>
    /// <param name="entry">The object (for a deletion, removed: give it back with <see cref="Release"/> once yielded).</param>
    /// <param name="refresh">Kinds the kernel changed silently along with this event.</param>
    /// <returns>False when the event is not followed or changes nothing the consumer was told.</returns>
    internal bool ApplyLive(WatchAdapter adapter, in NetlinkMessage message, out RtnetlinkWatchChange change, out WatchEntry? entry, out RtnetlinkEventKinds refresh)
    {
        change = default;
        refresh = RtnetlinkEventKinds.None;
        if (!adapter.TryReadKey(message, out WatchKey key))
        {
            entry = null;
            return false;
        }

        bool exists = _entries.TryGetValue(key, out entry);
        if (adapter.IsDelete(message))
        {
            if (!exists)
            {
                return false;
            }

            refresh = adapter.ImpliedRefresh(entry!.Payload, message, deleted: true);
            _entries.Remove(key);
            change = RtnetlinkWatchChange.Deleted;
            return true;
        }

        if (exists)
        {
            refresh = adapter.ImpliedRefresh(entry!.Payload, message, deleted: false);
            bool same = adapter.StateEquals(entry.Payload, message.Payload);
            entry.Store(message);
            change = RtnetlinkWatchChange.Changed;
            return !same;
        }

        refresh = adapter.ImpliedRefresh(default, message, deleted: false);
        entry = Rent(adapter, key);
        entry.Store(message);
        entry.Known = true;
        _entries.Add(key, entry);
        _peak = Math.Max(_peak, _entries.Count);
        change = RtnetlinkWatchChange.Added;
        return true;
    }

    /// <summary>Starts a synchronisation pass over <paramref name="scope"/>: what the dumps of those kinds do not see is swept.</summary>
    internal void BeginPass(RtnetlinkEventKinds scope)
    {
        _scope = scope;
        _pass++;
    }

    /// <summary>One message of a dump of the current pass.</summary>
    internal void AddDumped(WatchAdapter adapter, in NetlinkMessage message)
    {
        if (adapter.TryReadKey(message, out WatchKey key) && !adapter.IsDelete(message))
        {
            Upsert(adapter, key, message);
        }
    }

    /// <summary>One event that arrived while the pass dumped (any followed kind, creation or deletion).</summary>
    /// <param name="adapter">The event's kind.</param>
    /// <param name="message">The event.</param>
    /// <param name="refresh">Gains the kinds the kernel changed silently along with it.</param>
    /// <param name="disturbed">Gains the event's kind when the event may have made that kind's dump skip objects.</param>
    internal void ApplyWindow(WatchAdapter adapter, in NetlinkMessage message, ref RtnetlinkEventKinds refresh, ref RtnetlinkEventKinds disturbed)
    {
        if (!adapter.TryReadKey(message, out WatchKey key))
        {
            return;
        }

        if ((adapter.Group & _scope) != 0 && adapter.MayDisturbDump(message))
        {
            disturbed |= adapter.Group;
        }

        bool delete = adapter.IsDelete(message);
        bool exists = _entries.TryGetValue(key, out WatchEntry? entry);
        refresh |= adapter.ImpliedRefresh(exists ? entry!.Payload : default, message, delete);

        if (!delete)
        {
            Upsert(adapter, key, message);
        }
        else if (entry is not null)
        {
            entry.Gone = true;
        }
    }

    /// <summary>
    /// Ends a clean pass: appends the difference between what the consumer saw and the state now to
    /// <paramref name="pending"/> — additions and changes in kind order, then deletions in reverse kind order — and makes
    /// that state the consumer's. Deleted entries are removed; give them back with <see cref="Release"/> once yielded.
    /// </summary>
    internal void CompletePass(List<WatchPending> pending)
    {
        int first = pending.Count;
        _sweep.Clear();
        foreach (KeyValuePair<WatchKey, WatchEntry> pair in _entries)
        {
            WatchEntry entry = pair.Value;
            bool unseen = (entry.Adapter.Group & _scope) != 0 && entry.Pass != _pass;
            if (entry.Gone || unseen)
            {
                _sweep.Add(pair.Key);
                if (entry.Known)
                {
                    pending.Add(new WatchPending(RtnetlinkWatchChange.Deleted, entry));
                }
                else
                {
                    Release(entry);
                }

                continue;
            }

            if (!entry.Known || entry.Dirty)
            {
                pending.Add(new WatchPending(entry.Known ? RtnetlinkWatchChange.Changed : RtnetlinkWatchChange.Added, entry));
                entry.Known = true;
                entry.Dirty = false;
            }
        }

        foreach (WatchKey key in _sweep)
        {
            _entries.Remove(key);
        }

        _sweep.Clear();
        _scope = RtnetlinkEventKinds.None;
        SortDifference(pending, first);
    }

    /// <summary>Takes back an entry that was removed and yielded, for reuse.</summary>
    internal void Release(WatchEntry entry)
    {
        entry.Known = false;
        entry.Dirty = false;
        entry.Gone = false;
        // Entries are kept for reuse up to the most objects the watch ever held, so add/delete churn allocates nothing.
        if (_free.Count < Math.Max(MaxFreeEntries, _peak))
        {
            _free.Push(entry);
        }
    }

    /// <summary>The consumer's current state of every object, for tests: key and message.</summary>
    internal IEnumerable<WatchEntry> Entries => _entries.Values;

    private void Upsert(WatchAdapter adapter, in WatchKey key, in NetlinkMessage message)
    {
        if (_entries.TryGetValue(key, out WatchEntry? entry))
        {
            if (!adapter.StateEquals(entry.Payload, message.Payload))
            {
                // Once overwritten, the consumer's version is gone: the entry stays dirty for the rest of the pass.
                entry.Dirty = true;
            }

            entry.Gone = false;
        }
        else
        {
            entry = Rent(adapter, key);
            _entries.Add(key, entry);
            _peak = Math.Max(_peak, _entries.Count);
        }

        entry.Store(message);
        entry.Pass = _pass;
    }

    private WatchEntry Rent(WatchAdapter adapter, in WatchKey key)
    {
        WatchEntry entry = _free.Count > 0 ? _free.Pop() : new WatchEntry();
        entry.Key = key;
        entry.Adapter = adapter;
        entry.Known = false;
        entry.Dirty = false;
        entry.Gone = false;
        entry.Pass = _pass;
        return entry;
    }

    private void SortDifference(List<WatchPending> pending, int first)
    {
        // A stable order by kind: additions and changes as the adapters are listed (links first), deletions reversed
        // (neighbours and routes before the links they were on).
        var ordered = new List<WatchPending>(pending.Count - first);
        for (int a = 0; a < _adapters.Length; a++)
        {
            AppendWhere(pending, first, ordered, _adapters[a], deleted: false);
        }

        for (int a = _adapters.Length - 1; a >= 0; a--)
        {
            AppendWhere(pending, first, ordered, _adapters[a], deleted: true);
        }

        pending.RemoveRange(first, pending.Count - first);
        pending.AddRange(ordered);
    }

    private static void AppendWhere(List<WatchPending> source, int first, List<WatchPending> target, WatchAdapter adapter, bool deleted)
    {
        for (int i = first; i < source.Count; i++)
        {
            WatchPending item = source[i];
            if (item.Entry!.Adapter == adapter && (item.Change == RtnetlinkWatchChange.Deleted) == deleted)
            {
                target.Add(item);
            }
        }
    }
}
