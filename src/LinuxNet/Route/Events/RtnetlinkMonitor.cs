using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// A live stream of link, address, route, neighbour and rule changes in one network namespace — what
/// <c>ip monitor</c> prints — as <see cref="IAsyncEnumerable{T}"/> of <see cref="RtnetlinkEvent"/>.
/// </summary>
/// <remarks>
/// <para>
/// The monitor owns its own netlink socket, joined to the multicast groups of the requested
/// <see cref="RtnetlinkEventKinds"/> when it is opened: changes made after <c>Open</c> returns are queued even before
/// the enumeration starts, so "subscribe, then read the current state, then consume events" has no gap.
/// </para>
/// <para>
/// Events come in the order the kernel sent them. When the consumer falls behind by more than the receive buffer
/// (<see cref="RtnetlinkMonitorOptions.ReceiveBufferSize"/>), the kernel drops events; the stream then yields one event of
/// kind <see cref="RtnetlinkEventKind.Overrun"/> and continues with the events that follow — never a silent gap. The
/// events still queued at that moment are discarded with it (they predate a state re-read done on the overrun), so
/// that the kernel, which drops silently while the queue stays full, delivers every later change again.
/// Messages from senders other than the kernel are dropped.
/// </para>
/// <para>
/// Waiting costs no thread: the socket is watched by the library's shared epoll thread, and a pending
/// <c>MoveNextAsync</c> completes when data arrives. Events already received are returned synchronously, without
/// allocating. One enumeration at a time. <see cref="Dispose"/> ends a pending enumeration promptly (it returns
/// <see langword="false"/>); cancelling its token throws <see cref="OperationCanceledException"/>.
/// </para>
/// </remarks>
public sealed class RtnetlinkMonitor : IAsyncEnumerable<RtnetlinkEvent>, IDisposable
{
    private const int DefaultReceiveBuffer = 4 * 1024 * 1024;
    private const int DatagramBuffer = 64 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly PollRegistration _registration;
    private byte[] _buffer = new byte[DatagramBuffer];
    private int _position;
    private int _end;
    private int _enumerating;
    private volatile bool _disposed;

    private RtnetlinkMonitor(NetlinkSocket socket, RtnetlinkEventKinds kinds)
    {
        _socket = socket;
        Kinds = kinds;
        _registration = FileDescriptorPoller.Shared.Register(socket.Handle);
    }

    /// <summary>The kinds of change this monitor receives.</summary>
    public RtnetlinkEventKinds Kinds { get; }

    /// <summary>Opens a monitor in the calling thread's network namespace. Equivalent to <c>ip monitor KINDS</c>.</summary>
    /// <param name="kinds">What to receive.</param>
    /// <param name="options">Receive buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The monitor; dispose it to stop.</returns>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty or holds unknown bits.</exception>
    /// <exception cref="LinuxNetException">The socket could not be opened or joined to a group.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static RtnetlinkMonitor Open(RtnetlinkEventKinds kinds, RtnetlinkMonitorOptions? options = null)
    {
        Validate(kinds, options);
        return Create(kinds, options);
    }

    /// <summary>Opens a monitor inside <paramref name="ns"/> (its socket is created there). Equivalent to <c>ip -n NS monitor KINDS</c>.</summary>
    /// <param name="ns">The namespace to watch; it may be disposed afterwards.</param>
    /// <param name="kinds">What to receive.</param>
    /// <param name="options">Receive buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The monitor; dispose it to stop.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty or holds unknown bits.</exception>
    /// <exception cref="LinuxNetException">The socket could not be opened or joined to a group.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static RtnetlinkMonitor Open(NetNamespace ns, RtnetlinkEventKinds kinds, RtnetlinkMonitorOptions? options = null)
    {
        if (ns is null)
        {
            throw new ArgumentNullException(nameof(ns));
        }

        Validate(kinds, options);
        return ns.Run(() => Create(kinds, options));
    }

    /// <summary>Starts enumerating events.</summary>
    /// <param name="cancellationToken">Ends the enumeration with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The enumerator; each <see cref="RtnetlinkEvent"/> is valid until the next <c>MoveNextAsync</c>.</returns>
    /// <exception cref="InvalidOperationException">Another enumeration is running.</exception>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public IAsyncEnumerator<RtnetlinkEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(RtnetlinkMonitor));
        }

        if (Interlocked.Exchange(ref _enumerating, 1) != 0)
        {
            throw new InvalidOperationException("A RtnetlinkMonitor supports one enumeration at a time.");
        }

        return new Enumerator(this, cancellationToken);
    }

    /// <summary>Stops the monitor: closes its socket and ends a pending enumeration.</summary>
    public void Dispose()
    {
        _disposed = true;
        _registration.Dispose();
        _socket.Dispose();
    }

    /// <summary>Tries to produce the next event without waiting.</summary>
    /// <returns>True with <paramref name="next"/> set; false when nothing is queued or the monitor is disposed.</returns>
    internal bool TryRead(out RtnetlinkEvent next)
    {
        while (true)
        {
            while (_end - _position >= NetlinkHeader.Size)
            {
                NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(_buffer.AsSpan(_position));
                int length = (int)header.Length;
                if (length < NetlinkHeader.Size || length > _end - _position)
                {
                    // Never parse past a malformed header: drop the rest of the datagram.
                    _position = _end;
                    break;
                }

                int start = _position;
                _position += NetlinkMessageWriter.Align(length);
                if (RtnetlinkEvent.TryClassify(header, _buffer.AsSpan(start + NetlinkHeader.Size, length - NetlinkHeader.Size), out RtnetlinkEventKind kind, out RtnetlinkEventAction action))
                {
                    next = new RtnetlinkEvent(kind, action, _buffer, start, length);
                    return true;
                }
            }

            if (_disposed)
            {
                next = default;
                return false;
            }

            int received;
            Errno error;
            try
            {
                received = _socket.TryReceiveEvent(_buffer, out error);
            }
            catch (ObjectDisposedException) when (_disposed)
            {
                next = default;
                return false;
            }

            if (received >= 0)
            {
                _position = 0;
                _end = received;
                continue;
            }

            switch (error)
            {
                case Errno.ENOBUFS:
                    // While the queue stays full the kernel keeps dropping without raising ENOBUFS again, so a state
                    // re-read now could miss later changes. Discard what is queued (it predates the re-read anyway):
                    // the kernel delivers again once the queue is empty, and the consumer re-reads after this event.
                    DrainQueue();
                    next = new RtnetlinkEvent(RtnetlinkEventKind.Overrun, RtnetlinkEventAction.None, null, 0, 0);
                    return true;
                case Errno.EMSGSIZE:
                    // A datagram larger than the buffer was lost: report it, and never lose one again for that reason.
                    _buffer = new byte[_buffer.Length * 2];
                    _position = _end = 0;
                    next = new RtnetlinkEvent(RtnetlinkEventKind.Overrun, RtnetlinkEventAction.None, null, 0, 0);
                    return true;
                default:
                    next = default;
                    return false;
            }
        }
    }

    private void DrainQueue()
    {
        _position = _end = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            if (_socket.TryReceiveEvent(_buffer, out Errno error) < 0 && error == Errno.EAGAIN)
            {
                return;
            }
        }
    }

    internal ValueTask WaitAsync(CancellationToken cancellationToken) => _registration.WaitReadableAsync(cancellationToken);

    /// <summary>The event socket's receive buffer as the kernel reports it (twice what was set); set to resize it (<c>SO_RCVBUFFORCE</c>).</summary>
    internal int ReceiveBufferSize
    {
        get => _socket.ReceiveBufferSize;
        set => _socket.ReceiveBufferSize = value;
    }

    internal bool IsDisposed => _disposed;

    /// <summary>The monitor socket's port id, for tests that send forged events to it.</summary>
    internal uint PortId => _socket.PortId;

    private static void Validate(RtnetlinkEventKinds kinds, RtnetlinkMonitorOptions? options)
    {
        if (kinds == RtnetlinkEventKinds.None || (kinds & ~(RtnetlinkEventKinds.All | RtnetlinkEventKinds.Nexthops | RtnetlinkEventKinds.NamespaceIds)) != 0)
        {
            throw new ArgumentException($"'{kinds}' is not a set of event kinds to monitor.", nameof(kinds));
        }

        if (options?.ReceiveBufferSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveBufferSize, "The receive buffer size must be 0 (default) or positive.");
        }
    }

    private static RtnetlinkMonitor Create(RtnetlinkEventKinds kinds, RtnetlinkMonitorOptions? options)
    {
        int receiveBuffer = options?.ReceiveBufferSize is > 0 and var size ? size : DefaultReceiveBuffer;
        NetlinkSocket socket = NetlinkSocket.Open(LinuxNetlink.NETLINK_ROUTE, new NetlinkSocketOptions
        {
            ReceiveBufferSize = receiveBuffer,
            LoggerFactory = options?.LoggerFactory,
        });
        socket.Schema = RouteNetlinkSchema.Instance; // event type names in logs and metrics
        try
        {
            foreach (int group in Groups(kinds))
            {
                socket.JoinGroup(group);
            }

            return new RtnetlinkMonitor(socket, kinds);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IEnumerable<int> Groups(RtnetlinkEventKinds kinds)
    {
        if ((kinds & RtnetlinkEventKinds.Links) != 0)
        {
            yield return LinuxRtnetlink.RTNLGRP_LINK;
        }

        if ((kinds & RtnetlinkEventKinds.Addresses) != 0)
        {
            yield return LinuxRtnetlink.RTNLGRP_IPV4_IFADDR;
            yield return LinuxRtnetlink.RTNLGRP_IPV6_IFADDR;
        }

        if ((kinds & RtnetlinkEventKinds.Routes) != 0)
        {
            yield return LinuxRtnetlink.RTNLGRP_IPV4_ROUTE;
            yield return LinuxRtnetlink.RTNLGRP_IPV6_ROUTE;
        }

        if ((kinds & RtnetlinkEventKinds.Neighbours) != 0)
        {
            yield return LinuxRtnetlink.RTNLGRP_NEIGH;
        }

        if ((kinds & RtnetlinkEventKinds.Rules) != 0)
        {
            yield return LinuxRtnetlink.RTNLGRP_IPV4_RULE;
            yield return LinuxRtnetlink.RTNLGRP_IPV6_RULE;
        }

        if ((kinds & RtnetlinkEventKinds.Nexthops) != 0)
        {
            yield return LinuxNexthop.RTNLGRP_NEXTHOP;
        }

        if ((kinds & RtnetlinkEventKinds.NamespaceIds) != 0)
        {
            yield return LinuxRtnetlink.RTNLGRP_NSID;
        }
    }

    private sealed class Enumerator : IAsyncEnumerator<RtnetlinkEvent>
    {
        private readonly RtnetlinkMonitor _monitor;
        private readonly CancellationToken _cancellationToken;

        internal Enumerator(RtnetlinkMonitor monitor, CancellationToken cancellationToken)
        {
            _monitor = monitor;
            _cancellationToken = cancellationToken;
        }

        public RtnetlinkEvent Current { get; private set; }

        public ValueTask<bool> MoveNextAsync()
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_monitor.TryRead(out RtnetlinkEvent next))
            {
                Current = next;
                return new ValueTask<bool>(true);
            }

            return _monitor.IsDisposed ? new ValueTask<bool>(false) : MoveNextSlowAsync();
        }

        public ValueTask DisposeAsync()
        {
            Current = default;
            Volatile.Write(ref _monitor._enumerating, 0);
            return default;
        }

        private async ValueTask<bool> MoveNextSlowAsync()
        {
            while (true)
            {
                try
                {
                    await _monitor.WaitAsync(_cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) when (_monitor.IsDisposed)
                {
                    return false;
                }

                if (_monitor.TryRead(out RtnetlinkEvent next))
                {
                    Current = next;
                    return true;
                }

                if (_monitor.IsDisposed)
                {
                    return false;
                }
            }
        }
    }
}
