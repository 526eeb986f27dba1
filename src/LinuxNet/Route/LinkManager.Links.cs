using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

// Reading links: ip link show.
public sealed partial class LinkManager
{
    private static readonly NetlinkMessageHandler<List<LinkInfo>> AddLinkHandler = static (message, links) =>
    {
        if (message.Type == LinuxRtnetlink.RTM_NEWLINK)
        {
            links.Add(LinkMessages.Parse(message));
        }
    };

    private static readonly Action<List<LinkInfo>> ClearLinks = static list => list.Clear();

    /// <summary>Lists every link in the manager's namespace, with statistics and kind details.</summary>
    /// <returns>The links, in the kernel's order (by index).</returns>
    /// <remarks>
    /// Equivalent to <c>ip -d -s link show</c>: one <c>RTM_GETLINK</c> dump (<c>AF_PACKET</c>, <c>IFLA_EXT_MASK = RTEXT_FILTER_VF</c>),
    /// byte for byte the request iproute2 sends. A dump the kernel flags as interrupted (<c>NLM_F_DUMP_INTR</c>) is restarted,
    /// so the list is consistent.
    /// </remarks>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public IReadOnlyList<LinkInfo> List() => SyncWait.Complete(GetLinksCoreAsync<SyncWait>(default));

    /// <summary>Lists every link in the manager's namespace, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The links, in the kernel's order.</returns>
    /// <remarks>Equivalent to <c>ip -d -s link show</c>; see <see cref="List"/>.</remarks>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public ValueTask<IReadOnlyList<LinkInfo>> ListAsync(CancellationToken cancellationToken = default)
        => GetLinksCoreAsync<AsyncWait>(cancellationToken);

    /// <summary>Reads one link by name or index.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <returns>The link, or <see langword="null"/> when there is none by that name or index (<c>ENODEV</c>).</returns>
    /// <remarks>Equivalent to <c>ip -d -s link show dev NAME</c>: one <c>RTM_GETLINK</c> request, as iproute2's.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">The kernel refused the request for another reason.</exception>
    public LinkInfo? TryGet(LinkReference link) => SyncWait.Complete(GetLinkCoreAsync<SyncWait>(link, default));

    /// <summary>Reads one link by name or index, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The link, or <see langword="null"/> when there is none by that name or index.</returns>
    /// <remarks>Equivalent to <c>ip -d -s link show dev NAME</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused the request for another reason.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public ValueTask<LinkInfo?> TryGetAsync(LinkReference link, CancellationToken cancellationToken = default)
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        return GetLinkCoreAsync<AsyncWait>(link, cancellationToken);
    }

    /// <summary>Reads one link by name or index; throws when there is none.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <returns>The link.</returns>
    /// <remarks>Equivalent to <c>ip -d -s link show dev NAME</c>; <see cref="TryGet(LinkReference)"/> returns <see langword="null"/> instead of throwing.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">No such link (<see cref="LinuxNetException.IsNotFound"/>, <c>ENODEV</c>), or another refusal.</exception>
    public LinkInfo Get(LinkReference link)
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        return SyncWait.Complete(GetOrThrowCoreAsync<SyncWait>(link, default));
    }

    /// <summary>Reads one link by name or index, asynchronously; throws when there is none.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The link.</returns>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link (<c>ENODEV</c>), or another refusal.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public ValueTask<LinkInfo> GetAsync(LinkReference link, CancellationToken cancellationToken = default)
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        return GetOrThrowCoreAsync<AsyncWait>(link, cancellationToken);
    }

    /// <summary>Resolves an interface name to its index with iproute2's lookup request (<c>ll_name_to_index</c>).</summary>
    /// <param name="name">The interface name.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link (<see cref="LinuxNetException.IsNotFound"/>, <c>ENODEV</c>), or another refusal.</exception>
    internal int GetIndex(string name) => SyncWait.Complete(_pipeline.GetIndexAsync<SyncWait>(name, default));

    /// <summary>Asynchronous <see cref="GetIndex(string)"/>.</summary>
    internal ValueTask<int> GetIndexAsync(string name, CancellationToken cancellationToken = default)
        => _pipeline.GetIndexAsync<AsyncWait>(name, cancellationToken);

    /// <summary>The index of <paramref name="link"/>: as given, or looked up by name.</summary>
    internal int Resolve(LinkReference link) => SyncWait.Complete(_pipeline.ResolveAsync<SyncWait>(link, default));

    /// <summary>Asynchronous <see cref="Resolve(LinkReference)"/>.</summary>
    internal ValueTask<int> ResolveAsync(LinkReference link, CancellationToken cancellationToken)
        => _pipeline.ResolveAsync<AsyncWait>(link, cancellationToken);

    /// <summary>Copies a kernel refusal with a message that names what was being done (the errno, ext-ack and path are kept).</summary>
    internal static NetlinkException Rewrap(NetlinkException e, string what, string? message = null)
        => RequestPipeline.Rewrap(e, what, message);

    private async ValueTask<IReadOnlyList<LinkInfo>> GetLinksCoreAsync<TWait>(CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        var links = new List<LinkInfo>();
        await _pipeline.QueryAsync<TWait, int, List<LinkInfo>>(0, static (ref NetlinkMessageWriter w, int _) => LinkMessages.WriteDump(ref w), links, AddLinkHandler, ClearLinks, cancellationToken).ConfigureAwait(false);
        return links;
    }

    private async ValueTask<LinkInfo> GetOrThrowCoreAsync<TWait>(LinkReference link, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        => await GetLinkCoreAsync<TWait>(link, cancellationToken, throwIfMissing: true).ConfigureAwait(false)
            ?? throw new NetlinkProtocolException($"The kernel acknowledged RTM_GETLINK for {link} without returning the link.");

    private async ValueTask<LinkInfo?> GetLinkCoreAsync<TWait>(LinkReference link, CancellationToken cancellationToken, bool throwIfMissing = false)
        where TWait : struct, IWaitMode
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        var links = new List<LinkInfo>(1);
        try
        {
            await _pipeline.QueryAsync<TWait, LinkReference, List<LinkInfo>>(link, LinkMessages.WriteGet, links, AddLinkHandler, null, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV && !throwIfMissing)
        {
            return null;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            throw Rewrap(e, $"ip link show dev {link}");
        }

        return links.Count > 0 ? links[0] : null;
    }
}
