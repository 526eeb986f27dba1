using Microsoft.Extensions.Logging;

namespace LinuxNet.Netlink;

/// <summary>Options for <see cref="NetlinkSocket.Open(int, NetlinkSocketOptions?)"/>.</summary>
public sealed class NetlinkSocketOptions
{
    /// <summary>The socket receive buffer in bytes (<c>SO_RCVBUF</c>, forced past the system limit when privileged); 0 keeps the default.</summary>
    /// <remarks>Event sockets that may fall behind want a large one; the kernel doubles the value for bookkeeping.</remarks>
    public int ReceiveBufferSize { get; set; }

    /// <summary>The socket send buffer in bytes (<c>SO_SNDBUF</c>); 0 keeps the default.</summary>
    public int SendBufferSize { get; set; }

    /// <summary>Ask the kernel to check dump requests strictly (<c>NETLINK_GET_STRICT_CHK</c>), where it supports it. Default <see langword="true"/>.</summary>
    public bool StrictChecking { get; set; } = true;

    /// <summary>How many times a dump interrupted by a concurrent change (<c>NLM_F_DUMP_INTR</c>) is restarted before giving up. Default 8.</summary>
    public int MaxDumpRetries { get; set; } = 8;

    /// <summary>Where the socket logs; <see langword="null"/> for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
