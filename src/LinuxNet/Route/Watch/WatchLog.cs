using System;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Route;

/// <summary>Log messages of the watch and the cache (Route block; 1190–1199 is theirs).</summary>
internal static partial class WatchLog
{
    [LoggerMessage(1190, LogLevel.Debug, "rtnetlink cache for {Kinds} synchronised: {Count} objects")]
    internal static partial void CacheSynchronized(ILogger logger, RtnetlinkEventKinds kinds, int count);

    [LoggerMessage(1191, LogLevel.Error, "An rtnetlink cache Changed handler threw; the cache goes on")]
    internal static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(1192, LogLevel.Error, "The rtnetlink cache for {Kinds} stopped: its watch failed")]
    internal static partial void CacheFailed(ILogger logger, RtnetlinkEventKinds kinds, Exception exception);
}
