using System;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Waits by blocking in the socket's synchronous receive path: every returned task is already completed.</summary>
internal readonly struct SyncWait : IWaitMode
{
    public ValueTask<int> QueryAsync<TState>(NetlinkSocket socket, byte[] request, int length, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart, CancellationToken cancellationToken)
        => new(socket.Query(request.AsSpan(0, length), state, handler, restart));

    public ValueTask ExecuteBatchAsync(NetlinkSocket socket, byte[] requests, int length, int count, NetlinkSocket.BatchItemState[] states, NetlinkBatchErrors errors, int maxPerSend, bool stopOnFirstError, CancellationToken cancellationToken)
    {
        socket.ExecuteBatch(requests.AsSpan(0, length), count, states, errors, maxPerSend, stopOnFirstError);
        return default;
    }

    /// <summary>The result of a request body run with <see cref="SyncWait"/>, which has completed by construction.</summary>
    /// <remarks>
    /// The body never awaited anything that was not already complete, so reading the result does not block (what
    /// <c>SslStream</c> does with its synchronous adapter). A body that did not complete is a bug, reported as such
    /// instead of being waited for.
    /// </remarks>
    internal static T Complete<T>(ValueTask<T> task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("A synchronous rtnetlink request did not complete synchronously.");
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Completes a body without a result; see <see cref="Complete{T}(ValueTask{T})"/>.</summary>
    internal static void Complete(ValueTask task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("A synchronous rtnetlink request did not complete synchronously.");
        }

        task.GetAwaiter().GetResult();
    }
}
