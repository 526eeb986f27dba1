using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

// Reading links: ip link show.
public sealed partial class LinkManager
{
    private delegate void RequestBuilder<T>(ref NetlinkMessageWriter writer, T argument);

    /// <summary>Lists every link in the manager's namespace, with statistics and kind details.</summary>
    /// <returns>The links, in the kernel's order (by index).</returns>
    /// <remarks>
    /// Equivalent to <c>ip -d -s link show</c>: one <c>RTM_GETLINK</c> dump (<c>AF_PACKET</c>, <c>IFLA_EXT_MASK = RTEXT_FILTER_VF</c>),
    /// byte for byte the request iproute2 sends. A dump the kernel flags as interrupted (<c>NLM_F_DUMP_INTR</c>) is restarted,
    /// so the list is consistent.
    /// </remarks>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public IReadOnlyList<LinkInfo> GetLinks()
    {
        var links = new List<LinkInfo>();
        byte[] buffer = Rent();
        try
        {
            int length = Build(buffer, 0, static (ref NetlinkMessageWriter w, int _) => LinkMessages.WriteDump(ref w));
            _socket.Query(buffer.AsSpan(0, length), links, AddLink, static list => list.Clear());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return links;
    }

    /// <summary>Lists every link in the manager's namespace, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The links, in the kernel's order.</returns>
    /// <remarks>Equivalent to <c>ip -d -s link show</c>; see <see cref="GetLinks"/>.</remarks>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public async ValueTask<IReadOnlyList<LinkInfo>> GetLinksAsync(CancellationToken cancellationToken = default)
    {
        var links = new List<LinkInfo>();
        byte[] buffer = Rent();
        try
        {
            int length = Build(buffer, 0, static (ref NetlinkMessageWriter w, int _) => LinkMessages.WriteDump(ref w));
            await _socket.QueryAsync(buffer.AsMemory(0, length), links, AddLink, static list => list.Clear(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return links;
    }

    /// <summary>Reads one link by name or index.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <returns>The link, or <see langword="null"/> when there is none by that name or index (<c>ENODEV</c>).</returns>
    /// <remarks>Equivalent to <c>ip -d -s link show dev NAME</c>: one <c>RTM_GETLINK</c> request, as iproute2's.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">The kernel refused the request for another reason.</exception>
    public LinkInfo? GetLink(LinkReference link)
    {
        link.Validate(nameof(link));
        var result = new LinkHolder();
        byte[] buffer = Rent();
        try
        {
            int length = Build(buffer, link, WriteGet);
            _socket.Query(buffer.AsSpan(0, length), result, static (m, r) => r.Set(m));
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return result.Link;
    }

    /// <summary>Reads one link by name or index, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The link, or <see langword="null"/> when there is none by that name or index.</returns>
    /// <remarks>Equivalent to <c>ip -d -s link show dev NAME</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused the request for another reason.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public async ValueTask<LinkInfo?> GetLinkAsync(LinkReference link, CancellationToken cancellationToken = default)
    {
        link.Validate(nameof(link));
        var result = new LinkHolder();
        byte[] buffer = Rent();
        try
        {
            int length = Build(buffer, link, WriteGet);
            await _socket.QueryAsync(buffer.AsMemory(0, length), result, static (m, r) => r.Set(m), null, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return result.Link;
    }

    /// <summary>
    /// Resolves an interface name to its index with iproute2's lookup request (<c>ll_name_to_index</c>: RTM_GETLINK,
    /// <c>IFLA_EXT_MASK = RTEXT_FILTER_VF|RTEXT_FILTER_SKIP_STATS</c>, <c>IFLA_IFNAME</c>).
    /// </summary>
    /// <param name="name">The interface name.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link (<see cref="LinuxNetException.IsNotFound"/>, <c>ENODEV</c>), or another refusal.</exception>
    internal int GetIndex(string name)
    {
        InterfaceName.Validate(name, nameof(name));
        var result = new IndexHolder();
        byte[] buffer = Rent();
        try
        {
            int length = Build(buffer, name, LinkMessages.WriteLookup);
            _socket.Query(buffer.AsSpan(0, length), result, static (m, r) => r.Set(m));
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            throw NoSuchLink(e, name);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return result.Index;
    }

    /// <summary>Asynchronous <see cref="GetIndex(string)"/>.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The index.</returns>
    internal async ValueTask<int> GetIndexAsync(string name, CancellationToken cancellationToken = default)
    {
        InterfaceName.Validate(name, nameof(name));
        var result = new IndexHolder();
        byte[] buffer = Rent();
        try
        {
            int length = Build(buffer, name, LinkMessages.WriteLookup);
            await _socket.QueryAsync(buffer.AsMemory(0, length), result, static (m, r) => r.Set(m), null, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            throw NoSuchLink(e, name);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return result.Index;
    }

    /// <summary>The index of <paramref name="link"/>: as given, or looked up by name.</summary>
    internal int Resolve(LinkReference link) => link.IsName ? GetIndex(link.Name!) : link.Index;

    /// <summary>Asynchronous <see cref="Resolve(LinkReference)"/>.</summary>
    internal ValueTask<int> ResolveAsync(LinkReference link, CancellationToken cancellationToken)
        => link.IsName ? GetIndexAsync(link.Name!, cancellationToken) : new ValueTask<int>(link.Index);

    private static void AddLink(NetlinkMessage message, List<LinkInfo> links)
    {
        if (message.Type == LinuxRtnetlink.RTM_NEWLINK)
        {
            links.Add(LinkMessages.Parse(message));
        }
    }

    private static void WriteGet(ref NetlinkMessageWriter writer, LinkReference link)
    {
        if (link.IsName)
        {
            LinkMessages.WriteGet(ref writer, link.Name!);
        }
        else
        {
            LinkMessages.WriteGet(ref writer, link.Index);
        }
    }

    private static byte[] Rent() => ArrayPool<byte>.Shared.Rent(LinkMessages.RequestBufferSize);

    private static int Build<T>(byte[] buffer, T argument, RequestBuilder<T> build)
    {
        var writer = new NetlinkMessageWriter(buffer);
        build(ref writer, argument);
        return writer.BytesWritten;
    }

    private static NetlinkException NoSuchLink(NetlinkException e, string name)
        => Rewrap(e, $"ip link: no link named '{name}' in this namespace");

    /// <summary>Copies a kernel refusal with a message that names what was being done (the errno, ext-ack and path are kept).</summary>
    internal static NetlinkException Rewrap(NetlinkException e, string what, string? message = null)
        => new(
            e.Errno,
            what,
            message ?? $"{what}: {e.Message}",
            e.ExtendedAckMessage,
            e.ExtendedAckOffset,
            e.MessageType,
            e.Sequence,
            e.AttributePath,
            e.AttributeName);

    private sealed class LinkHolder
    {
        internal LinkInfo? Link { get; private set; }

        internal void Set(NetlinkMessage message)
        {
            if (message.Type == LinuxRtnetlink.RTM_NEWLINK)
            {
                Link = LinkMessages.Parse(message);
            }
        }
    }

    private sealed class IndexHolder
    {
        internal int Index { get; private set; }

        internal void Set(NetlinkMessage message)
        {
            if (message.Type == LinuxRtnetlink.RTM_NEWLINK)
            {
                Index = LinkMessages.ReadIndex(message);
            }
        }
    }
}
