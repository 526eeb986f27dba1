using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace LinuxNet;

/// <summary>
/// LinuxNet's metrics: one <see cref="Meter"/> named <see cref="MeterName"/> (<see cref="System.Diagnostics.Metrics"/>),
/// with counters for TUN queues, batched UDP sockets, netlink requests, dumps and event sockets. Read them with
/// <c>dotnet-counters monitor -n APP --counters LinuxNet</c>, a <see cref="MeterListener"/>, or OpenTelemetry's
/// <c>AddMeter(LinuxNetMetrics.MeterName)</c>; docs/metrics.md lists every instrument, its unit and its tags.
/// </summary>
/// <remarks>
/// Every recording is guarded by the instrument's <see cref="Instrument.Enabled"/>: with nobody listening, a frame,
/// datagram or request costs one field read and nothing is allocated. With a listener, tags are passed as
/// <see cref="KeyValuePair{TKey, TValue}"/> structs (no allocation; tag values are strings or values boxed once per
/// queue or socket).
/// </remarks>
public static class LinuxNetMetrics
{
    /// <summary>The name of LinuxNet's <see cref="Meter"/>: <c>LinuxNet</c>.</summary>
    public const string MeterName = "LinuxNet";

    internal const string DirectionTag = "network.io.direction";
    internal const string ErrorTypeTag = "error.type";
    internal const string TunDeviceTag = "linuxnet.tun.device";
    internal const string TunQueueTag = "linuxnet.tun.queue";
    internal const string UdpSocketTag = "linuxnet.udp.socket";
    internal const string NetlinkProtocolTag = "linuxnet.netlink.protocol";
    internal const string NetlinkOperationTag = "linuxnet.netlink.operation";
    internal const string ReasonTag = "linuxnet.reason";
    internal const string RoleTag = "linuxnet.netlink.socket_role";

    internal const string Receive = "receive";
    internal const string Transmit = "transmit";

    internal static readonly Meter Meter = new(MeterName, typeof(LinuxNetMetrics).Assembly.GetName().Version?.ToString());

    // TUN queues.
    internal static readonly Counter<long> TunFrames = Meter.CreateCounter<long>("linuxnet.tun.frames", "{frame}", "Frames read from (receive) and written to (transmit) TUN/TAP queues; a GSO super-frame counts once.");
    internal static readonly Counter<long> TunBytes = Meter.CreateCounter<long>("linuxnet.tun.io", "By", "Bytes read from and written to TUN/TAP queues, headers included.");
    internal static readonly Counter<long> TunDrops = Meter.CreateCounter<long>("linuxnet.tun.dropped", "{frame}", "Frames dropped by LinuxNet: read frames longer than the caller's buffer, or super-frames that could not be split.");
    internal static readonly Counter<long> TunErrors = Meter.CreateCounter<long>("linuxnet.tun.errors", "{error}", "Failed reads and writes of TUN/TAP queues, by errno name (error.type).");
    internal static readonly Counter<long> TunGsoSplits = Meter.CreateCounter<long>("linuxnet.tun.gso.splits", "{frame}", "GSO super-frames cut into packets: by ReadPackets (receive) and by the write fallback for a refused super-frame (transmit).");
    internal static readonly Counter<long> TunCoalescedWrites = Meter.CreateCounter<long>("linuxnet.tun.gro.coalesced_writes", "{frame}", "Super-frames WritePackets built from several packets and wrote as one.");

    // Batched UDP sockets.
    internal static readonly Counter<long> UdpDatagrams = Meter.CreateCounter<long>("linuxnet.udp.datagrams", "{datagram}", "Datagrams sent and received by UdpBatchSocket; a GSO/GRO run counts as its datagrams.");
    internal static readonly Counter<long> UdpCalls = Meter.CreateCounter<long>("linuxnet.udp.calls", "{call}", "UdpBatchSocket sends (transmit) and receives (receive) that moved data: one sendmmsg/recvmmsg call each, a send more when the send buffer filled.");

    // Netlink.
    internal static readonly Counter<long> NetlinkRequests = Meter.CreateCounter<long>("linuxnet.netlink.requests", "{request}", "Netlink requests sent (single, dump, or one message of a batch), by protocol and operation.");
    internal static readonly Counter<long> NetlinkFailures = Meter.CreateCounter<long>("linuxnet.netlink.failures", "{request}", "Netlink requests the kernel refused, by protocol, operation and errno name (error.type).");
    internal static readonly Counter<long> NetlinkDumpRestarts = Meter.CreateCounter<long>("linuxnet.netlink.dump.restarts", "{restart}", "Dumps restarted: interrupted by a change (NLM_F_DUMP_INTR), a truncated reply, or replies lost to an overrun (linuxnet.reason).");
    internal static readonly Counter<long> NetlinkOverruns = Meter.CreateCounter<long>("linuxnet.netlink.overruns", "{overrun}", "Times the kernel reported ENOBUFS: a netlink socket's receive queue overflowed and messages were lost (request or event socket).");
    internal static readonly Counter<long> NetlinkEvents = Meter.CreateCounter<long>("linuxnet.netlink.events", "{event}", "Multicast event messages received by monitors, by protocol and message type.");
    internal static readonly Counter<long> NetlinkResyncs = Meter.CreateCounter<long>("linuxnet.netlink.resyncs", "{resync}", "Times an event stream re-read the kernel's state after an overrun to resynchronise.");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ushort, string> TypeNumbers = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> ErrorNames = new();

    internal static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    /// <summary>The errno's name for <see cref="ErrorTypeTag"/> (<c>EEXIST</c>), made once per errno (no allocation per failure).</summary>
    internal static string ErrorName(int errno) => ErrorNames.GetOrAdd(errno, static e => ErrnoNames.GetName((Errno)e));

    /// <summary>"netlink message type N" for a type no schema names, made once per type (no allocation per message).</summary>
    internal static string TypeNumber(ushort type)
        => TypeNumbers.GetOrAdd(type, static t => "netlink message type " + t.ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal static string ProtocolName(int protocol) => protocol switch
    {
        LinuxNetlink.NETLINK_ROUTE => "route",
        LinuxNetlink.NETLINK_GENERIC => "generic",
        LinuxNetlink.NETLINK_SOCK_DIAG => "sock_diag",
        LinuxNetlink.NETLINK_NETFILTER => "netfilter",
        LinuxNetlink.NETLINK_XFRM => "xfrm",
        LinuxNetlink.NETLINK_AUDIT => "audit",
        LinuxNetlink.NETLINK_KOBJECT_UEVENT => "kobject_uevent",
        LinuxNetlink.NETLINK_CONNECTOR => "connector",
        _ => "protocol " + protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
