using Microsoft.Extensions.Logging;

namespace LinuxNet.Route;

/// <summary>Options for a <see cref="RtnetlinkMonitor"/>.</summary>
public sealed class RtnetlinkMonitorOptions
{
    /// <summary>
    /// The socket receive buffer in bytes (<c>SO_RCVBUF</c>, forced past <c>rmem_max</c> when privileged); 0 (default)
    /// asks for 4 MiB. A consumer that falls behind by more than this loses events and gets an
    /// <see cref="RtnetlinkEventKind.Overrun"/> event.
    /// </summary>
    public int ReceiveBufferSize { get; set; }

    /// <summary>Where the monitor logs; <see langword="null"/> for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
