using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Namespaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxNet.Udp;

/// <summary>
/// A UDP socket that sends and receives many datagrams per system call (<c>sendmmsg</c>/<c>recvmmsg</c>), sends a
/// run of equal-size datagrams as one GSO write (<c>UDP_SEGMENT</c>) and receives coalesced runs with their
/// segment size (<c>UDP_GRO</c>): what .NET's <see cref="Socket"/> cannot do.
/// </summary>
/// <remarks>
/// <para>
/// Datagrams travel in a <see cref="UdpBatch"/>; a send or receive with a batch allocates nothing. Connected
/// (<see cref="Connect"/>) and unconnected (an address per datagram) use, IPv4 and IPv6 (an IPv6 socket is
/// dual-stack unless <see cref="UdpBatchSocketOptions.IPv6Only"/>).
/// </para>
/// <para>
/// When the kernel refuses GSO with <c>EIO</c> (the route's device lacks checksum offload), the socket turns
/// segmentation off for good and sends every run as separate datagrams (logged once); a run it refuses with
/// <c>EINVAL</c> (more segments than it takes, a segment above the path MTU) is sent as separate datagrams too.
/// The receiver sees the same datagrams either way.
/// </para>
/// <para>
/// The descriptor is non-blocking. Synchronous calls wait in <c>poll()</c>, asynchronous ones on the shared epoll
/// loop (joined at the first asynchronous wait); both end promptly on cancellation (<see cref="OperationCanceledException"/>)
/// and on <see cref="Dispose"/> (<see cref="ObjectDisposedException"/>).
/// Thread safety: one sender and one receiver may use the socket at the same time.
/// </para>
/// </remarks>
public sealed class UdpBatchSocket : IDisposable
{
    private readonly SafeFileDescriptorHandle _fd;
    private readonly DescriptorWaiter _waiter;
    private readonly ILogger _logger;
    private readonly string _sendOperation;
    private readonly string _receiveOperation;
    private readonly System.Collections.Generic.KeyValuePair<string, object?> _socketTag;
    private PollRegistration? _registration;
    private volatile bool _segmentationRefused;
    private bool _runRefusalLogged;
    private int _disposed;

    private UdpBatchSocket(SafeFileDescriptorHandle fd, AddressFamily family, IPEndPoint localEndPoint, bool receiveOffload, ILogger logger)
    {
        _fd = fd;
        AddressFamily = family;
        LocalEndPoint = localEndPoint;
        IsReceiveOffloadEnabled = receiveOffload;
        _logger = logger;
        _waiter = new DescriptorWaiter(nameof(UdpBatchSocket));
        _sendOperation = $"sendmmsg() on UDP socket {localEndPoint}";
        _receiveOperation = $"recvmmsg() on UDP socket {localEndPoint}";
        _socketTag = LinuxNetMetrics.Tag(LinuxNetMetrics.UdpSocketTag, localEndPoint.ToString());
    }

    /// <summary>The socket's address family: <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily AddressFamily { get; }

    /// <summary>The local address and port (the port the kernel chose when bound to 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The peer after <see cref="Connect"/>; <see langword="null"/> while unconnected.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }

    /// <summary>Whether received datagrams may be coalesced (<c>UDP_GRO</c> was accepted by the kernel).</summary>
    public bool IsReceiveOffloadEnabled { get; }

    /// <summary>Whether runs are still sent with <c>UDP_SEGMENT</c>; <see langword="false"/> once the kernel refused it with <c>EIO</c>.</summary>
    public bool IsSegmentationOffloadEnabled => !_segmentationRefused;

    /// <summary>Opens a UDP socket bound to <paramref name="localEndPoint"/> in the calling thread's network namespace, with the default options.</summary>
    /// <param name="localEndPoint">The local address and port (0 for any).</param>
    /// <returns>The socket.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="localEndPoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    /// <exception cref="LinuxNetException">The kernel refused.</exception>
    public static UdpBatchSocket Bind(IPEndPoint localEndPoint) => Bind(localEndPoint, options: null);

    /// <summary>Opens a UDP socket bound to <paramref name="localEndPoint"/> in the calling thread's network namespace.</summary>
    /// <param name="localEndPoint">The local address (<see cref="IPAddress.Any"/>/<see cref="IPAddress.IPv6Any"/> for all) and port (0 for any).</param>
    /// <param name="options">Offloads, buffer sizes and logging; <see langword="null"/> for the defaults.</param>
    /// <returns>The socket.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="localEndPoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6, or a buffer size is not positive.</exception>
    /// <exception cref="LinuxNetException">The kernel refused (for example <c>EADDRINUSE</c>, <c>EADDRNOTAVAIL</c>).</exception>
    public static UdpBatchSocket Bind(IPEndPoint localEndPoint, UdpBatchSocketOptions? options)
    {
        Validate(localEndPoint, options);
        _ = FileDescriptorPoller.Shared;
        return Open(localEndPoint, options ?? new UdpBatchSocketOptions());
    }

    /// <summary>Opens a UDP socket bound to <paramref name="localEndPoint"/> inside <paramref name="netNamespace"/> (created on its pinned thread; usable from any thread).</summary>
    /// <param name="localEndPoint">The local address and port (0 for any).</param>
    /// <param name="netNamespace">The namespace the socket lives in for its whole life.</param>
    /// <param name="options">Offloads, buffer sizes and logging; <see langword="null"/> for the defaults.</param>
    /// <returns>The socket.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6, or a buffer size is not positive.</exception>
    /// <exception cref="LinuxNetException">The kernel refused.</exception>
    public static UdpBatchSocket Bind(IPEndPoint localEndPoint, NetNamespace netNamespace, UdpBatchSocketOptions? options)
    {
        if (netNamespace is null)
        {
            throw new ArgumentNullException(nameof(netNamespace));
        }

        Validate(localEndPoint, options);

        // Start the shared poller outside the namespace: its thread must not be born inside it.
        _ = FileDescriptorPoller.Shared;
        UdpBatchSocketOptions effective = options ?? new UdpBatchSocketOptions();
        return netNamespace.Run(() => Open(localEndPoint, effective));
    }

    /// <summary>Connects the socket to <paramref name="remoteEndPoint"/>: entries without an address go there, and only its datagrams are received. Equivalent to <see cref="Socket.Connect(EndPoint)"/>.</summary>
    /// <param name="remoteEndPoint">The peer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="remoteEndPoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An IPv6 peer for an IPv4 socket.</exception>
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused (for example <c>ENETUNREACH</c>).</exception>
    public unsafe void Connect(IPEndPoint remoteEndPoint)
    {
        if (remoteEndPoint is null)
        {
            throw new ArgumentNullException(nameof(remoteEndPoint));
        }

        byte* address = stackalloc byte[LinuxUdp.SockAddrIn6Size];
        int length = UdpSocketAddress.Write(remoteEndPoint, AddressFamily, new Span<byte>(address, LinuxUdp.SockAddrIn6Size));
        ThrowIfDisposed();
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            int rc;
            do
            {
                rc = Interop.Libc.Connect(_fd.DangerousGetFd(), address, (uint)length);
            }
            while (rc < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);
            Interop.CheckIo(rc, $"connect() of UDP socket {LocalEndPoint} to {remoteEndPoint}");
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }

        RemoteEndPoint = new IPEndPoint(remoteEndPoint.Address, remoteEndPoint.Port);
    }

    /// <summary>Sends the <see cref="UdpBatch.Count"/> entries of <paramref name="batch"/>, waiting while the send buffer is full.</summary>
    /// <param name="batch">The datagrams; unchanged by the send.</param>
    /// <param name="cancellationToken">Ends a wait for buffer space with <see cref="OperationCanceledException"/> (entries already sent stay sent).</param>
    /// <returns>The number of datagrams on the wire: each run counts as its segments.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An entry has no address on an unconnected socket, or an IPv6 address on an IPv4 socket (checked before anything is sent).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The socket or the batch is disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused a datagram (for example <c>EMSGSIZE</c>, <c>ECONNREFUSED</c> after an ICMP error on a connected socket).</exception>
    public int Send(UdpBatch batch, CancellationToken cancellationToken = default)
    {
        int datagrams = PrepareSend(batch);
        var state = new SendState { SplitOffset = -1 };
        while (true)
        {
            int errno = TrySend(batch, ref state);
            if (errno == 0)
            {
                Record(LinuxNetMetrics.Transmit, datagrams);
                return datagrams;
            }

            _waiter.Wait(_fd, LinuxFcntl.POLLOUT, cancellationToken);
        }
    }

    /// <summary>Sends the <see cref="UdpBatch.Count"/> entries of <paramref name="batch"/> asynchronously; completes synchronously, without allocating, when the send buffer has room.</summary>
    /// <param name="batch">The datagrams; unchanged by the send, and not to be touched until the task completes.</param>
    /// <param name="cancellationToken">Ends a wait for buffer space with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of datagrams on the wire.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="Send"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The socket or the batch is disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused a datagram.</exception>
    public ValueTask<int> SendAsync(UdpBatch batch, CancellationToken cancellationToken = default)
    {
        int datagrams = PrepareSend(batch);
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
        }

        var state = new SendState { SplitOffset = -1 };
        int errno;
        try
        {
            errno = TrySend(batch, ref state);
        }
        catch (Exception e)
        {
            return new ValueTask<int>(Task.FromException<int>(e));
        }

        if (errno == 0)
        {
            Record(LinuxNetMetrics.Transmit, datagrams);
            return new ValueTask<int>(datagrams);
        }

        return SendSlowAsync(batch, state, datagrams, cancellationToken);
    }

    /// <summary>Receives up to <see cref="UdpBatch.Capacity"/> datagrams into <paramref name="batch"/>, waiting until at least one arrives.</summary>
    /// <param name="batch">Where to put them; its <see cref="UdpBatch.Count"/> is set to the number received.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of entries filled (with <c>UDP_GRO</c>, an entry may hold several datagrams).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The socket or the batch is disposed.</exception>
    /// <exception cref="LinuxNetException">The receive failed (for example <c>ECONNREFUSED</c> after an ICMP error on a connected socket).</exception>
    public int Receive(UdpBatch batch, CancellationToken cancellationToken = default)
    {
        PrepareReceive(batch);
        while (true)
        {
            int n = TryReceive(batch, out int errno);
            if (n >= 0)
            {
                return n;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw Error(errno, _receiveOperation);
            }

            _waiter.Wait(_fd, LinuxFcntl.POLLIN, cancellationToken);
        }
    }

    /// <summary>Receives datagrams asynchronously; completes synchronously, without allocating, when datagrams are queued.</summary>
    /// <param name="batch">Where to put them; not to be touched until the task completes.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of entries filled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The socket or the batch is disposed.</exception>
    /// <exception cref="LinuxNetException">The receive failed.</exception>
    public ValueTask<int> ReceiveAsync(UdpBatch batch, CancellationToken cancellationToken = default)
    {
        PrepareReceive(batch);
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
        }

        int n = TryReceive(batch, out int errno);
        if (n >= 0)
        {
            return new ValueTask<int>(n);
        }

        if (errno != (int)Errno.EAGAIN)
        {
            return new ValueTask<int>(Task.FromException<int>(Error(errno, _receiveOperation)));
        }

        return ReceiveSlowAsync(batch, cancellationToken);
    }

    /// <summary>Closes the socket. Pending sends and receives end with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _waiter.Close();
        Interlocked.Exchange(ref _registration, null)?.Dispose();
        _fd.Dispose();
        _waiter.Dispose();
        UdpLog.Closed(_logger, LocalEndPoint);
    }

    private PollRegistration Registration
    {
        get
        {
            PollRegistration registration = FileDescriptorPoller.Shared.RegisterOnce(ref _registration, _fd);
            if (Volatile.Read(ref _disposed) != 0)
            {
                registration.Dispose();
            }

            return registration;
        }
    }

    private static void Validate(IPEndPoint localEndPoint, UdpBatchSocketOptions? options)
    {
        if (localEndPoint is null)
        {
            throw new ArgumentNullException(nameof(localEndPoint));
        }

        if (localEndPoint.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"A UDP socket binds an IPv4 or IPv6 address, not {localEndPoint.AddressFamily}.", nameof(localEndPoint));
        }

        if (options?.ReceiveBufferSize is <= 0 || options?.SendBufferSize is <= 0)
        {
            throw new ArgumentException("Socket buffer sizes must be positive.", nameof(options));
        }
    }

    private static unsafe UdpBatchSocket Open(IPEndPoint localEndPoint, UdpBatchSocketOptions options)
    {
        ILogger logger = (ILogger?)options.LoggerFactory?.CreateLogger("LinuxNet.Udp.UdpBatchSocket") ?? NullLogger.Instance;
        AddressFamily family = localEndPoint.AddressFamily;
        int domain = family == AddressFamily.InterNetwork ? LinuxSocket.AF_INET : LinuxSocket.AF_INET6;
        SafeFileDescriptorHandle fd = Interop.Libc.OpenSocket(domain, LinuxSocket.SOCK_DGRAM | LinuxSocket.SOCK_NONBLOCK, LinuxUdp.IPPROTO_UDP, $"socket({(domain == LinuxSocket.AF_INET ? "AF_INET" : "AF_INET6")}, SOCK_DGRAM, IPPROTO_UDP)");
        try
        {
            int raw = fd.DangerousGetFd();
            if (options.ReceiveBufferSize is int receive)
            {
                SetBuffer(raw, LinuxSocket.SO_RCVBUFFORCE, LinuxSocket.SO_RCVBUF, receive, "SO_RCVBUF");
            }

            if (options.SendBufferSize is int send)
            {
                SetBuffer(raw, LinuxSocket.SO_SNDBUFFORCE, LinuxSocket.SO_SNDBUF, send, "SO_SNDBUF");
            }

            if (family == AddressFamily.InterNetworkV6 && options.IPv6Only is bool v6Only)
            {
                int value = v6Only ? 1 : 0;
                Interop.CheckIo(Interop.Libc.SetSockOpt(raw, LinuxUdp.IPPROTO_IPV6, LinuxUdp.IPV6_V6ONLY, &value, sizeof(int)), $"setsockopt(IPV6_V6ONLY, {value})");
            }

            byte* address = stackalloc byte[LinuxUdp.SockAddrIn6Size];
            int length = UdpSocketAddress.Write(localEndPoint, family, new Span<byte>(address, LinuxUdp.SockAddrIn6Size));
            Interop.CheckIo(Interop.Libc.Bind(raw, address, (uint)length), $"bind() of UDP socket to {localEndPoint}");
            uint nameLength = LinuxUdp.SockAddrIn6Size;
            Interop.CheckIo(Interop.Libc.GetSockName(raw, address, &nameLength), "getsockname() of UDP socket");
            IPEndPoint bound = UdpSocketAddress.Read(new ReadOnlySpan<byte>(address, LinuxUdp.SockAddrIn6Size))!;

            bool gro = false;
            if (options.ReceiveOffload)
            {
                int one = 1;
                if (Interop.Libc.SetSockOpt(raw, LinuxUdp.SOL_UDP, LinuxUdp.UDP_GRO, &one, sizeof(int)) == 0)
                {
                    gro = true;
                }
                else
                {
                    UdpLog.ReceiveOffloadUnsupported(logger, bound, ErrnoNames.GetName((Errno)Interop.GetLastErrno()));
                }
            }

            var socket = new UdpBatchSocket(fd, family, bound, gro, logger);
            UdpLog.Opened(logger, bound, gro);
            return socket;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    private static unsafe void SetBuffer(int fd, int force, int plain, int size, string name)
    {
        // The FORCE variant passes rmem_max/wmem_max with CAP_NET_ADMIN; without it, the plain one (capped) is all there is.
        if (Interop.Libc.SetSockOpt(fd, LinuxSocket.SOL_SOCKET, force, &size, sizeof(int)) == 0)
        {
            return;
        }

        Interop.CheckIo(Interop.Libc.SetSockOpt(fd, LinuxSocket.SOL_SOCKET, plain, &size, sizeof(int)), $"setsockopt({name}, {size})");
    }

    /// <summary>Checks every entry before anything is sent and fills in the kernel's headers; returns the datagram count.</summary>
    private int PrepareSend(UdpBatch batch)
    {
        if (batch is null)
        {
            throw new ArgumentNullException(nameof(batch));
        }

        ThrowIfDisposed();
        batch.ThrowIfDisposed();
        int datagrams = 0;
        bool connected = RemoteEndPoint is not null;
        for (int i = 0; i < batch.Count; i++)
        {
            if (batch.HasAddress(i))
            {
                if (AddressFamily == AddressFamily.InterNetwork && !batch.HasIPv4Address(i))
                {
                    throw new ArgumentException($"Entry {i} of the batch has an IPv6 address ({batch.GetRemoteEndPoint(i)}); this socket is IPv4.", nameof(batch));
                }
            }
            else if (!connected)
            {
                throw new ArgumentException($"Entry {i} of the batch has no remote address, and the socket is not connected.", nameof(batch));
            }

            datagrams += batch.GetSegmentCount(i);
        }

        for (int i = 0; i < batch.Count; i++)
        {
            batch.PrepareSend(i, AddressFamily);
        }

        return datagrams;
    }

    private void PrepareReceive(UdpBatch batch)
    {
        if (batch is null)
        {
            throw new ArgumentNullException(nameof(batch));
        }

        ThrowIfDisposed();
        batch.PrepareReceive();
    }

    private struct SendState
    {
        internal int Next;
        internal int SplitOffset; // -1 unless entry Next is being sent as separate datagrams
    }

    /// <summary>Sends what it can without blocking: 0 when everything is sent, <c>EAGAIN</c> when the buffer is full. Throws other errors.</summary>
    private unsafe int TrySend(UdpBatch batch, ref SendState state)
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            int fd = _fd.DangerousGetFd();
            int count = batch.Count;
            while (state.Next < count)
            {
                if (state.SplitOffset < 0 && _segmentationRefused && batch.UsesSegmentation(state.Next))
                {
                    state.SplitOffset = 0;
                }

                if (state.SplitOffset >= 0)
                {
                    int errno = TrySendSplit(fd, batch, ref state);
                    if (errno != 0)
                    {
                        return errno;
                    }

                    continue;
                }

                int end = state.Next + 1;
                if (_segmentationRefused)
                {
                    while (end < count && !batch.UsesSegmentation(end))
                    {
                        end++;
                    }
                }
                else
                {
                    end = count;
                }

                int n = SendMMsg(fd, batch.Headers + state.Next, end - state.Next, out int error);
                if (n > 0)
                {
                    state.Next += n;
                    continue;
                }

                if (error == (int)Errno.EAGAIN)
                {
                    return error;
                }

                if (batch.UsesSegmentation(state.Next) && (error == (int)Errno.EIO || error == (int)Errno.EINVAL))
                {
                    OnSegmentationRefused(batch, state.Next, error);
                    state.SplitOffset = 0;
                    continue;
                }

                throw Error(error, _sendOperation);
            }

            return 0;
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>Sends entry <c>state.Next</c> as separate datagrams, from <c>state.SplitOffset</c> on.</summary>
    private unsafe int TrySendSplit(int fd, UdpBatch batch, ref SendState state)
    {
        int index = state.Next;
        int segment = batch.GetSegmentSize(index);
        int length = batch.GetLength(index);
        while (state.SplitOffset < length)
        {
            MMsgHdr* headers = batch.PrepareSplit(index, state.SplitOffset, out int prepared);
            int n = SendMMsg(fd, headers, prepared, out int error);
            if (n > 0)
            {
                state.SplitOffset += n * segment;
                continue;
            }

            if (error == (int)Errno.EAGAIN)
            {
                return error;
            }

            throw Error(error, _sendOperation);
        }

        state.Next++;
        state.SplitOffset = -1;
        return 0;
    }

    /// <summary>One <c>sendmmsg</c>, <c>EINTR</c> retried: the number sent, or 0 with <paramref name="errno"/> (<c>EAGAIN</c> when nothing went).</summary>
    private static unsafe int SendMMsg(int fd, MMsgHdr* headers, int count, out int errno)
    {
        int n;
        do
        {
            n = Interop.Libc.SendMMsg(fd, headers, (uint)count, 0);
        }
        while (n < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);

        errno = n < 0 ? Interop.GetLastErrno() : n == 0 ? (int)Errno.EAGAIN : 0;
        return Math.Max(n, 0);
    }

    private void OnSegmentationRefused(UdpBatch batch, int index, int errno)
    {
        if (errno == (int)Errno.EIO)
        {
            if (!_segmentationRefused)
            {
                _segmentationRefused = true;
                UdpLog.SegmentationRefused(_logger, LocalEndPoint);
            }
        }
        else if (!_runRefusalLogged)
        {
            _runRefusalLogged = true;
            UdpLog.SegmentRunRefused(_logger, LocalEndPoint, batch.GetLength(index), batch.GetSegmentSize(index));
        }
    }

    private void Record(string direction, int datagrams)
    {
        if (datagrams == 0)
        {
            return;
        }

        if (LinuxNetMetrics.UdpDatagrams.Enabled)
        {
            LinuxNetMetrics.UdpDatagrams.Add(datagrams, _socketTag, LinuxNetMetrics.Tag(LinuxNetMetrics.DirectionTag, direction));
        }

        if (LinuxNetMetrics.UdpCalls.Enabled)
        {
            LinuxNetMetrics.UdpCalls.Add(1, _socketTag, LinuxNetMetrics.Tag(LinuxNetMetrics.DirectionTag, direction));
        }
    }

    private unsafe int TryReceive(UdpBatch batch, out int errno)
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            int n;
            do
            {
                n = Interop.Libc.RecvMMsg(_fd.DangerousGetFd(), batch.Headers, (uint)batch.Capacity, 0, null);
            }
            while (n < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);

            if (n < 0)
            {
                errno = Interop.GetLastErrno();
                return -1;
            }

            errno = 0;
            batch.CompleteReceive(n);
            if (LinuxNetMetrics.UdpDatagrams.Enabled || LinuxNetMetrics.UdpCalls.Enabled)
            {
                int datagrams = 0;
                for (int i = 0; i < n; i++)
                {
                    datagrams += batch.GetSegmentCount(i);
                }

                Record(LinuxNetMetrics.Receive, datagrams);
            }

            return n;
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> SendSlowAsync(UdpBatch batch, SendState state, int datagrams, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Registration.WaitWritableAsync(cancellationToken).ConfigureAwait(false);
            if (TrySend(batch, ref state) == 0)
            {
                Record(LinuxNetMetrics.Transmit, datagrams);
                return datagrams;
            }
        }
    }

#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> ReceiveSlowAsync(UdpBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Registration.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
            int n = TryReceive(batch, out int errno);
            if (n >= 0)
            {
                return n;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw Error(errno, _receiveOperation);
            }
        }
    }

    private Exception Error(int errno, string operation)
        => Volatile.Read(ref _disposed) != 0 ? new ObjectDisposedException(nameof(UdpBatchSocket)) : LinuxNetException.FromErrno(errno, operation, null);

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(UdpBatchSocket));
        }
    }
}
