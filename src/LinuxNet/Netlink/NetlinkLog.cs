using Microsoft.Extensions.Logging;

namespace LinuxNet.Netlink;

// Event ids 1000-1099. Never reuse a retired id.
internal static partial class NetlinkLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Netlink socket opened: protocol {Protocol}, port id {PortId}")]
    internal static partial void SocketOpened(ILogger logger, int protocol, uint portId);

    [LoggerMessage(1001, LogLevel.Warning, "Netlink dump (type {MessageType}) was interrupted by a concurrent change; restarting (attempt {Attempt})")]
    internal static partial void DumpInterrupted(ILogger logger, ushort messageType, int attempt);

    [LoggerMessage(1002, LogLevel.Warning, "Dropped a netlink message from port id {PortId}: only the kernel (port 0) may send to this socket")]
    internal static partial void ForeignSenderDropped(ILogger logger, uint portId);

    [LoggerMessage(1003, LogLevel.Warning, "The kernel accepted {Operation} with a warning: {Text}")]
    internal static partial void KernelWarning(ILogger logger, string operation, string text);

    [LoggerMessage(1004, LogLevel.Debug, "A netlink reply of {Length} bytes did not fit the {Capacity}-byte receive buffer; buffer grown, request restarted")]
    internal static partial void ReplyTruncated(ILogger logger, int length, int capacity);

    [LoggerMessage(1005, LogLevel.Trace, "Skipped a netlink message with sequence {Sequence} while waiting for {Expected}")]
    internal static partial void StaleMessage(ILogger logger, uint sequence, uint expected);

    [LoggerMessage(1006, LogLevel.Debug, "Netlink socket closed: port id {PortId}")]
    internal static partial void SocketClosed(ILogger logger, uint portId);

    [LoggerMessage(1007, LogLevel.Warning, "The netlink receive queue overflowed during {Operation} (ENOBUFS): the kernel dropped messages; draining the queue")]
    internal static partial void ReceiveOverflow(ILogger logger, string operation);

    [LoggerMessage(1008, LogLevel.Warning, "Netlink dump (type {MessageType}) was still inconsistent after {Attempts} attempt(s); returned marked inconsistent as configured")]
    internal static partial void DumpInconsistent(ILogger logger, ushort messageType, int attempts);
}
