using System;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Tun;

// Event IDs 1200-1299 belong to Tun. Never reuse a retired ID; mark retired ones here with a comment.
internal static partial class TunLog
{
    [LoggerMessage(1200, LogLevel.Debug, "Created {Mode} device '{Name}' (ifindex {InterfaceIndex}, {QueueCount} queue(s), flags 0x{Flags:x4})")]
    internal static partial void DeviceCreated(ILogger logger, TunMode mode, string name, int interfaceIndex, int queueCount, int flags);

    [LoggerMessage(1201, LogLevel.Debug, "Attached to existing {Mode} device '{Name}' (ifindex {InterfaceIndex})")]
    internal static partial void DeviceOpened(ILogger logger, TunMode mode, string name, int interfaceIndex);

    [LoggerMessage(1202, LogLevel.Debug, "Closed device '{Name}'")]
    internal static partial void DeviceClosed(ILogger logger, string name);

    [LoggerMessage(1203, LogLevel.Warning, "The kernel rejected offloads {Requested} on '{Name}' ({Errno}); using {Effective} instead")]
    internal static partial void OffloadsRejected(ILogger logger, string name, TunOffloads requested, string errno, TunOffloads effective);

    [LoggerMessage(1204, LogLevel.Warning, "The kernel does not support IFF_VNET_HDR; '{Name}' uses plain frames without offloads")]
    internal static partial void VirtioNetHeaderUnsupported(ILogger logger, string name);

    [LoggerMessage(1205, LogLevel.Debug, "Queue {Queue} of '{Name}' attached")]
    internal static partial void QueueAttached(ILogger logger, string name, int queue);

    [LoggerMessage(1206, LogLevel.Debug, "Queue {Queue} of '{Name}' detached")]
    internal static partial void QueueDetached(ILogger logger, string name, int queue);

    [LoggerMessage(1207, LogLevel.Debug, "Pipe of '{Name}' queue {Queue}: reading paused (the application is not consuming frames)")]
    internal static partial void PipeReadPaused(ILogger logger, string name, int queue);

    [LoggerMessage(1208, LogLevel.Debug, "Pipe of '{Name}' queue {Queue}: reading resumed")]
    internal static partial void PipeReadResumed(ILogger logger, string name, int queue);

    [LoggerMessage(1209, LogLevel.Error, "Pipe of '{Name}' queue {Queue}: the frame reader stopped unexpectedly")]
    internal static partial void PipeReadFailed(ILogger logger, string name, int queue, Exception exception);

    [LoggerMessage(1210, LogLevel.Error, "Pipe of '{Name}' queue {Queue}: the frame writer stopped unexpectedly")]
    internal static partial void PipeWriteFailed(ILogger logger, string name, int queue, Exception exception);

    [LoggerMessage(1211, LogLevel.Debug, "Pipe of '{Name}' queue {Queue}: {Direction} stopped on shutdown ({Reason})")]
    internal static partial void PipeStopped(ILogger logger, string name, int queue, string direction, string reason);

    [LoggerMessage(1212, LogLevel.Debug, "Device '{Name}' went away under queue {Queue} (deleted while open)")]
    internal static partial void DeviceGone(ILogger logger, string name, int queue);

    [LoggerMessage(1213, LogLevel.Debug, "Device '{Name}': persistence set to {Persistent}")]
    internal static partial void PersistenceChanged(ILogger logger, string name, bool persistent);

    [LoggerMessage(1214, LogLevel.Debug, "Device '{Name}': carrier set to {Carrier}")]
    internal static partial void CarrierChanged(ILogger logger, string name, bool carrier);

    [LoggerMessage(1215, LogLevel.Trace, "Pipe of '{Name}' queue {Queue}: a frame of {Length} bytes was dropped by the kernel ({Errno})")]
    internal static partial void PipeFrameRejected(ILogger logger, string name, int queue, int length, string errno);

    [LoggerMessage(1216, LogLevel.Debug, "Device '{Name}' brought up (ifindex {InterfaceIndex}) with {AddressCount} address(es), MTU {Mtu}")]
    internal static partial void BroughtUp(ILogger logger, string name, int interfaceIndex, int addressCount, int mtu);

    [LoggerMessage(1217, LogLevel.Warning, "Device '{Name}': could not undo a step of a failed BringUp ({Step})")]
    internal static partial void BringUpUndoFailed(ILogger logger, string name, string step, Exception exception);

    [LoggerMessage(1218, LogLevel.Warning, "Queue {Queue} of '{Name}': the kernel refused a {GsoType} super-frame (EINVAL); such frames are split into plain packets in userspace when the kernel refuses them")]
    internal static partial void GsoWriteRefused(ILogger logger, string name, int queue, LinuxNet.Tun.Offload.VirtioNetGsoType gsoType);
}
