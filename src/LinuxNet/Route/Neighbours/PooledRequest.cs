using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Writes one request into a buffer of <see cref="PooledRequest.Size"/> bytes and returns its length.</summary>
internal delegate int RequestWriter<TArg>(Span<byte> buffer, TArg arg);

/// <summary>Parses one reply message into an item, or returns <see langword="null"/> to skip it.</summary>
internal delegate T? ReplyParser<T>(NetlinkMessage message)
    where T : class;

/// <summary>
/// Runs small rtnetlink requests without allocating: the sync path builds them on the stack, the async path in a
/// buffer rented from <see cref="ArrayPool{T}.Shared"/> and returned when the exchange ends.
/// </summary>
internal static class PooledRequest
{
    /// <summary>Large enough for any neighbour, rule, address or route request this library writes.</summary>
    internal const int Size = 512;

    internal static void Execute<TArg>(NetlinkSocket socket, TArg arg, RequestWriter<TArg> write)
    {
        Span<byte> buffer = stackalloc byte[Size];
        int length = write(buffer, arg);
        socket.Execute(buffer.Slice(0, length));
    }

    internal static async ValueTask ExecuteAsync<TArg>(NetlinkSocket socket, TArg arg, RequestWriter<TArg> write, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Size);
        try
        {
            int length = write(buffer, arg);
            await socket.ExecuteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static List<T> Query<TArg, T>(NetlinkSocket socket, TArg arg, RequestWriter<TArg> write, ReplyParser<T> parse)
        where T : class
    {
        Span<byte> buffer = stackalloc byte[Size];
        int length = write(buffer, arg);
        var state = new QueryState<T>(parse);
        socket.Query(buffer.Slice(0, length), state, static (m, s) => s.Add(m), static s => s.Items.Clear());
        return state.Items;
    }

    internal static async ValueTask<List<T>> QueryAsync<TArg, T>(NetlinkSocket socket, TArg arg, RequestWriter<TArg> write, ReplyParser<T> parse, CancellationToken cancellationToken)
        where T : class
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Size);
        try
        {
            int length = write(buffer, arg);
            var state = new QueryState<T>(parse);
            await socket.QueryAsync(buffer.AsMemory(0, length), state, static (m, s) => s.Add(m), static s => s.Items.Clear(), cancellationToken).ConfigureAwait(false);
            return state.Items;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class QueryState<T>
        where T : class
    {
        private readonly ReplyParser<T> _parse;

        internal QueryState(ReplyParser<T> parse) => _parse = parse;

        internal List<T> Items { get; } = new();

        internal void Add(NetlinkMessage message)
        {
            if (_parse(message) is { } item)
            {
                Items.Add(item);
            }
        }
    }
}
