using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What <c>ip netns set</c> and <c>ip netns list-id</c> do: the ids (NSIDs) that the session's namespace gives other
/// namespaces, over the rtnetlink socket of an <see cref="RtnetlinkSession"/> (<see cref="RtnetlinkSession.NamespaceIds"/>).
/// </summary>
/// <remarks>
/// <para>
/// An NSID names another namespace from this one: the kernel reports a veth peer that lives elsewhere by it
/// (<see cref="LinkInfo.LinkNamespaceId"/>), and monitors with <c>NETLINK_LISTEN_ALL_NSID</c> tag events with it. The
/// kernel assigns one by itself when it needs one (a veth peer moved away); <see cref="Set(NetNamespace, int)"/> picks it
/// first. An id is never reassigned while the other namespace lives, and there is no request to remove one: the id
/// goes when the other namespace dies (a <see cref="RtnetlinkEventKind.NamespaceId"/> event with
/// <see cref="RtnetlinkEventAction.Deleted"/>).
/// </para>
/// <para>Needs <c>CAP_NET_ADMIN</c> in this namespace's user namespace to set an id. Safe for concurrent use.</para>
/// </remarks>
public sealed class NamespaceIdManager
{
    private static readonly NetlinkMessageHandler<IdHolder> IdHandler = static (message, holder) => holder.Id = NamespaceIdMessages.ReadId(message) ?? holder.Id;
    private static readonly NetlinkMessageHandler<List<int>> AddIdHandler = static (message, ids) =>
    {
        if (NamespaceIdMessages.ReadId(message) is int id and >= 0)
        {
            ids.Add(id);
        }
    };

    private static readonly Action<List<int>> ClearIds = static ids => ids.Clear();

    private readonly RequestPipeline _pipeline;

    internal NamespaceIdManager(RequestPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Gives <paramref name="target"/> the id <paramref name="id"/> in this namespace. Equivalent to <c>ip netns set NAME ID</c>.</summary>
    /// <param name="target">The other namespace; its own descriptor is passed (<c>NETNSA_FD</c>), never a re-opened path.</param>
    /// <param name="id">The id, 0 to 2147483647; <see cref="SetAutomatic(NetNamespace)"/> lets the kernel pick.</param>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="target"/> is disposed.</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text: the id is taken by another namespace, or the target already has an id (<c>EEXIST</c>).</exception>
    public void Set(NetNamespace target, int id)
    {
        CheckId(id);
        using NamespaceDescriptor fd = Lease(target);
        SyncWait.Complete(_pipeline.ExecuteAsync<SyncWait, NamespaceIdRequest>(new NamespaceIdRequest(fd.Fd, 0, id), NamespaceIdMessages.WriteSet, default));
    }

    /// <summary>Gives <paramref name="target"/> an id asynchronously. Equivalent to <c>ip netns set NAME ID</c>.</summary>
    /// <param name="target">The other namespace.</param>
    /// <param name="id">The id, 0 to 2147483647.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="target"/> is disposed.</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text.</exception>
    public async ValueTask SetAsync(NetNamespace target, int id, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        using NamespaceDescriptor fd = Lease(target);
        await _pipeline.ExecuteAsync<AsyncWait, NamespaceIdRequest>(new NamespaceIdRequest(fd.Fd, 0, id), NamespaceIdMessages.WriteSet, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives <paramref name="target"/> an id the kernel picks, and returns it. Equivalent to <c>ip netns set NAME auto</c>.</summary>
    /// <param name="target">The other namespace.</param>
    /// <returns>The id the kernel assigned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="target"/> is disposed.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>EEXIST</c> when the target already has an id.</exception>
    public int SetAutomatic(NetNamespace target) => SyncWait.Complete(SetAutomaticCoreAsync<SyncWait>(target, default));

    /// <summary>Gives <paramref name="target"/> an id the kernel picks, asynchronously. Equivalent to <c>ip netns set NAME auto</c>.</summary>
    /// <param name="target">The other namespace.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answers.</param>
    /// <returns>The id the kernel assigned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="target"/> is disposed.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<int> SetAutomaticAsync(NetNamespace target, CancellationToken cancellationToken = default)
        => SetAutomaticCoreAsync<AsyncWait>(target, cancellationToken);

    /// <summary>Gives the namespace of process <paramref name="processId"/> the id <paramref name="id"/> (<c>NETNSA_PID</c>).</summary>
    /// <param name="processId">The process whose network namespace is meant.</param>
    /// <param name="id">The id, 0 to 2147483647.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processId"/> is not positive or <paramref name="id"/> is negative.</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text (<c>ESRCH</c>-like for an unknown process, <c>EEXIST</c> for a taken id).</exception>
    public void SetForProcess(int processId, int id)
    {
        CheckProcess(processId);
        CheckId(id);
        SyncWait.Complete(_pipeline.ExecuteAsync<SyncWait, NamespaceIdRequest>(new NamespaceIdRequest(-1, processId, id), NamespaceIdMessages.WriteSet, default));
    }

    /// <summary>The id this namespace has for <paramref name="target"/>, or <see langword="null"/> when it has none. Like the <c>nsid</c> column of <c>ip netns list</c>.</summary>
    /// <param name="target">The other namespace.</param>
    /// <returns>The id, or <see langword="null"/> (<c>NETNSA_NSID_NOT_ASSIGNED</c>).</returns>
    /// <remarks>For this namespace itself the kernel answers with an id only if one was assigned to it here.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="target"/> is disposed.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public int? TryGet(NetNamespace target)
    {
        using NamespaceDescriptor fd = Lease(target);
        return SyncWait.Complete(GetCoreAsync<SyncWait>(new NamespaceIdRequest(fd.Fd, 0, 0), default));
    }

    /// <summary>The id this namespace has for <paramref name="target"/>, asynchronously; <see langword="null"/> when none.</summary>
    /// <param name="target">The other namespace.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The id, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="target"/> is disposed.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public async ValueTask<int?> TryGetAsync(NetNamespace target, CancellationToken cancellationToken = default)
    {
        using NamespaceDescriptor fd = Lease(target);
        return await GetCoreAsync<AsyncWait>(new NamespaceIdRequest(fd.Fd, 0, 0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id this namespace has for the namespace of process <paramref name="processId"/>, or <see langword="null"/>.</summary>
    /// <param name="processId">The process whose network namespace is meant.</param>
    /// <returns>The id, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processId"/> is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. for an unknown process.</exception>
    public int? TryGetForProcess(int processId)
    {
        CheckProcess(processId);
        return SyncWait.Complete(GetCoreAsync<SyncWait>(new NamespaceIdRequest(-1, processId, 0), default));
    }

    /// <summary>Lists the ids this namespace has assigned. Equivalent to <c>ip netns list-id</c>.</summary>
    /// <returns>The ids in the kernel's order.</returns>
    /// <remarks>The kernel reports ids only; <see cref="TryGet(NetNamespace)"/> tells which namespace has which (as ip does by name).</remarks>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public IReadOnlyList<int> List() => SyncWait.Complete(ListCoreAsync<SyncWait>(default));

    /// <summary>Lists the ids this namespace has assigned, asynchronously. Equivalent to <c>ip netns list-id</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The ids in the kernel's order.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<int>> ListAsync(CancellationToken cancellationToken = default) => ListCoreAsync<AsyncWait>(cancellationToken);

    private static NamespaceDescriptor Lease(NetNamespace target)
        => (target ?? throw new ArgumentNullException(nameof(target))).Lease();

    private static void CheckId(int id)
    {
        if (id < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, "An NSID is 0 to 2147483647; use SetAutomatic to let the kernel pick one (ip netns set NAME auto).");
        }
    }

    private static void CheckProcess(int processId)
    {
        if (processId <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(processId), processId, "A process id is positive.");
        }
    }

    private async ValueTask<int> SetAutomaticCoreAsync<TWait>(NetNamespace target, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        using NamespaceDescriptor fd = Lease(target);
        var request = new NamespaceIdRequest(fd.Fd, 0, LinuxNetNamespace.NETNSA_NSID_NOT_ASSIGNED);
        await _pipeline.ExecuteAsync<TWait, NamespaceIdRequest>(request, NamespaceIdMessages.WriteSet, cancellationToken).ConfigureAwait(false);

        // The kernel does not echo the id it picked; ask for it (the lease keeps the descriptor naming the same namespace).
        return await GetCoreAsync<TWait>(request, cancellationToken).ConfigureAwait(false)
            ?? throw new NetlinkProtocolException("The kernel acknowledged RTM_NEWNSID with an automatic id but reports no id for the namespace.");
    }

    private async ValueTask<int?> GetCoreAsync<TWait>(NamespaceIdRequest request, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        var holder = new IdHolder();
        await _pipeline.QueryAsync<TWait, NamespaceIdRequest, IdHolder>(request, NamespaceIdMessages.WriteGet, holder, IdHandler, null, cancellationToken).ConfigureAwait(false);
        return holder.Id is int id and >= 0 ? id : null;
    }

    private async ValueTask<IReadOnlyList<int>> ListCoreAsync<TWait>(CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        var ids = new List<int>();
        await _pipeline.QueryAsync<TWait, int, List<int>>(0, NamespaceIdMessages.WriteDump, ids, AddIdHandler, ClearIds, cancellationToken).ConfigureAwait(false);
        return ids;
    }

    private sealed class IdHolder
    {
        internal int? Id { get; set; }
    }
}
