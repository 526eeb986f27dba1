using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What <c>ip nexthop</c> does: adds, replaces, deletes, reads, lists and flushes nexthop objects (single nexthops,
/// multipath and resilient groups) and lists the buckets of resilient groups, over the rtnetlink socket of an
/// <see cref="RtnetlinkSession"/> (<see cref="RtnetlinkSession.Nexthops"/>).
/// </summary>
/// <remarks>
/// <para>
/// A nexthop object lives apart from the routes that use it: add it, then add routes with
/// <see cref="RouteSpec.NexthopId"/> (<c>ip route add PREFIX nhid ID</c>); replacing the nexthop moves every such route
/// at once. The kernel refuses to delete a nexthop that a group still holds only by removing it from the group.
/// Needs <c>CAP_NET_ADMIN</c> to change anything; kernel 5.3 or later (resilient groups: 5.13).
/// </para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// </remarks>
public sealed class NexthopManager
{
    private readonly RequestPipeline _pipeline;

    internal NexthopManager(RequestPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Adds a nexthop; fails if one with its id exists. Equivalent to <c>ip nexthop add id ID …</c>.</summary>
    /// <param name="spec">The nexthop.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is refused before anything is sent: id 0, a group naming itself or a member twice, a weight outside 1–256, 0 buckets, a blackhole with a device….</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text: <c>EEXIST</c>, <c>Carrier for nexthop device is down</c>, <c>Invalid nexthop id</c> for an unknown member….</exception>
    public void Add(NexthopSpec spec) => SyncWait.Complete(ModifyCoreAsync<SyncWait>(Validated(spec), false, default));

    /// <summary>Adds a nexthop asynchronously. Equivalent to <c>ip nexthop add id ID …</c>.</summary>
    /// <param name="spec">The nexthop.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is refused before anything is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text.</exception>
    public ValueTask AddAsync(NexthopSpec spec, CancellationToken cancellationToken = default)
        => ModifyCoreAsync<AsyncWait>(Validated(spec), false, cancellationToken);

    /// <summary>Adds a nexthop or replaces the one with its id; routes using it follow. Equivalent to <c>ip nexthop replace id ID …</c>.</summary>
    /// <param name="spec">The nexthop.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is refused before anything is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text (e.g. a single nexthop cannot become a group).</exception>
    public void Replace(NexthopSpec spec) => SyncWait.Complete(ModifyCoreAsync<SyncWait>(Validated(spec), true, default));

    /// <summary>Adds or replaces a nexthop asynchronously. Equivalent to <c>ip nexthop replace id ID …</c>.</summary>
    /// <param name="spec">The nexthop.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is refused before anything is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text.</exception>
    public ValueTask ReplaceAsync(NexthopSpec spec, CancellationToken cancellationToken = default)
        => ModifyCoreAsync<AsyncWait>(Validated(spec), true, cancellationToken);

    /// <summary>Deletes a nexthop, and with it the routes that use it. Equivalent to <c>ip nexthop del id ID</c>.</summary>
    /// <param name="id">The nexthop's id.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>ENOENT</c> (<see cref="LinuxNetException.IsNotFound"/>) with its text for an unknown id.</exception>
    public void Delete(uint id)
    {
        CheckId(id);
        SyncWait.Complete(_pipeline.ExecuteAsync<SyncWait, uint>(id, NexthopMessages.WriteDelete, default));
    }

    /// <summary>Deletes a nexthop asynchronously. Equivalent to <c>ip nexthop del id ID</c>.</summary>
    /// <param name="id">The nexthop's id.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>ENOENT</c> for an unknown id.</exception>
    public ValueTask DeleteAsync(uint id, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        return DeleteCoreAsync(id, cancellationToken);
    }

    private async ValueTask DeleteCoreAsync(uint id, CancellationToken cancellationToken)
        => await _pipeline.ExecuteAsync<AsyncWait, uint>(id, NexthopMessages.WriteDelete, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads one nexthop. Equivalent to <c>ip nexthop get id ID</c>.</summary>
    /// <param name="id">The nexthop's id.</param>
    /// <returns>The nexthop.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is 0.</exception>
    /// <exception cref="NetlinkException">No such nexthop (<c>ENOENT</c>, with the kernel's text), or another refusal.</exception>
    public NexthopInfo Get(uint id)
    {
        CheckId(id);
        return Single(SyncWait.Complete(_pipeline.ListAsync<SyncWait, uint, NexthopInfo>(id, NexthopMessages.WriteGet, NexthopMessages.Parse, default)), id);
    }

    /// <summary>Reads one nexthop asynchronously. Equivalent to <c>ip nexthop get id ID</c>.</summary>
    /// <param name="id">The nexthop's id.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The nexthop.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is 0.</exception>
    /// <exception cref="NetlinkException">No such nexthop (<c>ENOENT</c>), or another refusal.</exception>
    public async ValueTask<NexthopInfo> GetAsync(uint id, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        return Single(await _pipeline.ListAsync<AsyncWait, uint, NexthopInfo>(id, NexthopMessages.WriteGet, NexthopMessages.Parse, cancellationToken).ConfigureAwait(false), id);
    }

    /// <summary>Reads one nexthop, or returns <see langword="null"/> when there is none with that id.</summary>
    /// <param name="id">The nexthop's id.</param>
    /// <returns>The nexthop, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused for another reason.</exception>
    public NexthopInfo? TryGet(uint id)
    {
        try
        {
            return Get(id);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>Reads one nexthop asynchronously, or returns <see langword="null"/> when there is none with that id.</summary>
    /// <param name="id">The nexthop's id.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The nexthop, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused for another reason.</exception>
    public async ValueTask<NexthopInfo?> TryGetAsync(uint id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>Lists nexthops, all or those the filter selects. Equivalent to <c>ip nexthop show [dev DEV] [groups] [master DEV] [fdb]</c>.</summary>
    /// <param name="filter">What to select; <see langword="null"/> for every nexthop.</param>
    /// <returns>The nexthops in the kernel's order (by id).</returns>
    /// <exception cref="ArgumentException">A device in the filter is not a valid name.</exception>
    /// <exception cref="NetlinkException">A device in the filter does not exist, or the kernel refused.</exception>
    public IReadOnlyList<NexthopInfo> List(NexthopFilter? filter = null)
        => SyncWait.Complete(ListCoreAsync<SyncWait>(filter, default));

    /// <summary>Lists nexthops asynchronously. Equivalent to <c>ip nexthop show [dev DEV] [groups] [master DEV] [fdb]</c>.</summary>
    /// <param name="filter">What to select; <see langword="null"/> for every nexthop.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The nexthops in the kernel's order (by id).</returns>
    /// <exception cref="ArgumentException">A device in the filter is not a valid name.</exception>
    /// <exception cref="NetlinkException">A device in the filter does not exist, or the kernel refused.</exception>
    public async ValueTask<IReadOnlyList<NexthopInfo>> ListAsync(NexthopFilter? filter = null, CancellationToken cancellationToken = default)
        => await ListCoreAsync<AsyncWait>(filter, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Deletes every nexthop the filter selects (all when <see langword="null"/>). Equivalent to <c>ip nexthop flush [dev DEV] [groups] [fdb]</c>:
    /// groups are deleted first, then the rest, so no member is deleted while a group still holds it.
    /// </summary>
    /// <param name="filter">What to select; <see langword="null"/> for every nexthop.</param>
    /// <returns>How many nexthops this call deleted (one deleted by someone else meanwhile is not counted).</returns>
    /// <exception cref="ArgumentException">A device in the filter is not a valid name.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public int Flush(NexthopFilter? filter = null) => SyncWait.Complete(FlushCoreAsync<SyncWait>(filter, default));

    /// <summary>Deletes every nexthop the filter selects, asynchronously. Equivalent to <c>ip nexthop flush …</c>.</summary>
    /// <param name="filter">What to select; <see langword="null"/> for every nexthop.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answers.</param>
    /// <returns>How many nexthops this call deleted.</returns>
    /// <exception cref="ArgumentException">A device in the filter is not a valid name.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<int> FlushAsync(NexthopFilter? filter = null, CancellationToken cancellationToken = default)
        => FlushCoreAsync<AsyncWait>(filter, cancellationToken);

    /// <summary>Lists the buckets of resilient groups. Equivalent to <c>ip nexthop bucket show [id ID] [nhid ID] [dev DEV] [master DEV]</c>.</summary>
    /// <param name="filter">What to select; <see langword="null"/> for every bucket of every resilient group.</param>
    /// <returns>The buckets, by group and index.</returns>
    /// <exception cref="ArgumentException">An id in the filter is 0, or a device is not a valid name.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>ENOENT</c> for an unknown group id.</exception>
    public IReadOnlyList<NexthopBucketInfo> ListBuckets(NexthopBucketFilter? filter = null)
        => SyncWait.Complete(ListBucketsCoreAsync<SyncWait>(filter, default));

    /// <summary>Lists the buckets of resilient groups asynchronously. Equivalent to <c>ip nexthop bucket show …</c>.</summary>
    /// <param name="filter">What to select; <see langword="null"/> for every bucket.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The buckets, by group and index.</returns>
    /// <exception cref="ArgumentException">An id in the filter is 0, or a device is not a valid name.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public async ValueTask<IReadOnlyList<NexthopBucketInfo>> ListBucketsAsync(NexthopBucketFilter? filter = null, CancellationToken cancellationToken = default)
        => await ListBucketsCoreAsync<AsyncWait>(filter, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads one bucket of a resilient group. Equivalent to <c>ip nexthop bucket get id ID index INDEX</c>.</summary>
    /// <param name="groupId">The resilient group's id.</param>
    /// <param name="index">The bucket's index, 0 to buckets - 1.</param>
    /// <returns>The bucket.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groupId"/> is 0 or <paramref name="index"/> is outside 0–65535.</exception>
    /// <exception cref="NetlinkException">No such group or bucket (with the kernel's text), or another refusal.</exception>
    public NexthopBucketInfo GetBucket(uint groupId, int index)
    {
        CheckBucket(groupId, index);
        return SingleBucket(SyncWait.Complete(_pipeline.ListAsync<SyncWait, (uint, ushort), NexthopBucketInfo>((groupId, (ushort)index), NexthopMessages.WriteBucketGet, NexthopMessages.ParseBucket, default)), groupId, index);
    }

    /// <summary>Reads one bucket of a resilient group asynchronously. Equivalent to <c>ip nexthop bucket get id ID index INDEX</c>.</summary>
    /// <param name="groupId">The resilient group's id.</param>
    /// <param name="index">The bucket's index, 0 to buckets - 1.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The bucket.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groupId"/> is 0 or <paramref name="index"/> is outside 0–65535.</exception>
    /// <exception cref="NetlinkException">No such group or bucket, or another refusal.</exception>
    public async ValueTask<NexthopBucketInfo> GetBucketAsync(uint groupId, int index, CancellationToken cancellationToken = default)
    {
        CheckBucket(groupId, index);
        return SingleBucket(await _pipeline.ListAsync<AsyncWait, (uint, ushort), NexthopBucketInfo>((groupId, (ushort)index), NexthopMessages.WriteBucketGet, NexthopMessages.ParseBucket, cancellationToken).ConfigureAwait(false), groupId, index);
    }

    internal static NexthopSpec Validated(NexthopSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        spec.Validate();
        return spec;
    }

    internal static void CheckId(uint id)
    {
        if (id == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, "A nexthop id is 1 to 4294967295.");
        }
    }

    private static void CheckBucket(uint groupId, int index)
    {
        if (groupId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groupId), groupId, "A nexthop group id is 1 to 4294967295.");
        }

        if (index is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "A bucket index is 0 to 65535.");
        }
    }

    private static NexthopInfo Single(List<NexthopInfo> items, uint id)
        => items.Count > 0 ? items[0] : throw new NetlinkProtocolException($"The kernel answered RTM_GETNEXTHOP for id {id} without the nexthop.");

    private static NexthopBucketInfo SingleBucket(List<NexthopBucketInfo> items, uint groupId, int index)
        => items.Count > 0 ? items[0] : throw new NetlinkProtocolException($"The kernel answered RTM_GETNEXTHOPBUCKET for id {groupId} index {index} without the bucket.");

    private async ValueTask ModifyCoreAsync<TWait>(NexthopSpec spec, bool replace, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        string operation = replace ? "ip nexthop replace" : "ip nexthop add";
        int link = await _pipeline.ResolveAsync<TWait>(spec.Link, cancellationToken, operation).ConfigureAwait(false);
        await _pipeline.ExecuteAsync<TWait, NexthopRequest>(new NexthopRequest(spec, replace, link), NexthopMessages.Write, cancellationToken, RequestPipeline.DefaultRequestSize + (spec.Group.Count * 8)).ConfigureAwait(false);
    }

    private async ValueTask<List<NexthopInfo>> ListCoreAsync<TWait>(NexthopFilter? filter, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        NexthopDumpRequest request = await ResolveAsync<TWait>(filter, "ip nexthop show", cancellationToken).ConfigureAwait(false);
        return await _pipeline.ListAsync<TWait, NexthopDumpRequest, NexthopInfo>(request, NexthopMessages.WriteDump, NexthopMessages.Parse, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<NexthopDumpRequest> ResolveAsync<TWait>(NexthopFilter? filter, string operation, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        if (filter is null)
        {
            return default;
        }

        filter.Link?.Validate(nameof(filter), allowAlternativeName: true);
        filter.Master?.Validate(nameof(filter), allowAlternativeName: true);
        int link = await _pipeline.ResolveAsync<TWait>(filter.Link, cancellationToken, operation).ConfigureAwait(false);
        int master = await _pipeline.ResolveAsync<TWait>(filter.Master, cancellationToken, operation).ConfigureAwait(false);
        return new NexthopDumpRequest(link, filter.GroupsOnly, master, filter.FdbOnly);
    }

    private async ValueTask<int> FlushCoreAsync<TWait>(NexthopFilter? filter, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        NexthopDumpRequest request = await ResolveAsync<TWait>(filter, "ip nexthop flush", cancellationToken).ConfigureAwait(false);
        int deleted = 0;

        // As ip nexthop flush: the groups first (a member held by a group would otherwise be deleted under it), then the rest.
        if (!request.GroupsOnly)
        {
            deleted += await DeleteAllAsync<TWait>(request with { GroupsOnly = true }, cancellationToken).ConfigureAwait(false);
        }

        deleted += await DeleteAllAsync<TWait>(request, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private async ValueTask<int> DeleteAllAsync<TWait>(NexthopDumpRequest request, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int deleted = 0;
        foreach (NexthopInfo nexthop in await _pipeline.ListAsync<TWait, NexthopDumpRequest, NexthopInfo>(request, NexthopMessages.WriteDump, NexthopMessages.Parse, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _pipeline.ExecuteAsync<TWait, uint>(nexthop.Id, NexthopMessages.WriteDelete, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
            {
                // Deleted by someone else since the dump.
            }
        }

        return deleted;
    }

    private async ValueTask<List<NexthopBucketInfo>> ListBucketsCoreAsync<TWait>(NexthopBucketFilter? filter, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        NexthopBucketDumpRequest request = default;
        if (filter is not null)
        {
            if (filter.GroupId == 0 || filter.NexthopId == 0)
            {
                throw new ArgumentException("A nexthop id in a bucket filter is 1 to 4294967295.", nameof(filter));
            }

            filter.Link?.Validate(nameof(filter), allowAlternativeName: true);
            filter.Master?.Validate(nameof(filter), allowAlternativeName: true);
            int link = await _pipeline.ResolveAsync<TWait>(filter.Link, cancellationToken, "ip nexthop bucket show").ConfigureAwait(false);
            int master = await _pipeline.ResolveAsync<TWait>(filter.Master, cancellationToken, "ip nexthop bucket show").ConfigureAwait(false);
            request = new NexthopBucketDumpRequest(filter.GroupId, filter.NexthopId, link, master);
        }

        return await _pipeline.ListAsync<TWait, NexthopBucketDumpRequest, NexthopBucketInfo>(request, NexthopMessages.WriteBucketDump, NexthopMessages.ParseBucket, cancellationToken).ConfigureAwait(false);
    }
}
