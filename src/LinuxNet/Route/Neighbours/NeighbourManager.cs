using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What <c>ip neigh</c> does: adds, replaces, deletes and lists entries of the neighbour table — ARP for IPv4, NDP for
/// IPv6 — over the rtnetlink socket of the <see cref="LinkManager"/> it belongs to (<see cref="RtnetlinkSession.Neighbours"/>).
/// </summary>
/// <remarks>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// <para>Changing entries needs <c>CAP_NET_ADMIN</c> in the manager's network namespace; listing does not.</para>
/// </remarks>
public sealed class NeighbourManager
{
    private readonly LinkManager _manager;

    internal NeighbourManager(LinkManager manager) => _manager = manager;

    private RequestPipeline Pipeline => _manager.Pipeline;

    /// <summary>Adds an entry; fails if one exists. Equivalent to <c>ip neigh add ADDRESS lladdr MAC dev LINK nud STATE</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec holds a bad state, flag or link-layer address.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>EEXIST</c> (<see cref="LinuxNetException.IsAlreadyExists"/>) or <c>ENODEV</c>.</exception>
    public void Add(NeighbourSpec spec) => Modify(spec, replace: false);

    /// <summary>Adds an entry asynchronously; fails if one exists. Equivalent to <c>ip neigh add</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec holds a bad state, flag or link-layer address.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AddAsync(NeighbourSpec spec, CancellationToken cancellationToken = default) => ModifyAsync(spec, replace: false, cancellationToken);

    /// <summary>Adds an entry or replaces the existing one. Equivalent to <c>ip neigh replace ADDRESS lladdr MAC dev LINK nud STATE</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec holds a bad state, flag or link-layer address.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void Replace(NeighbourSpec spec) => Modify(spec, replace: true);

    /// <summary>Adds or replaces an entry asynchronously. Equivalent to <c>ip neigh replace</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec holds a bad state, flag or link-layer address.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ReplaceAsync(NeighbourSpec spec, CancellationToken cancellationToken = default) => ModifyAsync(spec, replace: true, cancellationToken);

    /// <summary>
    /// Deletes the entry for <see cref="NeighbourSpec.Address"/> on the spec's interface (a proxy entry when
    /// <see cref="NeighbourSpec.Flags"/> has <see cref="NeighbourFlags.Proxy"/>). Equivalent to <c>ip neigh del ADDRESS dev LINK [proxy]</c>.
    /// </summary>
    /// <param name="spec">The entry; only its address, interface and proxy flag are used.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>ENOENT</c> (<see cref="LinuxNetException.IsNotFound"/>).</exception>
    public void Delete(NeighbourSpec spec)
    {
        ValidateForDelete(spec);
        SyncWait.Complete(DeleteCoreAsync<SyncWait>(spec, default));
    }

    /// <summary>Deletes an entry asynchronously. Equivalent to <c>ip neigh del ADDRESS dev LINK [proxy]</c>.</summary>
    /// <param name="spec">The entry; only its address, interface and proxy flag are used.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteAsync(NeighbourSpec spec, CancellationToken cancellationToken = default)
    {
        ValidateForDelete(spec);
        return DeleteCoreAsync<AsyncWait>(spec, cancellationToken);
    }

    /// <summary>
    /// Lists neighbour entries — all, or those of one family, one interface, or the proxy entries. Equivalent to
    /// <c>ip [-4|-6] neigh show [dev LINK] [proxy] nud all</c>.
    /// </summary>
    /// <param name="filter">What to list; <see langword="null"/> for every IPv4 and IPv6 entry.</param>
    /// <returns>The entries, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">The filter is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or the table kept changing during every retry.</exception>
    public IReadOnlyList<NeighbourInfo> List(NeighbourFilter? filter = null)
    {
        filter?.Validate();
        return SyncWait.Complete(ListCoreAsync<SyncWait>(filter, default));
    }

    /// <summary>Lists neighbour entries asynchronously. Equivalent to <c>ip [-4|-6] neigh show [dev LINK] [proxy] nud all</c>.</summary>
    /// <param name="filter">What to list; <see langword="null"/> for every IPv4 and IPv6 entry.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The entries, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">The filter is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<NeighbourInfo>> ListAsync(NeighbourFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate();
        return ListCoreAsync<AsyncWait>(filter, cancellationToken);
    }

    private ValueTask<int> ResolveIndexAsync<TWait>(NeighbourSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        => Pipeline.ResolveAsync<TWait>(spec.Link, cancellationToken);

    private async ValueTask<IReadOnlyList<NeighbourInfo>> ListCoreAsync<TWait>(NeighbourFilter? filter, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await Pipeline.ResolveAsync<TWait>(filter?.Link, cancellationToken).ConfigureAwait(false);
        var request = (filter?.Family ?? AddressFamily.Unspecified, index, filter?.Proxies ?? false);
        return await Pipeline.ListAsync<TWait, (AddressFamily, int, bool), NeighbourInfo>(request, NeighbourMessage.WriteDump, NeighbourInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DeleteCoreAsync<TWait>(NeighbourSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await ResolveIndexAsync<TWait>(spec, cancellationToken).ConfigureAwait(false);
        await Pipeline.ExecuteAsync<TWait, (NeighbourSpec, int)>((spec, index), NeighbourMessage.WriteDelete, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ModifyCoreAsync<TWait>(NeighbourSpec spec, bool replace, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await ResolveIndexAsync<TWait>(spec, cancellationToken).ConfigureAwait(false);
        await Pipeline.ExecuteAsync<TWait, (NeighbourSpec, int, bool)>((spec, index, replace), NeighbourMessage.WriteNew, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateForDelete(NeighbourSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }
    }

    private void Modify(NeighbourSpec spec, bool replace)
    {
        ValidateForModify(spec);
        SyncWait.Complete(ModifyCoreAsync<SyncWait>(spec, replace, default));
    }

    private ValueTask ModifyAsync(NeighbourSpec spec, bool replace, CancellationToken cancellationToken)
    {
        ValidateForModify(spec);
        return ModifyCoreAsync<AsyncWait>(spec, replace, cancellationToken);
    }

    private static void ValidateForModify(NeighbourSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        spec.Validate();
    }
}
