using Microsoft.Extensions.Logging;

namespace LinuxNet.Namespaces;

// Event IDs 1300-1399 belong to Namespaces. Never reuse a retired ID; mark retired ones here.
internal static partial class NamespaceLog
{
    [LoggerMessage(1300, LogLevel.Debug, "Created network namespace '{Name}' at {Path} (inode {Inode})")]
    internal static partial void Created(ILogger logger, string name, string path, ulong inode);

    [LoggerMessage(1301, LogLevel.Debug, "Created anonymous network namespace (inode {Inode})")]
    internal static partial void CreatedAnonymous(ILogger logger, ulong inode);

    [LoggerMessage(1302, LogLevel.Debug, "Opened network namespace {Path} (inode {Inode})")]
    internal static partial void Opened(ILogger logger, string path, ulong inode);

    [LoggerMessage(1303, LogLevel.Debug, "Deleted network namespace '{Name}'")]
    internal static partial void Deleted(ILogger logger, string name);

    [LoggerMessage(1304, LogLevel.Debug, "Pinned thread '{ThreadName}' (tid {Tid}) entered its namespace")]
    internal static partial void ThreadStarted(ILogger logger, string threadName, int tid);

    [LoggerMessage(1305, LogLevel.Debug, "Pinned thread '{ThreadName}' (tid {Tid}) ended")]
    internal static partial void ThreadEnded(ILogger logger, string threadName, int tid);

    [LoggerMessage(1306, LogLevel.Debug, "Made {Directory} a mount point (bind mount onto itself) so namespace mounts can be shared")]
    internal static partial void RunDirectoryMounted(ILogger logger, string directory);

    [LoggerMessage(1307, LogLevel.Warning, "Could not flock {Directory} ({Errno}); making it shared without the lock, as ip netns does")]
    internal static partial void RunDirectoryLockFailed(ILogger logger, string directory, string errno);

    [LoggerMessage(1308, LogLevel.Warning, "Creating network namespace '{Name}' failed half-way; removed {Path}")]
    internal static partial void CreateRolledBack(ILogger logger, string name, string path);

    [LoggerMessage(1309, LogLevel.Warning, "A continuation was posted to pinned thread '{ThreadName}' after it ended; it was dropped rather than run outside the namespace")]
    internal static partial void ContinuationDropped(ILogger logger, string threadName);

    [LoggerMessage(1310, LogLevel.Warning, "Cleanup of {Path} after a failed create did not complete: {Errno}")]
    internal static partial void CleanupFailed(ILogger logger, string path, string errno);

    [LoggerMessage(1311, LogLevel.Debug, "Started process {ProcessId} ({FileName}) inside network namespace (inode {Inode})")]
    internal static partial void ProcessStarted(ILogger logger, int processId, string fileName, ulong inode);

    [LoggerMessage(1312, LogLevel.Information, "Attached the network namespace of process {ProcessId} (inode {Inode}) as '{Name}'")]
    internal static partial void Attached(ILogger logger, int processId, ulong inode, string name);

    [LoggerMessage(1313, LogLevel.Debug, "Watching {Directory} for named network namespaces")]
    internal static partial void MonitorStarted(ILogger logger, string directory);

    [LoggerMessage(1314, LogLevel.Warning, "The inotify queue of the namespace monitor overflowed; changes were lost")]
    internal static partial void MonitorOverflowed(ILogger logger);
}
