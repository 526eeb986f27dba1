using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Route;

/// <summary>Options for a <see cref="RtnetlinkWatch"/> (and the <see cref="RtnetlinkCache"/> built on one).</summary>
public sealed class RtnetlinkWatchOptions
{
    /// <summary>
    /// The event socket's receive buffer in bytes; 0 (default) asks for 4 MiB. A smaller buffer only means more
    /// resynchronisations under bursts: the stream stays exact.
    /// </summary>
    public int ReceiveBufferSize { get; set; }

    /// <summary>
    /// How far the watch may grow its event socket's receive buffer after events were lost (it doubles it each time);
    /// 0 (default) allows 16 MiB. Set it equal to <see cref="ReceiveBufferSize"/> to keep the buffer as it is.
    /// </summary>
    public int MaxReceiveBufferSize { get; set; }

    /// <summary>The routing tables whose routes are followed; <see langword="null"/> (default) for all (<c>table all</c>), e.g. <c>[254]</c> for main only.</summary>
    public IReadOnlyCollection<uint>? RouteTables { get; set; }

    /// <summary>
    /// How many passes in a row a synchronisation may lose events (the kernel outrunning the watch while it re-reads)
    /// before the enumeration fails with <c>ENOBUFS</c>; default 100,000 (each pass is one dump).
    /// </summary>
    public int MaxSyncAttempts { get; set; } = 100_000;

    /// <summary>Where the watch logs; <see langword="null"/> for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
