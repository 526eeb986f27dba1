using System;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Waits asynchronously on the socket's readiness (the shared epoll loop), honouring the cancellation token.</summary>
internal readonly struct AsyncWait : IWaitMode
{
    public ValueTask<int> QueryAsync<TState>(NetlinkSocket socket, byte[] request, int length, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart, CancellationToken cancellationToken)
        => socket.QueryAsync(request.AsMemory(0, length), state, handler, restart, cancellationToken);

    public ValueTask ExecuteBatchAsync(NetlinkSocket socket, byte[] requests, int length, int count, NetlinkSocket.BatchItemState[] states, NetlinkBatchErrors errors, int maxPerSend, bool stopOnFirstError, CancellationToken cancellationToken)
        => socket.ExecuteBatchAsync(requests.AsMemory(0, length), count, states, errors, maxPerSend, stopOnFirstError, cancellationToken);
}
