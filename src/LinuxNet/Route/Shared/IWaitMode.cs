using System;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// How a <see cref="RequestPipeline"/> request waits for the kernel: the only thing that differs between a verb and its
/// <c>…Async</c> twin. Implemented by the structs <see cref="SyncWait"/> and <see cref="AsyncWait"/>, used as generic
/// arguments so the JIT compiles one specialised copy of each request body per mode (the adapter pattern of
/// System.Net.Security's <c>SslStream</c>).
/// </summary>
internal interface IWaitMode
{
    /// <summary>Sends <paramref name="length"/> bytes of <paramref name="request"/> and reads the reply into <paramref name="handler"/>.</summary>
    /// <returns>The number of data messages handled; completed on return for <see cref="SyncWait"/>.</returns>
    ValueTask<int> QueryAsync<TState>(NetlinkSocket socket, byte[] request, int length, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart, CancellationToken cancellationToken);

    /// <summary>Sends a batch of requests and collects one state per request.</summary>
    ValueTask ExecuteBatchAsync(NetlinkSocket socket, byte[] requests, int length, int count, NetlinkSocket.BatchItemState[] states, NetlinkBatchErrors errors, int maxPerSend, bool stopOnFirstError, CancellationToken cancellationToken);
}
