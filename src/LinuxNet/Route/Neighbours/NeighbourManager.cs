using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What <c>ip neigh</c> does: adds, replaces, deletes, reads, flushes and lists entries of the neighbour table — ARP for IPv4, NDP for
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
        Pipeline.Execute((spec, SyncWait.Complete(ResolveIndexAsync<SyncWait>(spec, default))), NeighbourMessage.WriteDelete);
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

    /// <summary>Reads one entry; throws when there is none. Equivalent to <c>ip neigh get ADDRESS dev LINK</c>.</summary>
    /// <param name="address">The IPv4 or IPv6 address of the neighbour.</param>
    /// <param name="link">The interface, by name or index.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a specific IPv4 or IPv6 address, or the link reference is invalid (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">No such entry (<c>ENOENT</c>, <see cref="LinuxNetException.IsNotFound"/>), no such link (<c>ENODEV</c>), or another refusal.</exception>
    public NeighbourInfo Get(IPAddress address, LinkReference link)
    {
        ValidateKey(address, link);
        return SyncWait.Complete(GetCoreAsync<SyncWait>(address, link, throwIfMissing: true, default))!;
    }

    /// <summary>Reads one entry asynchronously; throws when there is none. Equivalent to <c>ip neigh get ADDRESS dev LINK</c>.</summary>
    /// <param name="address">The IPv4 or IPv6 address of the neighbour.</param>
    /// <param name="link">The interface, by name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException">The address or link reference is invalid.</exception>
    /// <exception cref="NetlinkException">No such entry (<c>ENOENT</c>), no such link (<c>ENODEV</c>), or another refusal.</exception>
    public async ValueTask<NeighbourInfo> GetAsync(IPAddress address, LinkReference link, CancellationToken cancellationToken = default)
    {
        ValidateKey(address, link);
        return (await GetCoreAsync<AsyncWait>(address, link, throwIfMissing: true, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Reads one entry, or <see langword="null"/> when the interface has none for <paramref name="address"/>. Equivalent to <c>ip neigh get ADDRESS dev LINK</c>.</summary>
    /// <param name="address">The IPv4 or IPv6 address of the neighbour.</param>
    /// <param name="link">The interface, by name or index.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The address or link reference is invalid.</exception>
    /// <exception cref="NetlinkException">No such link (<c>ENODEV</c>), or another refusal.</exception>
    public NeighbourInfo? TryGet(IPAddress address, LinkReference link)
    {
        ValidateKey(address, link);
        return SyncWait.Complete(GetCoreAsync<SyncWait>(address, link, throwIfMissing: false, default));
    }

    /// <summary>Reads one entry asynchronously, or <see langword="null"/> when there is none. Equivalent to <c>ip neigh get ADDRESS dev LINK</c>.</summary>
    /// <param name="address">The IPv4 or IPv6 address of the neighbour.</param>
    /// <param name="link">The interface, by name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The address or link reference is invalid.</exception>
    /// <exception cref="NetlinkException">No such link (<c>ENODEV</c>), or another refusal.</exception>
    public ValueTask<NeighbourInfo?> TryGetAsync(IPAddress address, LinkReference link, CancellationToken cancellationToken = default)
    {
        ValidateKey(address, link);
        return GetCoreAsync<AsyncWait>(address, link, throwIfMissing: false, cancellationToken);
    }

    /// <summary>
    /// Deletes the entries <paramref name="filter"/> lists — by default every entry but the permanent and <c>noarp</c>
    /// ones, as <c>ip [-4|-6] neigh flush [dev LINK] [proxy]</c> does; with <paramref name="includePermanent"/>, those
    /// too (<c>ip neigh flush … nud all</c>).
    /// </summary>
    /// <param name="filter">Which entries; <see langword="null"/> for every IPv4 and IPv6 entry of every interface.</param>
    /// <param name="includePermanent">Also delete permanent and <c>noarp</c> entries.</param>
    /// <returns>How many entries this call deleted (an entry that went away meanwhile is not counted).</returns>
    /// <remarks>One dump, then one <c>RTM_DELNEIGH</c> per entry, written by the same encoder as <see cref="Delete(NeighbourSpec)"/>.</remarks>
    /// <exception cref="ArgumentException">The filter is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>ENODEV</c> for a missing link).</exception>
    public int Flush(NeighbourFilter? filter = null, bool includePermanent = false)
    {
        filter?.Validate();
        return SyncWait.Complete(FlushCoreAsync<SyncWait>(filter, includePermanent, default));
    }

    /// <summary>Deletes the entries <paramref name="filter"/> lists, asynchronously. Equivalent to <c>ip [-4|-6] neigh flush [dev LINK] [proxy] [nud all]</c>.</summary>
    /// <param name="filter">Which entries; <see langword="null"/> for every IPv4 and IPv6 entry of every interface.</param>
    /// <param name="includePermanent">Also delete permanent and <c>noarp</c> entries.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answers.</param>
    /// <returns>How many entries this call deleted.</returns>
    /// <exception cref="ArgumentException">The filter is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<int> FlushAsync(NeighbourFilter? filter = null, bool includePermanent = false, CancellationToken cancellationToken = default)
    {
        filter?.Validate();
        return FlushCoreAsync<AsyncWait>(filter, includePermanent, cancellationToken);
    }

    /// <summary>The delete request for <paramref name="entry"/>: its address, interface and proxy flag.</summary>
    internal static NeighbourSpec ToDeleteSpec(NeighbourInfo entry)
        => new(entry.Address, entry.LinkIndex) { Flags = entry.Flags & NeighbourFlags.Proxy };

    private static void ValidateKey(IPAddress address, LinkReference link)
    {
        KernelFamily.ValidateAddress(address, nameof(address));
        link.Validate(nameof(link));
    }

    private async ValueTask<NeighbourInfo?> GetCoreAsync<TWait>(IPAddress address, LinkReference link, bool throwIfMissing, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await Pipeline.ResolveAsync<TWait>(link, cancellationToken, "ip neigh get").ConfigureAwait(false);
        try
        {
            List<NeighbourInfo> found = await Pipeline.ListAsync<TWait, (IPAddress, int), NeighbourInfo>((address, index), NeighbourMessage.WriteGet, NeighbourInfo.Parse, cancellationToken).ConfigureAwait(false);
            return found.Count > 0 ? found[0] : throwIfMissing ? throw new NetlinkException(Errno.ENOENT, "ip neigh get", $"ip neigh get {address} dev {link}: no such entry", null, null, LinuxRtnetlink.RTM_GETNEIGH, 0) : null;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT && !throwIfMissing)
        {
            return null;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            throw RequestPipeline.Rewrap(e, $"ip neigh get {address} dev {link}");
        }
    }

    private async ValueTask<int> FlushCoreAsync<TWait>(NeighbourFilter? filter, bool includePermanent, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int deleted = 0;
        foreach (NeighbourInfo entry in await ListCoreAsync<TWait>(filter, cancellationToken).ConfigureAwait(false))
        {
            if (!includePermanent && (entry.State & (NeighbourStates.Permanent | NeighbourStates.NoArp)) != 0)
            {
                continue;
            }

            try
            {
                await DeleteCoreAsync<TWait>(ToDeleteSpec(entry), cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (NetlinkException e) when (e.IsNotFound)
            {
                // Gone since the dump (expired or deleted by someone else).
            }
        }

        return deleted;
    }

    private ValueTask<int> ResolveIndexAsync<TWait>(NeighbourSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        => Pipeline.ResolveAsync<TWait>(spec.Link, cancellationToken, "ip neigh");

    private async ValueTask<IReadOnlyList<NeighbourInfo>> ListCoreAsync<TWait>(NeighbourFilter? filter, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await Pipeline.ResolveAsync<TWait>(filter?.Link, cancellationToken, "ip neigh show").ConfigureAwait(false);
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
        Pipeline.Execute((spec, SyncWait.Complete(ResolveIndexAsync<SyncWait>(spec, default)), replace), NeighbourMessage.WriteNew);
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
