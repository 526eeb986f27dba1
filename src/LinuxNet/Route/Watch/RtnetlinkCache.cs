using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxNet.Route;

/// <summary>
/// The current links, addresses, routes and neighbours of a namespace, kept up to date from a
/// <see cref="RtnetlinkWatch"/> and queryable at any time — an informer in Kubernetes' sense: no dump per question, and
/// a notification per change.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="StartAsync"/> returns once the first snapshot is in; from then on the cache applies the watch's stream on
/// the library's event loop (no thread of its own). After lost events it resynchronises from the watch's difference, so
/// its state after <see cref="RtnetlinkWatchChange.ResyncCompleted"/> equals the kernel's; <see cref="IsSynchronized"/> is
/// false in between.
/// </para>
/// <para>
/// Thread-safety: every query and every update takes one lock, held only for a dictionary lookup or for copying the
/// answer into a fresh array, so readers on many threads never see a half-applied change. A lock rather than immutable
/// snapshots because a storm updates thousands of objects a second in tables of ten thousand: copying the table per
/// change costs far more than the readers' short waits, and a persistent immutable map is not a dependency this
/// package takes. The objects handed out (<see cref="LinkInfo"/>, <see cref="RouteInfo"/>…) are never mutated after
/// parsing: a change replaces them.
/// </para>
/// <para>
/// <see cref="Changed"/> is raised on the update loop after each change is applied, outside the lock (a handler may
/// query the cache); a slow handler delays later updates, and one that throws is logged and the cache goes on.
/// Link statistics in <see cref="LinkInfo.Statistics"/> are as of the link's last change, not live counters.
/// </para>
/// </remarks>
public sealed class RtnetlinkCache : IDisposable, IAsyncDisposable
{
    private readonly object _gate = new();

    // One table per kind the watch follows, made on first use: a kind added to the watch (nexthops) needs no change here.
    private readonly Dictionary<RtnetlinkEventKind, Dictionary<WatchKey, object>> _items = new();
    private readonly RtnetlinkWatch _watch;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _version;
    private volatile bool _synchronized;
    private int _disposed;

    private RtnetlinkCache(RtnetlinkWatch watch, RtnetlinkWatchOptions? options)
    {
        _watch = watch;
        _logger = options?.LoggerFactory?.CreateLogger("LinuxNet.Route.RtnetlinkCache") ?? NullLogger.Instance;
    }

    /// <summary>Raised after each change the cache applies, and for the resynchronisation markers.</summary>
    public event EventHandler<RtnetlinkCacheChangedEventArgs>? Changed;

    /// <summary>The kinds the cache follows.</summary>
    public RtnetlinkEventKinds Kinds => _watch.Kinds;

    /// <summary>Whether the cache equals the kernel as far as it knows: false while a resynchronisation after lost events runs.</summary>
    public bool IsSynchronized => _synchronized;

    /// <summary>Incremented by every applied change; equal versions mean equal contents.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>How many resynchronisations after lost events the cache went through.</summary>
    public long ResyncCount => _watch.ResyncCount;

    /// <summary>Completes when the cache stops: normally after <see cref="Dispose"/>, faulted when its watch failed.</summary>
    public Task Completion => _loop;

    /// <summary>Starts a cache over <paramref name="session"/>'s namespace and waits for its first snapshot.</summary>
    /// <param name="session">The session whose namespace is cached and whose socket dumps; it must outlive the cache.</param>
    /// <param name="kinds">What to cache: any of links, nexthops, addresses, routes, neighbours (default links, addresses, routes, neighbours).</param>
    /// <param name="options">Receive buffer, route tables, logging; <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Cancels the start (not the running cache: dispose it).</param>
    /// <returns>The cache, holding the snapshot; dispose it to stop.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty or holds a kind a watch cannot follow.</exception>
    /// <exception cref="LinuxNetException">The event socket could not be opened, or the snapshot's dump failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<RtnetlinkCache> StartAsync(RtnetlinkSession session, RtnetlinkEventKinds kinds = RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Routes | RtnetlinkEventKinds.Neighbours, RtnetlinkWatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (session is null)
        {
            throw new ArgumentNullException(nameof(session));
        }

        var cache = new RtnetlinkCache(session.Watch(kinds, options), options);
        cache._loop = cache.RunAsync();
        try
        {
            using (cancellationToken.Register(static c => ((RtnetlinkCache)c!)._ready.TrySetCanceled(), cache))
            {
                await cache._ready.Task.ConfigureAwait(false);
            }
        }
        catch
        {
            await cache.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cache;
    }

    /// <summary>Every link.</summary>
    /// <returns>A copy, in no particular order.</returns>
    public IReadOnlyList<LinkInfo> GetLinks() => Select<LinkInfo>(RtnetlinkEventKind.Link, 0, null);

    /// <summary>The link with index <paramref name="index"/>, or <see langword="null"/>.</summary>
    /// <param name="index">The interface index.</param>
    /// <returns>The link as last reported.</returns>
    public LinkInfo? GetLink(int index)
    {
        lock (_gate)
        {
            return Table(RtnetlinkEventKind.Link).TryGetValue(new WatchKey(RtnetlinkEventKind.Link, 0, index), out object? link) ? (LinkInfo)link : null;
        }
    }

    /// <summary>The link named <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="name">The interface name.</param>
    /// <returns>The link as last reported.</returns>
    public LinkInfo? GetLink(string name)
    {
        IReadOnlyList<LinkInfo> links = Select<LinkInfo>(RtnetlinkEventKind.Link, 0, l => ((LinkInfo)l).Name == name);
        return links.Count > 0 ? links[0] : null;
    }

    /// <summary>Every nexthop object and group (when the cache follows <see cref="RtnetlinkEventKinds.Nexthops"/>).</summary>
    /// <returns>A copy, in no particular order.</returns>
    public IReadOnlyList<NexthopInfo> GetNexthops() => Select<NexthopInfo>(RtnetlinkEventKind.Nexthop, 0, null);

    /// <summary>The nexthop with <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">The nexthop id.</param>
    /// <returns>The nexthop as last reported.</returns>
    public NexthopInfo? GetNexthop(uint id)
    {
        lock (_gate)
        {
            return Table(RtnetlinkEventKind.Nexthop).TryGetValue(new WatchKey(RtnetlinkEventKind.Nexthop, 0, 0, table: id), out object? nexthop) ? (NexthopInfo)nexthop : null;
        }
    }

    /// <summary>The addresses of one link, or of all.</summary>
    /// <param name="linkIndex">The link's index; 0 for every link.</param>
    /// <returns>A copy.</returns>
    public IReadOnlyList<AddressInfo> GetAddresses(int linkIndex = 0) => Select<AddressInfo>(RtnetlinkEventKind.Address, linkIndex, null);

    /// <summary>The entries for <paramref name="address"/> (local address or peer), on any link.</summary>
    /// <param name="address">The address.</param>
    /// <returns>A copy; empty when no link has it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<AddressInfo> FindAddresses(IPAddress address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        return Select<AddressInfo>(RtnetlinkEventKind.Address, 0, a => address.Equals(((AddressInfo)a).Address.Address) || address.Equals(((AddressInfo)a).Peer));
    }

    /// <summary>The routes whose output link (or one of whose next hops) is <paramref name="linkIndex"/>, or all.</summary>
    /// <param name="linkIndex">The link's index; 0 for every route.</param>
    /// <returns>A copy.</returns>
    public IReadOnlyList<RouteInfo> GetRoutes(int linkIndex = 0) => Select<RouteInfo>(RtnetlinkEventKind.Route, linkIndex, null);

    /// <summary>The routes to exactly <paramref name="destination"/>, in one table or all.</summary>
    /// <param name="destination">The destination prefix.</param>
    /// <param name="table">The table; <see langword="null"/> for every table.</param>
    /// <returns>A copy (several for different metrics or tables).</returns>
    public IReadOnlyList<RouteInfo> FindRoutes(IPPrefix destination, uint? table = null)
        => Select<RouteInfo>(RtnetlinkEventKind.Route, 0, r => ((RouteInfo)r).Destination.Equals(destination) && (table is null || ((RouteInfo)r).Table == table));

    /// <summary>The neighbour entries of one link, or of all.</summary>
    /// <param name="linkIndex">The link's index; 0 for every link.</param>
    /// <returns>A copy.</returns>
    public IReadOnlyList<NeighbourInfo> GetNeighbours(int linkIndex = 0) => Select<NeighbourInfo>(RtnetlinkEventKind.Neighbour, linkIndex, null);

    /// <summary>The neighbour entry for <paramref name="address"/> on <paramref name="linkIndex"/>, or <see langword="null"/>.</summary>
    /// <param name="address">The neighbour's IP address.</param>
    /// <param name="linkIndex">The link's index.</param>
    /// <returns>The entry as last reported.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    public NeighbourInfo? GetNeighbour(IPAddress address, int linkIndex)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        byte family = KernelFamily.ToKernel(address.AddressFamily);
        var key = new WatchKey(RtnetlinkEventKind.Neighbour, family, linkIndex, address: address.GetAddressBytes());
        lock (_gate)
        {
            return Table(RtnetlinkEventKind.Neighbour).TryGetValue(key, out object? entry) ? (NeighbourInfo)entry : null;
        }
    }

    /// <summary>Stops the cache: its watch ends and no more changes are applied or notified. The contents stay readable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _watch.Dispose();
        }
    }

    /// <summary>Stops the cache and waits for its update loop to end.</summary>
    /// <returns>Completes when the loop has ended (at once if it already had).</returns>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or LinuxNetException or ObjectDisposedException)
        {
            // A stopped or failed loop: its fault is in Completion.
        }
    }

    private IReadOnlyList<T> Select<T>(RtnetlinkEventKind kind, int linkIndex, Func<object, bool>? match)
        where T : class
    {
        var result = new List<T>();
        lock (_gate)
        {
            foreach (object item in Table(kind).Values)
            {
                if ((linkIndex == 0 || OnLink(item, linkIndex)) && (match is null || match(item)))
                {
                    result.Add((T)item);
                }
            }
        }

        return result.ToArray();
    }

    /// <summary>The table of one kind (call under the lock).</summary>
    private Dictionary<WatchKey, object> Table(RtnetlinkEventKind kind)
    {
        if (!_items.TryGetValue(kind, out Dictionary<WatchKey, object>? table))
        {
            table = new Dictionary<WatchKey, object>();
            _items.Add(kind, table);
        }

        return table;
    }

    private static bool OnLink(object item, int linkIndex) => item switch
    {
        LinkInfo link => link.Index == linkIndex,
        AddressInfo address => address.LinkIndex == linkIndex,
        NeighbourInfo neighbour => neighbour.LinkIndex == linkIndex,
        NexthopInfo nexthop => nexthop.LinkIndex == linkIndex,
        RouteInfo route => route.LinkIndex == linkIndex || HasHop(route, linkIndex),
        _ => false,
    };

    private static bool HasHop(RouteInfo route, int linkIndex)
    {
        foreach (RouteNextHopInfo hop in route.NextHops)
        {
            if (hop.LinkIndex == linkIndex)
            {
                return true;
            }
        }

        return false;
    }

    private async Task RunAsync()
    {
        // Yield first so StartAsync's caller is not the one running the snapshot's dumps inline in a constructor path.
        await Task.Yield();
        try
        {
            await foreach (RtnetlinkWatchEvent item in _watch.WithCancellation(_stop.Token).ConfigureAwait(false))
            {
                RtnetlinkCacheChangedEventArgs? change = Apply(item);
                if (item.Change == RtnetlinkWatchChange.SnapshotCompleted)
                {
                    WatchLog.CacheSynchronized(_logger, Kinds, Count());
                    _ready.TrySetResult(true);
                }

                if (change is not null && Changed is { } handler)
                {
                    try
                    {
                        handler(this, change);
                    }
                    catch (Exception e)
                    {
                        WatchLog.HandlerFailed(_logger, e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            WatchLog.CacheFailed(_logger, Kinds, e);
            _ready.TrySetException(e);
            throw;
        }
        finally
        {
            _ready.TrySetCanceled();
        }
    }

    private int Count()
    {
        lock (_gate)
        {
            int count = 0;
            foreach (Dictionary<WatchKey, object> table in _items.Values)
            {
                count += table.Count;
            }

            return count;
        }
    }

    private RtnetlinkCacheChangedEventArgs? Apply(in RtnetlinkWatchEvent item)
    {
        if (item.IsMarker)
        {
            _synchronized = item.Change != RtnetlinkWatchChange.ResyncStarted;
            return item.Change == RtnetlinkWatchChange.SnapshotCompleted ? null : new RtnetlinkCacheChangedEventArgs(item.Change, default, null, null, Version);
        }

        if (!_watch.TryGetKey(item, out WatchKey key, out WatchAdapter? adapter))
        {
            return null;
        }

        object? model = adapter!.Parse(RtnetlinkWatch.ToMessage(item.Event.Message));
        if (model is null)
        {
            return null;
        }

        object? previous;
        long version;
        lock (_gate)
        {
            Dictionary<WatchKey, object> items = Table(item.Kind);
            items.TryGetValue(key, out previous);
            if (item.Change == RtnetlinkWatchChange.Deleted)
            {
                items.Remove(key);
            }
            else
            {
                items[key] = model;
            }

            version = Interlocked.Increment(ref _version);
        }

        return new RtnetlinkCacheChangedEventArgs(item.Change, item.Kind, model, previous, version);
    }
}
