using System;
using System.Buffers;
using System.Collections.Generic;
#if NET
using System.Runtime.CompilerServices;
#endif
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// The one way every rtnetlink manager runs a request: the buffer (on the stack for a synchronous change, otherwise
/// rented from <see cref="ArrayPool{T}.Shared"/> and returned when the exchange ends), link-name resolution, execute /
/// query / dump, and the wait — synchronous or asynchronous by the <c>TWait</c> argument of each method, from one body.
/// </summary>
/// <remarks>
/// A verb's sync and async forms call the same generic body with <see cref="SyncWait"/> or <see cref="AsyncWait"/>;
/// the sync form reads the completed result with <see cref="SyncWait.Complete{T}(ValueTask{T})"/>. One exception, for
/// speed: the synchronous add/delete/replace of routes, addresses, neighbours and rules resolve their links through
/// the same generic helpers (completed tasks, none at all for a link given by index) and then call
/// <see cref="Execute{TArg}"/> directly, because running the verb's own <c>async</c> body cost ~500 instructions a
/// request (docs/performance.md); what they resolve and encode is the shared code, only the two-line order is
/// written twice. Nothing here allocates per request: the bodies complete synchronously without boxing their state
/// machines, encoders are static lambdas, and the buffer is pooled or on the stack.
/// </remarks>
internal sealed class RequestPipeline
{
    /// <summary>Enough for any single request but wide multipath routes, which ask for more.</summary>
    internal const int DefaultRequestSize = 512;

    private static readonly NetlinkMessageHandler<IndexHolder> IndexHandler = static (message, holder) => holder.Set(message);
    private static readonly NetlinkMessageHandler<NameHolder> NameHandler = static (message, holder) => holder.Set(message);

    internal RequestPipeline(NetlinkSocket socket) => Socket = socket;

    internal NetlinkSocket Socket { get; }

    /// <summary>Writes one request into <paramref name="buffer"/> and returns its length (the batch writes through here too).</summary>
    internal static int Encode<TArg>(Span<byte> buffer, TArg argument, RequestEncoder<TArg> encode)
    {
        var writer = new NetlinkMessageWriter(buffer);
        encode(ref writer, argument);
        if (writer.IsMessageOpen)
        {
            writer.EndMessage();
        }

        return writer.BytesWritten;
    }

    /// <summary>Sends one request and waits for the kernel's acknowledgement.</summary>
    /// <remarks>Not an async method itself: one state machine less on every change request.</remarks>
    /// <returns>A task whose result (always 0: an acknowledged request has no data messages) callers discard.</returns>
    internal ValueTask<int> ExecuteAsync<TWait, TArg>(TArg argument, RequestEncoder<TArg> encode, CancellationToken cancellationToken, int size = DefaultRequestSize)
        where TWait : struct, IWaitMode
        => typeof(TWait) == typeof(SyncWait)
            ? new ValueTask<int>(Execute(argument, encode, size))
            : QueryAsync<TWait, TArg, object?>(argument, encode, null, null, null, cancellationToken, size);

    /// <summary>
    /// Sends one request and waits for the kernel's acknowledgement, synchronously: the request is written on the stack
    /// (a pooled buffer only when <paramref name="size"/> is over <see cref="DefaultRequestSize"/>) and no state machine runs.
    /// </summary>
    /// <returns>0: an acknowledged request has no data messages.</returns>
    /// <remarks>
    /// On net10.0 the stack buffer is not zeroed (<c>[SkipLocalsInit]</c>): the writer writes every byte it sends,
    /// padding included, as it must for pooled buffers, and only those bytes are sent. The netstandard2.0 asset has
    /// no such attribute to apply, and a polyfill of it would collide, through InternalsVisibleTo, with the runtime's
    /// in the test projects' generated code; there the buffer is zeroed.
    /// </remarks>
#if NET
    [SkipLocalsInit]
#endif
    internal int Execute<TArg>(TArg argument, RequestEncoder<TArg> encode, int size = DefaultRequestSize)
    {
        byte[]? rented = null;
        Span<byte> buffer = size <= DefaultRequestSize ? stackalloc byte[DefaultRequestSize] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            Span<byte> request = buffer.Slice(0, Encode(buffer, argument, encode));
            try
            {
                return Socket.Query<object?>(request, null, null);
            }
            catch (NetlinkException e) when (IsRtnetlinkOperation(e) && OperationName.Of(request) is { } operation)
            {
                throw Rewrap(e, operation);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Sends one get or dump request and passes each data message of the reply to <paramref name="handler"/>;
    /// <paramref name="restart"/> clears the state before an interrupted dump is read again.
    /// </summary>
    /// <returns>The number of data messages handled in the final pass.</returns>
    internal async ValueTask<int> QueryAsync<TWait, TArg, TState>(TArg argument, RequestEncoder<TArg> encode, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart, CancellationToken cancellationToken, int size = DefaultRequestSize)
        where TWait : struct, IWaitMode
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            int length = Encode(buffer, argument, encode);
            try
            {
                return await default(TWait).QueryAsync(Socket, buffer, length, state, handler, restart, cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkException e) when (IsRtnetlinkOperation(e) && OperationName.Of(buffer.AsSpan(0, length)) is { } operation)
            {
                // The socket names the message type (RTM_NEWADDR); every manager's errors name ip's command instead.
                throw Rewrap(e, operation);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends one dump (or get) and parses every data message of the reply with <paramref name="parse"/>, skipping <see langword="null"/>s.</summary>
    /// <returns>The parsed items of the final, consistent pass.</returns>
    internal async ValueTask<List<T>> ListAsync<TWait, TArg, T>(TArg argument, RequestEncoder<TArg> encode, ReplyParser<T> parse, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        where T : class
    {
        var state = new ListState<T>(parse);
        await QueryAsync<TWait, TArg, ListState<T>>(argument, encode, state, ListState<T>.Handler, ListState<T>.Restart, cancellationToken).ConfigureAwait(false);
        return state.Items;
    }

    /// <summary>The index of <paramref name="link"/>: as given, or looked up by name with iproute2's lookup request.</summary>
    /// <param name="link">The link.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <param name="operation">The caller's operation in ip's words (<c>ip address add</c>), named by the error when the link is missing.</param>
    /// <exception cref="NetlinkException">No link by that name (<c>ENODEV</c>, message naming the link and the operation), or another refusal.</exception>
    internal ValueTask<int> ResolveAsync<TWait>(LinkReference link, CancellationToken cancellationToken, string? operation = null)
        where TWait : struct, IWaitMode
        => link.IsName ? GetIndexAsync<TWait>(link.Name!, cancellationToken, operation) : new ValueTask<int>(link.Index);

    /// <summary>The index of an optional link: 0 when <paramref name="link"/> is <see langword="null"/>.</summary>
    internal ValueTask<int> ResolveAsync<TWait>(LinkReference? link, CancellationToken cancellationToken, string? operation = null)
        where TWait : struct, IWaitMode
        => link is { } value ? ResolveAsync<TWait>(value, cancellationToken, operation) : new ValueTask<int>(0);

    /// <summary>Looks a link name up (<c>ll_name_to_index</c>: RTM_GETLINK with <c>IFLA_IFNAME</c>).</summary>
    internal async ValueTask<int> GetIndexAsync<TWait>(string name, CancellationToken cancellationToken, string? operation = null)
        where TWait : struct, IWaitMode
    {
        AlternativeName.ValidateReference(name, nameof(name));
        var holder = new IndexHolder();
        try
        {
            await QueryAsync<TWait, string, IndexHolder>(name, LinkMessages.WriteLookup, holder, IndexHandler, null, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            string what = operation ?? "ip link show dev";
            throw Rewrap(e, $"{what} (dev {name})", $"{what}: no link named '{name}' in this namespace ({e.Message})");
        }

        return holder.Index;
    }

    /// <summary>
    /// The name of an optional link, for requests the kernel takes by name (rule <c>iif</c>/<c>oif</c>): a name as given,
    /// an index looked up; <see langword="null"/> when <paramref name="link"/> is.
    /// </summary>
    /// <exception cref="NetlinkException">No link with that index (<c>ENODEV</c>, message naming the link), or another refusal.</exception>
    internal ValueTask<string?> ResolveNameAsync<TWait>(LinkReference? link, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        => link is { IsName: false } value ? GetNameAsync<TWait>(value.Index, cancellationToken) : new ValueTask<string?>(link?.Name);

    /// <summary>Looks an interface index up (<c>ll_index_to_name</c>: RTM_GETLINK with <c>ifi_index</c>) and returns its name.</summary>
    internal async ValueTask<string?> GetNameAsync<TWait>(int index, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        var holder = new NameHolder();
        try
        {
            await QueryAsync<TWait, LinkReference, NameHolder>(LinkReference.FromIndex(index), LinkMessages.WriteGet, holder, NameHandler, null, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            throw Rewrap(e, $"ip link: no link with index {index} in this namespace");
        }

        return holder.Name ?? throw new NetlinkProtocolException($"RTM_NEWLINK for interface index {index} has no IFLA_IFNAME.");
    }

    /// <summary>Whether the socket named the refusal by its message type (RTM_NEWADDR), which managers replace with ip's command.</summary>
    private static bool IsRtnetlinkOperation(NetlinkException e) => e.Operation.StartsWith("RTM_", StringComparison.Ordinal);

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

    private sealed class ListState<T>
        where T : class
    {
        internal static readonly NetlinkMessageHandler<ListState<T>> Handler = static (message, state) => state.Add(message);
        internal static readonly Action<ListState<T>> Restart = static state => state.Items.Clear();

        private readonly ReplyParser<T> _parse;

        internal ListState(ReplyParser<T> parse) => _parse = parse;

        internal List<T> Items { get; } = new();

        private void Add(NetlinkMessage message)
        {
            if (_parse(message) is { } item)
            {
                Items.Add(item);
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

    private sealed class NameHolder
    {
        internal string? Name { get; private set; }

        internal void Set(NetlinkMessage message)
        {
            if (message.Type != LinuxRtnetlink.RTM_NEWLINK)
            {
                return;
            }

            foreach (NetlinkAttribute attribute in message.GetAttributes<IfInfoMsg>())
            {
                if (attribute.Type == LinuxIfLink.IFLA_IFNAME)
                {
                    Name = attribute.GetString();
                    return;
                }
            }
        }
    }
}
