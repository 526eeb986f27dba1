using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// A stream of state that never loses anything: one consistent snapshot of the chosen links, addresses, routes and
/// neighbours of a namespace, followed by every change after it — what <c>ip monitor</c> plus a re-dump after each
/// lost event gives, without the gaps, the duplicates and the full replays.
/// </summary>
/// <remarks>
/// <para>
/// The watch subscribes (its own event socket, opened by <see cref="RtnetlinkSession.Watch"/>) before it dumps, then
/// folds the events that arrived during the dump onto it: the snapshot is yielded as
/// <see cref="RtnetlinkWatchChange.Added"/> items and a <see cref="RtnetlinkWatchChange.SnapshotCompleted"/> marker, with
/// no object twice and no change missed; changes follow as Added / Changed / Deleted. An event that changes nothing
/// the consumer was told (an equal state, a deletion of what it never had) is not yielded. Counters, timers and
/// lifetimes that count by themselves do not make an object "changed".
/// </para>
/// <para>
/// When the kernel drops events (<c>ENOBUFS</c>, the consumer fell behind the receive buffer) the watch resynchronises
/// by itself: <see cref="RtnetlinkWatchChange.ResyncStarted"/>, then only the <em>difference</em> between what the
/// consumer was given and a fresh snapshot (additions, changes, deletions), then
/// <see cref="RtnetlinkWatchChange.ResyncCompleted"/>. A consumer that applies every item stays equal to the kernel
/// without re-reading anything. Interrupted dumps (<c>NLM_F_DUMP_INTR</c>) are retried by the session socket's dump
/// policy. Where the kernel changes state silently (IPv4 routes flushed when their link goes down or is deleted, or
/// their preferred source address goes), the watch re-reads those routes and yields the difference as ordinary changes.
/// </para>
/// <para>
/// Each item is a view, valid until the enumeration moves on; in steady state, receiving, reconciling and yielding a
/// change allocates nothing. One enumeration per watch. Waiting parks no thread. <see cref="Dispose"/> ends a pending
/// <c>MoveNextAsync</c> promptly (it returns <see langword="false"/>); cancelling the enumeration's token throws
/// <see cref="OperationCanceledException"/>. Not safe for concurrent use: one consumer.
/// </para>
/// </remarks>
public sealed class RtnetlinkWatch : IAsyncEnumerable<RtnetlinkWatchEvent>, IDisposable
{
    private const int MaxWindowEvents = 1 << 20;
    private const int DefaultReceiveBuffer = 4 * 1024 * 1024;
    private const int DefaultMaxReceiveBuffer = 16 * 1024 * 1024;

    // Passes in a row a synchronisation repeats while changes may have made a dump skip objects unflagged; after
    // that it completes and re-reads the disturbed kinds quietly once the burst is over.
    private const int MaxDisturbedPasses = 8;

    private readonly RtnetlinkMonitor _monitor;
    private readonly RequestPipeline _pipeline;
    private readonly RtnetlinkWatchOptions _options;
    private readonly WatchStore _store;
    private readonly CancellationTokenSource _disposing = new();
    private int _enumerated;
    private long _overruns;
    private long _resyncs;
    private long _refreshes;
    private long _passes;
    private int _receiveBuffer;
    private readonly int _maxReceiveBuffer;
    private volatile bool _disposed;

    internal RtnetlinkWatch(RtnetlinkSession session, RtnetlinkEventKinds kinds, RtnetlinkWatchOptions? options)
    {
        WatchAdapters.Validate(kinds);
        _options = options ?? new RtnetlinkWatchOptions();
        if (_options.ReceiveBufferSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.ReceiveBufferSize, "The receive buffer size must be 0 (default) or positive.");
        }

        if (_options.MaxReceiveBufferSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxReceiveBufferSize, "The maximum receive buffer size must be 0 (default) or positive.");
        }

        if (_options.MaxSyncAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxSyncAttempts, "MaxSyncAttempts must be at least 1.");
        }

        Kinds = kinds;
        _pipeline = session.Pipeline;
        _store = new WatchStore(WatchAdapters.Create(kinds, _options));
        _receiveBuffer = _options.ReceiveBufferSize > 0 ? _options.ReceiveBufferSize : DefaultReceiveBuffer;
        _maxReceiveBuffer = Math.Max(_receiveBuffer, _options.MaxReceiveBufferSize > 0 ? _options.MaxReceiveBufferSize : DefaultMaxReceiveBuffer);
        _monitor = session.Monitor(kinds, new RtnetlinkMonitorOptions { ReceiveBufferSize = _receiveBuffer, LoggerFactory = _options.LoggerFactory });
    }

    /// <summary>The kinds this watch follows.</summary>
    public RtnetlinkEventKinds Kinds { get; }

    /// <summary>How many times the kernel dropped events for this watch (<c>ENOBUFS</c>), during resynchronisations included.</summary>
    public long OverrunCount => Interlocked.Read(ref _overruns);

    /// <summary>How many resynchronisations after lost events completed (one <see cref="RtnetlinkWatchChange.ResyncCompleted"/> each).</summary>
    public long ResyncCount => Interlocked.Read(ref _resyncs);

    /// <summary>How many quiet re-reads of silently changed kinds (routes after a link went down) completed.</summary>
    public long RefreshCount => Interlocked.Read(ref _refreshes);

    /// <summary>How many dump passes the watch made (the snapshot, each resync and refresh, and each retry of one that lost events).</summary>
    public long SyncPassCount => Interlocked.Read(ref _passes);

    /// <summary>The receive buffer the watch asked for last (it grows after lost events, up to the option's maximum).</summary>
    internal int RequestedReceiveBufferSize => Volatile.Read(ref _receiveBuffer);

    internal WatchStore Store => _store;

    internal RtnetlinkMonitor Monitor => _monitor;

    /// <summary>Starts the stream: the snapshot, then the changes.</summary>
    /// <param name="cancellationToken">Ends the enumeration with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The enumerator; each item is valid until the next <c>MoveNextAsync</c>.</returns>
    /// <exception cref="InvalidOperationException">The watch was already enumerated.</exception>
    /// <exception cref="ObjectDisposedException">The watch was disposed.</exception>
    public IAsyncEnumerator<RtnetlinkWatchEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(RtnetlinkWatch));
        }

        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A RtnetlinkWatch is enumerated once: its stream continues from what that enumeration was given.");
        }

        return new Enumerator(this, cancellationToken);
    }

    /// <summary>Stops the watch: closes its event socket and ends a pending enumeration.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _disposing.Cancel();
        _monitor.Dispose();

        // _disposing is not disposed: a synchronisation may still link to its token (a CTS without timers holds nothing).
    }

    /// <summary>The key of an item's object, for the cache (false for a marker).</summary>
    internal bool TryGetKey(in RtnetlinkWatchEvent item, out WatchKey key, out WatchAdapter? adapter)
    {
        key = default;
        adapter = item.IsMarker ? null : _store.AdapterFor(item.Kind);
        return adapter is not null && adapter.TryReadKey(ToMessage(item.Event.Message), out key);
    }

    internal static NetlinkMessage ToMessage(ReadOnlySpan<byte> message)
        => new(MemoryMarshal.Read<NetlinkHeader>(message), message.Slice(NetlinkHeader.Size));

    /// <summary>After lost events: a buffer twice as large, so a burst of the same size fits next time (bounded).</summary>
    private void GrowReceiveBuffer()
    {
        Interlocked.Increment(ref _overruns);
        if (_receiveBuffer >= _maxReceiveBuffer || _disposed)
        {
            return;
        }

        int next = (int)Math.Min((long)_receiveBuffer * 2, _maxReceiveBuffer);
        try
        {
            _monitor.ReceiveBufferSize = next;
            Volatile.Write(ref _receiveBuffer, next);
        }
        catch (Exception e) when (e is LinuxNetException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // The buffer stays as it is; resynchronising still keeps the stream exact.
        }
    }

    private static RtnetlinkEventAction ToAction(RtnetlinkWatchChange change) => change switch
    {
        RtnetlinkWatchChange.Added => RtnetlinkEventAction.New,
        RtnetlinkWatchChange.Changed => RtnetlinkEventAction.Changed,
        _ => RtnetlinkEventAction.Deleted,
    };

    private enum SyncMode
    {
        Snapshot,
        Resync,
        Refresh,
    }

    private sealed class Enumerator : IAsyncEnumerator<RtnetlinkWatchEvent>
    {
        private readonly RtnetlinkWatch _watch;
        private readonly CancellationToken _cancellationToken;
        private readonly List<WatchPending> _pending = new();
        private readonly WatchDump _dump;
        private int _pendingIndex;
        private WatchEntry? _deleted;
        private RtnetlinkEventKinds _sync;
        private SyncMode _mode;
        private RtnetlinkEventKinds _refresh;

        internal Enumerator(RtnetlinkWatch watch, CancellationToken cancellationToken)
        {
            _watch = watch;
            _cancellationToken = cancellationToken;
            _dump = new WatchDump(watch._store);
            _sync = watch.Kinds;
            _mode = SyncMode.Snapshot;
        }

        public RtnetlinkWatchEvent Current { get; private set; }

        public ValueTask<bool> MoveNextAsync()
        {
            _cancellationToken.ThrowIfCancellationRequested();
            ReleaseYielded();
            if (TryNext())
            {
                return new ValueTask<bool>(true);
            }

            return _watch._disposed ? new ValueTask<bool>(false) : MoveNextSlowAsync();
        }

        public ValueTask DisposeAsync()
        {
            Current = default;
            return default;
        }

        private void ReleaseYielded()
        {
            Current = default;
            if (_deleted is not null)
            {
                _watch._store.Release(_deleted);
                _deleted = null;
            }

            if (_pending.Count > 0 && _pendingIndex == _pending.Count)
            {
                foreach (WatchPending item in _pending)
                {
                    if (item.Change == RtnetlinkWatchChange.Deleted)
                    {
                        _watch._store.Release(item.Entry!);
                    }
                }

                _pending.Clear();
                _pendingIndex = 0;
            }
        }

        /// <summary>The next item without waiting: a pending difference item, or a live event that changes something.</summary>
        private bool TryNext()
        {
            if (_pendingIndex < _pending.Count)
            {
                WatchPending item = _pending[_pendingIndex++];
                Current = new RtnetlinkWatchEvent(item.Change, item.Entry?.ToEvent(ToAction(item.Change)) ?? default);
                return true;
            }

            if (_sync != RtnetlinkEventKinds.None)
            {
                return false;
            }

            WatchStore store = _watch._store;
            while (_watch._monitor.TryRead(out RtnetlinkEvent e))
            {
                if (e.IsOverrun)
                {
                    _watch.GrowReceiveBuffer();
                    _sync = _watch.Kinds;
                    _mode = SyncMode.Resync;
                    _refresh = RtnetlinkEventKinds.None;
                    Current = new RtnetlinkWatchEvent(RtnetlinkWatchChange.ResyncStarted, default);
                    return true;
                }

                WatchAdapter? adapter = store.AdapterFor(e.Kind);
                if (adapter is null)
                {
                    continue;
                }

                bool yield = store.ApplyLive(adapter, ToMessage(e.Message), out RtnetlinkWatchChange change, out WatchEntry? entry, out RtnetlinkEventKinds refresh);
                _refresh |= refresh;
                if (yield)
                {
                    if (change == RtnetlinkWatchChange.Deleted)
                    {
                        _deleted = entry;
                    }

                    Current = new RtnetlinkWatchEvent(change, entry!.ToEvent(ToAction(change)));
                    return true;
                }
            }

            // Nothing queued: the kinds the kernel changed silently are re-read now, once for the whole burst.
            if (_refresh != RtnetlinkEventKinds.None && !_watch._disposed)
            {
                _sync = _refresh;
                _mode = SyncMode.Refresh;
                _refresh = RtnetlinkEventKinds.None;
            }

            return false;
        }

        private async ValueTask<bool> MoveNextSlowAsync()
        {
            while (true)
            {
                try
                {
                    if (_sync != RtnetlinkEventKinds.None)
                    {
                        await SynchronizeAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        await _watch._monitor.WaitAsync(_cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (_watch._disposed && e is ObjectDisposedException or OperationCanceledException && !_cancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                if (TryNext())
                {
                    return true;
                }

                if (_watch._disposed)
                {
                    return false;
                }
            }
        }

        private async ValueTask SynchronizeAsync()
        {
            RtnetlinkWatch watch = _watch;
            using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, watch._disposing.Token);
            int lost = 0;
            int disturbedPasses = 0;
            while (true)
            {
                Interlocked.Increment(ref watch._passes);
                watch._store.BeginPass(_sync);
                foreach (WatchAdapter adapter in watch._store.Adapters)
                {
                    if ((adapter.Group & _sync) != 0)
                    {
                        _dump.Adapter = adapter;
                        await adapter.DumpAsync(watch._pipeline, _dump, linked.Token).ConfigureAwait(false);
                    }
                }

                if (DrainWindow(out RtnetlinkEventKinds refresh, out RtnetlinkEventKinds disturbed))
                {
                    if (disturbed != RtnetlinkEventKinds.None && ++disturbedPasses < MaxDisturbedPasses)
                    {
                        continue;
                    }

                    refresh |= disturbed;
                    watch._store.CompletePass(_pending);
                    switch (_mode)
                    {
                        case SyncMode.Snapshot:
                            _pending.Add(new WatchPending(RtnetlinkWatchChange.SnapshotCompleted, null));
                            break;
                        case SyncMode.Resync:
                            _pending.Add(new WatchPending(RtnetlinkWatchChange.ResyncCompleted, null));
                            Interlocked.Increment(ref watch._resyncs);
                            if (LinuxNetMetrics.NetlinkResyncs.Enabled)
                            {
                                LinuxNetMetrics.NetlinkResyncs.Add(1, LinuxNetMetrics.Tag(LinuxNetMetrics.NetlinkProtocolTag, "route"));
                            }

                            break;
                        default:
                            Interlocked.Increment(ref watch._refreshes);
                            break;
                    }

                    _sync = RtnetlinkEventKinds.None;
                    _refresh |= refresh;
                    return;
                }

                watch.GrowReceiveBuffer();
                lost++;
                if (_mode == SyncMode.Refresh)
                {
                    // Events of any kind were lost during a quiet re-read: it becomes a resync, announced as one.
                    _mode = SyncMode.Resync;
                    _sync = watch.Kinds;
                    _pending.Add(new WatchPending(RtnetlinkWatchChange.ResyncStarted, null));
                }

                if (lost >= watch._options.MaxSyncAttempts)
                {
                    throw new LinuxNetException(Errno.ENOBUFS, "rtnetlink watch", $"rtnetlink watch: the kernel dropped events during {lost} synchronisation passes in a row; enlarge RtnetlinkWatchOptions.ReceiveBufferSize.");
                }
            }
        }

        /// <summary>Folds the events queued during the dumps onto them; false when events were lost meanwhile.</summary>
        private bool DrainWindow(out RtnetlinkEventKinds refresh, out RtnetlinkEventKinds disturbed)
        {
            refresh = RtnetlinkEventKinds.None;
            disturbed = RtnetlinkEventKinds.None;
            WatchStore store = _watch._store;
            for (int i = 0; i < MaxWindowEvents && _watch._monitor.TryRead(out RtnetlinkEvent e); i++)
            {
                if (e.IsOverrun)
                {
                    return false;
                }

                if (store.AdapterFor(e.Kind) is { } adapter)
                {
                    store.ApplyWindow(adapter, ToMessage(e.Message), ref refresh, ref disturbed);
                }
            }

            return true;
        }
    }
}
