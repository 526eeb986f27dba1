using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Netlink;

/// <summary>Options for <see cref="NetlinkSocket.Open(int, NetlinkSocketOptions?)"/>.</summary>
public sealed class NetlinkSocketOptions
{
    private TimeSpan _requestTimeout = TimeSpan.FromSeconds(30);
    private TimeSpan _dumpRetryDelay = TimeSpan.FromMilliseconds(1);
    private int _maxDumpRetries = 8;

    /// <summary>The socket receive buffer in bytes (<c>SO_RCVBUF</c>, forced past the system limit when privileged); 0 keeps the default.</summary>
    /// <remarks>Event sockets that may fall behind want a large one; the kernel doubles the value for bookkeeping.</remarks>
    public int ReceiveBufferSize { get; set; }

    /// <summary>The socket send buffer in bytes (<c>SO_SNDBUF</c>); 0 keeps the default.</summary>
    public int SendBufferSize { get; set; }

    /// <summary>Ask the kernel to check dump requests strictly (<c>NETLINK_GET_STRICT_CHK</c>), where it supports it. Default <see langword="true"/>.</summary>
    public bool StrictChecking { get; set; } = true;

    /// <summary>
    /// How many times a dump is restarted when the kernel flags it inconsistent (<c>NLM_F_DUMP_INTR</c>: the table
    /// changed while it was read) or a reply was lost to a receive-queue overflow (<c>ENOBUFS</c>). Default 8, so a
    /// dump makes at most 9 attempts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public int MaxDumpRetries
    {
        get => _maxDumpRetries;
        set => _maxDumpRetries = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The number of dump retries cannot be negative.");
    }

    /// <summary>
    /// The pause before the first restart of an interrupted dump; each further restart waits one more such step
    /// (1×, 2×, 3× …), which lets a burst of changes pass. Default 1 ms; <see cref="TimeSpan.Zero"/> restarts at once.
    /// The pauses count against <see cref="RequestTimeout"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative or above one minute.</exception>
    public TimeSpan DumpRetryDelay
    {
        get => _dumpRetryDelay;
        set => _dumpRetryDelay = value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The dump retry delay must be between zero and one minute.");
    }

    /// <summary>
    /// When <see langword="true"/>, a dump that is still inconsistent after <see cref="MaxDumpRetries"/> restarts returns
    /// what its last attempt read, marked <see cref="NetlinkDumpResult.IsConsistent"/> = <see langword="false"/>,
    /// instead of throwing <see cref="NetlinkException"/> (<c>EINTR</c>). Default <see langword="false"/>.
    /// </summary>
    /// <remarks>
    /// The kernel flags only dumps of tables that keep a change counter: address dumps (IPv4 and IPv6) are flagged;
    /// link dumps no longer are (the kernel walks devices by index), and IPv6 route dumps never are — under churn an
    /// IPv6 route dump can miss routes without any mark, as <c>ip -6 route</c> can. A caller that needs a verified list
    /// repeats the dump until two consecutive results agree (bounded).
    /// </remarks>
    public bool AcceptInconsistentDumps { get; set; }

    /// <summary>
    /// How long a synchronous request may wait for the kernel's answer before it fails with
    /// <see cref="TimeoutException"/>. Default 30 s; <see cref="Timeout.InfiniteTimeSpan"/> waits without a deadline.
    /// Asynchronous requests are bounded by their <see cref="CancellationToken"/> instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is not positive and not <see cref="Timeout.InfiniteTimeSpan"/>, or exceeds <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        set => _requestTimeout = value == Timeout.InfiniteTimeSpan || (value > TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The request timeout must be positive or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>Where the socket logs; <see langword="null"/> for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
