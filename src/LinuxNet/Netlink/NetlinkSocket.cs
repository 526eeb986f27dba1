using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxNet.Netlink;

/// <summary>
/// A netlink socket: sends requests to the kernel and reads its replies — acknowledgements, dumps until
/// <c>NLMSG_DONE</c>, errors with the kernel's extended-ack text — and, when it joins multicast groups, events.
/// </summary>
/// <remarks>
/// <para>
/// Safe for concurrent use: requests on one socket are serialized (one exchange at a time) and replies are matched by
/// sequence number, so a reply left over from a cancelled request is never taken for another's. Messages from any
/// sender other than the kernel (<c>nl_pid</c> ≠ 0) are dropped. Replies are received into a buffer of at least
/// 64 KiB that grows when the kernel reports truncation (<c>MSG_TRUNC</c>); a truncated datagram is never parsed.
/// </para>
/// <para>
/// <c>NETLINK_EXT_ACK</c> and <c>NETLINK_CAP_ACK</c> are always on, so a refusal carries the kernel's message; dumps
/// interrupted by a concurrent change (<c>NLM_F_DUMP_INTR</c>) are restarted up to
/// <see cref="NetlinkSocketOptions.MaxDumpRetries"/> times (<see cref="DumpRestartCount"/> counts them).
/// </para>
/// <para>
/// No request waits forever: a synchronous one fails with <see cref="TimeoutException"/> after
/// <see cref="NetlinkSocketOptions.RequestTimeout"/>, and <see cref="Dispose"/> ends any waiting request with
/// <see cref="ObjectDisposedException"/>. When the receive queue overflows (<c>ENOBUFS</c>: a flood of foreign
/// datagrams, a burst of events), the request drains the queue, which puts the socket back in step with the kernel,
/// then restarts a dump or fails any other request with a <see cref="NetlinkException"/> that says so.
/// </para>
/// <para>The socket belongs to the network namespace of the thread that opened it, for its whole life.</para>
/// </remarks>
public sealed partial class NetlinkSocket : IDisposable
{
    private const int MinimumReceiveBuffer = 64 * 1024;

    private readonly SafeFileDescriptorHandle _handle;
    private readonly RequestGate _gate = new();
    private readonly ILogger _logger;
    private readonly int _maxDumpRetries;
    private readonly TimeSpan _dumpRetryDelay;
    private readonly bool _acceptInconsistentDumps;
    private readonly TimeSpan _requestTimeout;
    private readonly DescriptorWaiter _wait;
    private readonly KeyValuePair<string, object?> _protocolTag;
    private long _dumpRestarts;
    private long _inconsistentDumps;
    private long _receiveOverflows;
    private byte[] _receiveBuffer = new byte[MinimumReceiveBuffer];
    private int _sequence;
    private bool _dumpOpen;
    private uint _dumpSequence;

    private NetlinkSocket(SafeFileDescriptorHandle handle, int protocol, uint portId, NetlinkSocketOptions options)
    {
        _handle = handle;
        _handle.OwnerName = nameof(NetlinkSocket);
        _wait = new DescriptorWaiter(nameof(NetlinkSocket));
        Protocol = protocol;
        _protocolTag = LinuxNetMetrics.Tag(LinuxNetMetrics.NetlinkProtocolTag, LinuxNetMetrics.ProtocolName(protocol));
        PortId = portId;
        _maxDumpRetries = options.MaxDumpRetries;
        _dumpRetryDelay = options.DumpRetryDelay;
        _acceptInconsistentDumps = options.AcceptInconsistentDumps;
        _requestTimeout = options.RequestTimeout;
        _logger = options.LoggerFactory?.CreateLogger("LinuxNet.Netlink") ?? NullLogger.Instance;
        _sequence = Environment.TickCount & 0x7fffffff;
    }

    /// <summary>The netlink protocol number, e.g. 0 for <c>NETLINK_ROUTE</c>.</summary>
    public int Protocol { get; }

    /// <summary>The port id the kernel assigned to this socket (<c>nl_pid</c>).</summary>
    public uint PortId { get; }

    /// <summary>How many times this socket restarted a dump: the kernel flagged it inconsistent (<c>NLM_F_DUMP_INTR</c>), a reply was truncated, or dump replies were lost (<c>ENOBUFS</c>).</summary>
    /// <remarks>A counter over the socket's life, for monitoring how much churn its dumps meet; read it from any thread.</remarks>
    public long DumpRestartCount => Interlocked.Read(ref _dumpRestarts);

    /// <summary>How many dumps this socket returned marked inconsistent (only with <see cref="NetlinkSocketOptions.AcceptInconsistentDumps"/>).</summary>
    public long InconsistentDumpCount => Interlocked.Read(ref _inconsistentDumps);

    /// <summary>How many times the kernel reported that it dropped messages for this socket because its receive queue was full (<c>ENOBUFS</c>).</summary>
    /// <remarks>After each, the socket drained its queue and so resynchronised with the kernel; the request that met it was restarted (a dump) or failed (anything else).</remarks>
    public long ReceiveOverflowCount => Interlocked.Read(ref _receiveOverflows);

    internal INetlinkSchema? Schema { get; set; }

    /// <summary>
    /// The public type the user holds that owns this socket, named by every <see cref="ObjectDisposedException"/> it
    /// throws: <c>NetlinkSocket</c> unless a session that wraps it (e.g. <c>LinkManager</c>) says otherwise.
    /// </summary>
    internal string OwnerName
    {
        get => _wait.OwnerName;
        set
        {
            _wait.OwnerName = value;
            _handle.OwnerName = value;
        }
    }

    internal SafeFileDescriptorHandle Handle => _handle;

    internal ILogger Logger => _logger;

    /// <summary>Opens and binds a netlink socket in the calling thread's network namespace.</summary>
    /// <param name="protocol">The netlink protocol (<see cref="NetlinkProtocol"/>); <see cref="NetlinkProtocol.Route"/> (0) for links, addresses, routes, neighbours and rules.</param>
    /// <param name="options">Buffer sizes, logging; <see langword="null"/> for defaults.</param>
    /// <returns>The socket.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="protocol"/> is negative or above 31.</exception>
    /// <exception cref="LinuxNetException">The kernel refused to create or bind the socket.</exception>
    public static unsafe NetlinkSocket Open(int protocol = NetlinkProtocol.Route, NetlinkSocketOptions? options = null)
    {
        if (protocol is < 0 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Netlink protocols are numbered 0 to 31.");
        }

        options ??= new NetlinkSocketOptions();
        SafeFileDescriptorHandle handle = Interop.Libc.OpenSocket(LinuxSocket.AF_NETLINK, LinuxSocket.SOCK_RAW, protocol, $"socket(AF_NETLINK, {protocol})");
        try
        {
            int fd = handle.DangerousGetFd();
            SetOption(fd, LinuxNetlink.SOL_NETLINK, LinuxNetlink.NETLINK_EXT_ACK, 1, required: false);
            SetOption(fd, LinuxNetlink.SOL_NETLINK, LinuxNetlink.NETLINK_CAP_ACK, 1, required: false);
            if (options.StrictChecking)
            {
                SetOption(fd, LinuxNetlink.SOL_NETLINK, LinuxNetlink.NETLINK_GET_STRICT_CHK, 1, required: false);
            }

            if (options.ReceiveBufferSize > 0)
            {
                SetBufferSize(fd, LinuxSocket.SO_RCVBUFFORCE, LinuxSocket.SO_RCVBUF, options.ReceiveBufferSize);
            }

            if (options.SendBufferSize > 0)
            {
                SetBufferSize(fd, LinuxSocket.SO_SNDBUFFORCE, LinuxSocket.SO_SNDBUF, options.SendBufferSize);
            }

            SockAddrNetlink address = new() { Family = LinuxSocket.AF_NETLINK };
            Interop.CheckIo(Interop.Libc.Bind(fd, &address, (uint)sizeof(SockAddrNetlink)), "bind(AF_NETLINK)");
            uint length = (uint)sizeof(SockAddrNetlink);
            Interop.CheckIo(Interop.Libc.GetSockName(fd, &address, &length), "getsockname(AF_NETLINK)");
            var socket = new NetlinkSocket(handle, protocol, address.PortId, options);
            NetlinkLog.SocketOpened(socket._logger, protocol, address.PortId);
            return socket;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an already connected descriptor; a seam for unit tests that play the kernel over a socket pair.</summary>
    internal static NetlinkSocket FromHandle(SafeFileDescriptorHandle handle, uint portId, NetlinkSocketOptions? options = null)
        => new(handle, LinuxNetlink.NETLINK_ROUTE, portId, options ?? new NetlinkSocketOptions());

    /// <summary>The socket's receive buffer size in bytes as the kernel reports it (<c>SO_RCVBUF</c>, which is twice what was set).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is not positive.</exception>
    public int ReceiveBufferSize
    {
        get => GetOption(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_RCVBUF);
        set
        {
            if (value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The receive buffer size must be positive.");
            }

            WithFd(value, static (fd, v) => SetBufferSize(fd, LinuxSocket.SO_RCVBUFFORCE, LinuxSocket.SO_RCVBUF, v));
        }
    }

    /// <summary>Joins a multicast group, e.g. <c>RTNLGRP_LINK</c> (1), to receive its events.</summary>
    /// <param name="group">The group number (not a bit mask).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="group"/> is not positive.</exception>
    /// <exception cref="LinuxNetException">The kernel refused.</exception>
    public void JoinGroup(int group) => SetMembership(LinuxNetlink.NETLINK_ADD_MEMBERSHIP, group);

    /// <summary>Leaves a multicast group.</summary>
    /// <param name="group">The group number.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="group"/> is not positive.</exception>
    /// <exception cref="LinuxNetException">The kernel refused.</exception>
    public void LeaveGroup(int group) => SetMembership(LinuxNetlink.NETLINK_DROP_MEMBERSHIP, group);

    /// <summary>Returns a fresh sequence number for a request.</summary>
    /// <returns>A number different from the last 4 billion returned.</returns>
    public uint NextSequenceNumber() => unchecked((uint)Interlocked.Increment(ref _sequence));

    /// <summary>
    /// Closes the socket. A request blocked in another thread ends at once with <see cref="ObjectDisposedException"/>,
    /// synchronous (woken through an eventfd) or asynchronous (its wait is aborted).
    /// </summary>
    public void Dispose()
    {
        if (!_handle.IsClosed)
        {
            NetlinkLog.SocketClosed(_logger, PortId);
        }

        _wait.Close();
        DisposeRegistration();
        _handle.Dispose();
        _wait.Dispose();
    }

    private void SetMembership(int option, int group)
    {
        if (group <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(group), group, "Multicast groups are numbered from 1.");
        }

        WithFd((option, group), static (fd, s) => SetOption(fd, LinuxNetlink.SOL_NETLINK, s.option, s.group, required: true));
    }

    private unsafe int GetOption(int level, int name)
    {
        return WithFd((level, name), static (fd, s) =>
        {
            int value = 0;
            uint length = sizeof(int);
            Interop.CheckIo(Interop.Libc.GetSockOpt(fd, s.level, s.name, &value, &length), "getsockopt(" + s.level.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + s.name.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")");
            return value;
        });
    }

    private static unsafe void SetOption(int fd, int level, int name, int value, bool required)
    {
        int result = Interop.Libc.SetSockOpt(fd, level, name, &value, sizeof(int));
        if (result < 0 && required)
        {
            Interop.ThrowForErrno(Interop.GetLastErrno(), $"setsockopt({level}, {name}, {value}) on a netlink socket");
        }
    }

    private static unsafe void SetBufferSize(int fd, int forceOption, int option, int value)
    {
        // The FORCE variant passes rmem_max/wmem_max but needs CAP_NET_ADMIN; fall back to the capped one.
        if (Interop.Libc.SetSockOpt(fd, LinuxSocket.SOL_SOCKET, forceOption, &value, sizeof(int)) < 0)
        {
            Interop.CheckIo(Interop.Libc.SetSockOpt(fd, LinuxSocket.SOL_SOCKET, option, &value, sizeof(int)), "setsockopt(SO_RCVBUF/SO_SNDBUF) on a netlink socket");
        }
    }

    private TResult WithFd<TState, TResult>(TState state, Func<int, TState, TResult> action)
    {
        bool added = false;
        try
        {
            _handle.AddRef(ref added);
            return action(_handle.DangerousGetFd(), state);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void WithFd<TState>(TState state, Action<int, TState> action)
        => WithFd(state, (fd, s) =>
        {
            action(fd, s);
            return 0;
        });
}
