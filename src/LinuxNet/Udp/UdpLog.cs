using System.Net;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Udp;

// Event IDs 1400-1499 belong to Udp. Never reuse a retired ID; mark retired ones here with a comment.
internal static partial class UdpLog
{
    [LoggerMessage(1400, LogLevel.Debug, "Opened UDP batch socket on {LocalEndPoint} (receive offload {ReceiveOffload})")]
    internal static partial void Opened(ILogger logger, IPEndPoint localEndPoint, bool receiveOffload);

    [LoggerMessage(1401, LogLevel.Debug, "Closed UDP batch socket on {LocalEndPoint}")]
    internal static partial void Closed(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(1402, LogLevel.Warning, "The kernel refused a UDP GSO send on {LocalEndPoint} with EIO (a device without checksum offload); segmentation offload is off for this socket, runs are sent as separate datagrams")]
    internal static partial void SegmentationRefused(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(1403, LogLevel.Warning, "The kernel refused a UDP GSO run of {Length} bytes in {SegmentSize}-byte segments on {LocalEndPoint} (EINVAL: more segments than it takes, or a segment above the path MTU); such runs are sent as separate datagrams")]
    internal static partial void SegmentRunRefused(ILogger logger, IPEndPoint localEndPoint, int length, int segmentSize);

    [LoggerMessage(1404, LogLevel.Warning, "The kernel does not support UDP_GRO ({Errno}); UDP batch socket on {LocalEndPoint} receives datagrams one by one")]
    internal static partial void ReceiveOffloadUnsupported(ILogger logger, IPEndPoint localEndPoint, string errno);
}
