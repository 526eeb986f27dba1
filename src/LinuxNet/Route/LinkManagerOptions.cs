using Microsoft.Extensions.Logging;

namespace LinuxNet.Route;

/// <summary>Options for opening a <see cref="LinkManager"/>.</summary>
public sealed class LinkManagerOptions
{
    /// <summary>The netlink socket's receive buffer in bytes; 0 keeps the default. Large dumps and batches want more.</summary>
    public int ReceiveBufferSize { get; set; }

    /// <summary>Where the manager and its socket log; <see langword="null"/> for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
