using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Tun.Offload;

namespace LinuxNet.Tun;

/// <summary>
/// One queue of a TUN/TAP device: one descriptor on <c>/dev/net/tun</c>. Every read returns exactly one frame and
/// every write sends exactly one frame.
/// </summary>
/// <remarks>
/// <para>
/// A frame is what the device carries, preceded by the headers chosen at creation: the 4-byte packet information
/// (<see cref="TunDeviceOptions.PacketInformation"/>), then the virtio-net header
/// (<see cref="TunDevice.VirtioNetHeaderSize"/> bytes), then the IP packet (TUN) or the Ethernet frame (TAP).
/// </para>
/// <para>
/// Thread safety: one reader and one writer may use a queue at the same time (reads and writes are independent);
/// concurrent reads, or concurrent writes, on the same queue are not supported. Use one queue per thread for
/// parallelism (<see cref="TunDeviceOptions.QueueCount"/>).
/// </para>
/// <para>
/// The descriptor is non-blocking. Synchronous calls wait in <c>poll()</c> on the descriptor and on an eventfd,
/// asynchronous calls on the shared epoll loop (no thread-pool thread is parked; the queue joins the loop at its first
/// asynchronous wait, so a queue used only synchronously never wakes the loop's thread); both end promptly, with
/// <see cref="OperationCanceledException"/> when their token is canceled and with
/// <see cref="ObjectDisposedException"/> when the queue or device is disposed.
/// </para>
/// </remarks>
public sealed partial class TunQueue : IDisposable
{
    private readonly TunDevice _device;
    private readonly SafeFileDescriptorHandle _fd;
    private readonly DescriptorWaiter _waiter;
    private PollRegistration? _registration;
    private readonly string _readOperation;
    private readonly string _writeOperation;
    private volatile bool _disposed;
    private volatile bool _attached = true;
    private int _pipeCreated;
    private byte[]? _splitBuffer; // allocated at the first GSO write the kernel refuses; writer-owned
    // A poll() shorter than this (5 µs) did not sleep: a frame was queued already.
    private static readonly long ImmediateWaitTicks = Stopwatch.Frequency / 200_000;
    private bool _readWaitsFirst; // a hint for the synchronous reader; a race between readers only costs a syscall
    private readonly KeyValuePair<string, object?> _deviceTag;
    private readonly KeyValuePair<string, object?> _queueTag;

    internal TunQueue(TunDevice device, SafeFileDescriptorHandle fd, int index)
    {
        _device = device;
        _fd = fd;
        _fd.OwnerName = nameof(TunDevice);
        Index = index;
        _readOperation = $"read() on TUN device '{device.Name}' queue {index}";
        _writeOperation = $"write() on TUN device '{device.Name}' queue {index}";
        _waiter = new DescriptorWaiter(nameof(TunQueue));
        _deviceTag = LinuxNetMetrics.Tag(LinuxNetMetrics.TunDeviceTag, device.Name);
        _queueTag = LinuxNetMetrics.Tag(LinuxNetMetrics.TunQueueTag, index); // boxed once per queue
    }

    /// <summary>The device this queue belongs to.</summary>
    public TunDevice Device => _device;

    /// <summary>The position of this queue in <see cref="TunDevice.Queues"/>.</summary>
    public int Index { get; }

    /// <summary>Whether the queue takes part in the device's traffic. Only multi-queue devices can detach a queue.</summary>
    public bool IsAttached => _attached;

    internal SafeFileDescriptorHandle Handle => _fd;

    /// <summary>
    /// The queue's registration with the shared epoll loop, made on the first asynchronous wait: a registered
    /// descriptor wakes the loop thread on every frame, which a queue used only synchronously should not pay for.
    /// </summary>
    internal PollRegistration Registration
    {
        get
        {
            PollRegistration registration = FileDescriptorPoller.Shared.RegisterOnce(ref _registration, _fd);
            if (_disposed)
            {
                // Disposed while registering: Dispose may have missed this registration; its waits must still end.
                registration.Dispose();
            }

            return registration;
        }
    }

    /// <summary>Reads one frame, waiting until one arrives.</summary>
    /// <param name="buffer">Where to put the frame. Any size that holds the headers; see the exception list for smaller frames.</param>
    /// <returns>The length of the frame, headers included.</returns>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> cannot even hold the frame headers.</exception>
    /// <exception cref="TunFrameTooLargeException">The frame was longer than <paramref name="buffer"/>; it is dropped (the kernel cannot return the rest).</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed, also while waiting.</exception>
    /// <exception cref="InvalidOperationException">The queue is detached.</exception>
    /// <exception cref="LinuxNetException">The read failed; when the device was deleted underneath, the message says so.</exception>
    public int ReadFrame(Span<byte> buffer) => ReadFrame(buffer, CancellationToken.None);

    /// <summary>Reads one frame, waiting until one arrives or <paramref name="cancellationToken"/> is canceled.</summary>
    /// <param name="buffer">Where to put the frame.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The length of the frame, headers included.</returns>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> cannot even hold the frame headers.</exception>
    /// <exception cref="TunFrameTooLargeException">The frame was longer than <paramref name="buffer"/>; it is dropped.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed, also while waiting.</exception>
    /// <exception cref="LinuxNetException">The read failed.</exception>
    public int ReadFrame(Span<byte> buffer, CancellationToken cancellationToken)
    {
        ValidateReadBuffer(buffer.Length);
        if (_readWaitsFirst && !cancellationToken.IsCancellationRequested)
        {
            // The last read found the queue empty: wait first instead of paying a read that fails with EAGAIN. A wait
            // that returned at once found a frame queued, so the reader is not ahead of the queue: read first again.
            long start = Stopwatch.GetTimestamp();
            WaitSync(LinuxFcntl.POLLIN, cancellationToken);
            _readWaitsFirst = Stopwatch.GetTimestamp() - start > ImmediateWaitTicks;
        }

        while (true)
        {
            int n = TryRead(buffer, out int errno);
            if (n >= 0)
            {
                return n;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw ReadError(errno);
            }

            WaitSync(LinuxFcntl.POLLIN, cancellationToken);
            _readWaitsFirst = true;
        }
    }

    /// <summary>Writes one frame.</summary>
    /// <param name="frame">The whole frame, headers included: 1 to <see cref="TunDevice.MaxFrameSize"/> bytes.</param>
    /// <remarks>
    /// On a device with the virtio-net header, a GSO super-frame the kernel refuses with <c>EINVAL</c> (an offload it
    /// lacks on the write side, or more USO datagrams than it takes) is written as the packets
    /// <see cref="Offload.GsoSplitter"/> cuts it into, each behind a plain header; the first time is logged.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is empty or longer than <see cref="TunDevice.MaxFrameSize"/>.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused the frame (for example <c>EINVAL</c> for a TUN frame that is not IPv4 or IPv6).</exception>
    public void WriteFrame(ReadOnlySpan<byte> frame) => WriteFrame(frame, CancellationToken.None);

    /// <summary>Writes one frame, waiting (cancelably) if the device's send buffer is full.</summary>
    /// <param name="frame">The whole frame, headers included: 1 to <see cref="TunDevice.MaxFrameSize"/> bytes.</param>
    /// <param name="cancellationToken">Ends a wait for buffer space with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is empty or longer than <see cref="TunDevice.MaxFrameSize"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused the frame.</exception>
    public void WriteFrame(ReadOnlySpan<byte> frame, CancellationToken cancellationToken)
    {
        ValidateWriteLength(frame.Length, nameof(frame));
        while (true)
        {
            int errno = TryWrite(frame);
            if (errno == 0)
            {
                return;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                if (errno == (int)Errno.EINVAL && WriteSplit(frame, cancellationToken))
                {
                    return;
                }

                throw WriteError(errno);
            }

            WaitSync(LinuxFcntl.POLLOUT, cancellationToken);
        }
    }

    /// <summary>Reads one frame asynchronously. Completes synchronously, without allocating, when a frame is queued.</summary>
    /// <param name="buffer">Where to put the frame.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The length of the frame, headers included.</returns>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> cannot even hold the frame headers.</exception>
    /// <exception cref="TunFrameTooLargeException">The frame was longer than <paramref name="buffer"/>; it is dropped.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed, also while waiting.</exception>
    /// <exception cref="LinuxNetException">The read failed.</exception>
    public ValueTask<int> ReadFrameAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValidateReadBuffer(buffer.Length);
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
        }

        int n = TryRead(buffer.Span, out int errno);
        if (n >= 0)
        {
            return new ValueTask<int>(n);
        }

        if (errno != (int)Errno.EAGAIN)
        {
            return new ValueTask<int>(Task.FromException<int>(ReadError(errno)));
        }

        return ReadFrameSlowAsync(buffer, cancellationToken);
    }

    /// <summary>Writes one frame asynchronously. Completes synchronously, without allocating, in the usual case.</summary>
    /// <param name="frame">The whole frame, headers included: 1 to <see cref="TunDevice.MaxFrameSize"/> bytes.</param>
    /// <param name="cancellationToken">Ends a wait for buffer space with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the kernel has taken the frame.</returns>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is empty or longer than <see cref="TunDevice.MaxFrameSize"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused the frame.</exception>
    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        ValidateWriteLength(frame.Length, nameof(frame));
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask(Task.FromCanceled(cancellationToken));
        }

        int errno = TryWrite(frame.Span);
        if (errno == 0)
        {
            return default;
        }

        if (errno != (int)Errno.EAGAIN)
        {
            return errno == (int)Errno.EINVAL && PrepareSegment(frame.Span, 0, out _) >= 0
                ? WriteSplitAsync(frame, cancellationToken)
                : new ValueTask(Task.FromException(WriteError(errno)));
        }

        return WriteFrameSlowAsync(frame, cancellationToken);
    }

    /// <summary>
    /// Returns a <see cref="Stream"/> over this queue with frame semantics: each <c>Read</c> returns one whole frame
    /// (and throws <see cref="TunFrameTooLargeException"/> when the buffer is too small), each <c>Write</c> sends one frame.
    /// </summary>
    /// <returns>A stream that does not own the queue: disposing it leaves the queue open.</returns>
    public Stream AsStream() => new TunFrameStream(this);

    /// <summary>
    /// Returns a duplex pipe over this queue: <see cref="IDuplexPipe.Input"/> yields frames read from the device and
    /// <see cref="IDuplexPipe.Output"/> takes frames to write, both in the framing of <see cref="TunFrame"/>.
    /// </summary>
    /// <param name="options">Memory pool, thresholds and scheduler; <see langword="null"/> for the defaults.</param>
    /// <returns>The pipe. Its pumps run until the queue is disposed or the application completes both sides.</returns>
    /// <exception cref="InvalidOperationException">A pipe was already created for this queue.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    /// <remarks>See <see cref="TunFrame"/> for the framing, and <see cref="TunPipeOptions"/> for back-pressure.</remarks>
    public IDuplexPipe AsPipe(TunPipeOptions? options = null)
    {
        ThrowIfDisposed();
        if (Interlocked.Exchange(ref _pipeCreated, 1) != 0)
        {
            throw new InvalidOperationException($"A pipe already pumps queue {Index} of '{_device.Name}'; a queue can feed only one pipe.");
        }

        return TunPipe.Start(this, options ?? new TunPipeOptions());
    }

    /// <summary>Re-attaches a detached queue to its multi-queue device (<c>TUNSETQUEUE</c> with <c>IFF_ATTACH_QUEUE</c>).</summary>
    /// <exception cref="InvalidOperationException">The device is not multi-queue.</exception>
    /// <exception cref="LinuxNetException">The kernel refused.</exception>
    public void Attach() => SetQueue(attach: true);

    /// <summary>
    /// Detaches this queue from its multi-queue device (<c>TUNSETQUEUE</c> with <c>IFF_DETACH_QUEUE</c>): the kernel
    /// stops steering frames to it, and reads fail with <see cref="InvalidOperationException"/> until <see cref="Attach"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The device is not multi-queue, or this is the last attached queue.</exception>
    /// <exception cref="LinuxNetException">The kernel refused.</exception>
    public void Detach() => SetQueue(attach: false);

    /// <summary>Closes the descriptor. Pending reads and writes end with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        OnDisposing?.Invoke();
        _waiter.Close();
        Interlocked.Exchange(ref _registration, null)?.Dispose();
        _fd.Dispose();
        _waiter.Dispose();
    }

    internal bool IsDisposed => _disposed;

    /// <summary>Raised once, at the start of <see cref="Dispose"/>, so that a pipe can stop its pumps.</summary>
    internal event Action? OnDisposing;

    internal void ValidateReadBuffer(int length)
    {
        ThrowIfDetached();
        int minimum = _device.HeaderLength + 1;
        if (length < minimum)
        {
            throw new ArgumentException($"A read buffer for '{_device.Name}' must hold at least {minimum} bytes (the {_device.HeaderLength}-byte frame headers and one byte); it has {length}. Use {_device.MaxFrameSize} bytes to fit every frame.", "buffer");
        }
    }

    internal void ValidateWriteLength(int length, string parameterName)
    {
        ThrowIfDetached();
        if (length == 0)
        {
            throw new ArgumentException("A frame cannot be empty.", parameterName);
        }

        if (length > _device.MaxFrameSize)
        {
            throw new ArgumentException($"A frame for '{_device.Name}' is at most {_device.MaxFrameSize} bytes (headers included); this one has {length}.", parameterName);
        }

        if (length <= _device.HeaderLength)
        {
            throw new ArgumentException($"A frame for '{_device.Name}' must be longer than its {_device.HeaderLength}-byte headers; this one has {length}.", parameterName);
        }
    }

    /// <summary>One non-blocking read. Returns the frame length, or -1 with <paramref name="errno"/> set. EINTR is retried.</summary>
    internal unsafe int TryRead(Span<byte> buffer, out int errno)
    {
        bool added = false;
        try
        {
            _fd.AddRef(ref added);
            int fd = _fd.DangerousGetFd();
            nint n;
            fixed (byte* p = buffer)
            {
                if (buffer.Length >= _device.MaxFrameSize)
                {
                    do
                    {
                        n = Interop.Libc.Read(fd, p, (nuint)buffer.Length);
                    }
                    while (n < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);
                }
                else
                {
                    // tun_chr_read_iter returns min(frame, buffer) and drops the rest silently. A one-byte sentinel
                    // behind the caller's buffer turns that silent truncation into a detectable one.
                    byte sentinel;
                    IoVec* iov = stackalloc IoVec[2];
                    iov[0].Base = p;
                    iov[0].Length = (nuint)buffer.Length;
                    iov[1].Base = &sentinel;
                    iov[1].Length = 1;
                    do
                    {
                        n = Interop.Libc.ReadV(fd, iov, 2);
                    }
                    while (n < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);

                    if (n > buffer.Length)
                    {
                        RecordDrop(LinuxNetMetrics.Receive);
                        throw new TunFrameTooLargeException(_device.Name, buffer.Length);
                    }
                }
            }

            if (n < 0)
            {
                errno = Interop.GetLastErrno();
                return -1;
            }

            RecordFrame(LinuxNetMetrics.Receive, n);
            errno = 0;
            return (int)n;
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>One non-blocking write of a whole frame. Returns 0 or the errno. EINTR is retried.</summary>
    internal unsafe int TryWrite(ReadOnlySpan<byte> frame)
    {
        bool added = false;
        try
        {
            _fd.AddRef(ref added);
            int fd = _fd.DangerousGetFd();
            nint n;
            fixed (byte* p = frame)
            {
                do
                {
                    n = Interop.Libc.Write(fd, p, (nuint)frame.Length);
                }
                while (n < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);
            }

            if (n < 0)
            {
                return Interop.GetLastErrno();
            }

            RecordFrame(LinuxNetMetrics.Transmit, n);
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

    /// <summary>One non-blocking gathered write of a frame in several pieces. Returns 0 or the errno.</summary>
    internal unsafe int TryWriteV(IoVec* vectors, int count)
    {
        bool added = false;
        try
        {
            _fd.AddRef(ref added);
            int fd = _fd.DangerousGetFd();
            nint n;
            do
            {
                n = Interop.Libc.WriteV(fd, vectors, count);
            }
            while (n < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);

            if (n < 0)
            {
                return Interop.GetLastErrno();
            }

            RecordFrame(LinuxNetMetrics.Transmit, n);
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

    internal Exception ReadError(int errno)
    {
        RecordError(LinuxNetMetrics.Receive, errno);
        if (_disposed)
        {
            return new ObjectDisposedException(nameof(TunQueue));
        }

        if (errno == (int)Errno.EBADFD)
        {
            if (!_attached)
            {
                return new InvalidOperationException($"Queue {Index} of '{_device.Name}' is detached; call Attach() before reading.");
            }

            return new LinuxNetException((Errno)errno, _readOperation, $"{_readOperation} failed: EBADFD ({errno}): the device '{_device.Name}' no longer exists (it was deleted while this descriptor was open).");
        }

        return LinuxNetException.FromErrno(errno, _readOperation, "CAP_NET_ADMIN");
    }

    internal Exception WriteError(int errno)
    {
        RecordError(LinuxNetMetrics.Transmit, errno);
        if (_disposed)
        {
            return new ObjectDisposedException(nameof(TunQueue));
        }

        if (errno == (int)Errno.EBADFD)
        {
            if (!_attached)
            {
                return new InvalidOperationException($"Queue {Index} of '{_device.Name}' is detached; call Attach() before writing.");
            }

            return new LinuxNetException((Errno)errno, _writeOperation, $"{_writeOperation} failed: EBADFD ({errno}): the device '{_device.Name}' no longer exists (it was deleted while this descriptor was open).");
        }

        return LinuxNetException.FromErrno(errno, _writeOperation, "CAP_NET_ADMIN");
    }

    private void RecordFrame(string direction, nint bytes)
    {
        if (LinuxNetMetrics.TunFrames.Enabled)
        {
            LinuxNetMetrics.TunFrames.Add(1, _deviceTag, _queueTag, LinuxNetMetrics.Tag(LinuxNetMetrics.DirectionTag, direction));
        }

        if (LinuxNetMetrics.TunBytes.Enabled)
        {
            LinuxNetMetrics.TunBytes.Add(bytes, _deviceTag, _queueTag, LinuxNetMetrics.Tag(LinuxNetMetrics.DirectionTag, direction));
        }
    }

    private void RecordError(string direction, int errno)
    {
        if (LinuxNetMetrics.TunErrors.Enabled && !_disposed)
        {
            var tags = new TagList { _deviceTag, _queueTag, LinuxNetMetrics.Tag(LinuxNetMetrics.DirectionTag, direction), LinuxNetMetrics.Tag(LinuxNetMetrics.ErrorTypeTag, LinuxNetMetrics.ErrorName(errno)) };
            LinuxNetMetrics.TunErrors.Add(1, in tags);
        }
    }

    internal void RecordDrop(string direction)
    {
        if (LinuxNetMetrics.TunDrops.Enabled)
        {
            LinuxNetMetrics.TunDrops.Add(1, _deviceTag, _queueTag, LinuxNetMetrics.Tag(LinuxNetMetrics.DirectionTag, direction));
        }
    }

    internal void RecordSplit(string direction)
    {
        if (LinuxNetMetrics.TunGsoSplits.Enabled)
        {
            LinuxNetMetrics.TunGsoSplits.Add(1, _deviceTag, _queueTag, LinuxNetMetrics.Tag(LinuxNetMetrics.DirectionTag, direction));
        }
    }

    // A detached queue's reads just see EAGAIN forever (the kernel steers nothing to it): fail instead of hanging.
    private void ThrowIfDetached()
    {
        if (!_attached)
        {
            throw new InvalidOperationException($"Queue {Index} of '{_device.Name}' is detached; call Attach() before reading or writing.");
        }
    }

    internal void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(TunQueue));
        }
    }

#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> ReadFrameSlowAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Registration.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
            int n = TryRead(buffer.Span, out int errno);
            if (n >= 0)
            {
                return n;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw ReadError(errno);
            }
        }
    }

#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    private async ValueTask WriteFrameSlowAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Registration.WaitWritableAsync(cancellationToken).ConfigureAwait(false);
            int errno = TryWrite(frame.Span);
            if (errno == 0)
            {
                return;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                if (errno == (int)Errno.EINVAL && PrepareSegment(frame.Span, 0, out _) >= 0)
                {
                    await WriteSplitAsync(frame, cancellationToken).ConfigureAwait(false);
                    return;
                }

                throw WriteError(errno);
            }
        }
    }

    /// <summary>
    /// The fallback for a GSO super-frame the kernel refused (<c>EINVAL</c>: a kernel without that offload on the
    /// write side, or a USO frame of more datagrams than it takes): writes the frame as the wire-sized packets
    /// <see cref="GsoSplitter"/> cuts it into, each behind a plain virtio-net header. Returns <see langword="false"/>
    /// when the frame is not a super-frame the splitter accepts, so the kernel's refusal stands.
    /// </summary>
    internal bool WriteSplit(ReadOnlySpan<byte> frame, CancellationToken cancellationToken)
    {
        int length = PrepareSegment(frame, 0, out int count);
        if (length < 0)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                length = PrepareSegment(frame, i, out _);
            }

            WriteFrame(_splitBuffer.AsSpan(0, length), cancellationToken);
        }

        return true;
    }

    private async ValueTask WriteSplitAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        int count = 1;
        for (int i = 0; i < count; i++)
        {
            int length = PrepareSegment(frame.Span, i, out count);
            if (length < 0)
            {
                throw WriteError((int)Errno.EINVAL); // the caller changed the frame while it was being written
            }

            await WriteFrameAsync(_splitBuffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes segment <paramref name="index"/> of a GSO super-frame into the split buffer as a whole frame (the
    /// frame's packet information, a <see cref="VirtioNetGsoType.None"/> header, the packet) and returns its length;
    /// -1 when the device has no virtio-net header or the frame is not a super-frame the splitter accepts.
    /// </summary>
    private int PrepareSegment(ReadOnlySpan<byte> frame, int index, out int count)
    {
        count = 0;
        int headerSize = _device.VirtioNetHeaderSize;
        int prefix = _device.HeaderLength - headerSize;
        if (headerSize == 0
            || !VirtioNetHeader.TryRead(frame.Slice(prefix), out VirtioNetHeader header, headerSize)
            || header.GsoType == VirtioNetGsoType.None
            || !GsoSplitter.TryCreate(header, frame.Slice(_device.HeaderLength), out GsoSplitter splitter))
        {
            return -1;
        }

        if (_splitBuffer is null)
        {
            _splitBuffer = new byte[_device.MaxFrameSize];
            TunLog.GsoWriteRefused(_device.Logger, _device.Name, Index, header.GsoType);
        }

        count = splitter.SegmentCount;
        if (index == 0)
        {
            RecordSplit(LinuxNetMetrics.Transmit);
        }

        Span<byte> destination = _splitBuffer;
        frame.Slice(0, prefix).CopyTo(destination);
        VirtioNetHeader.None.Write(destination.Slice(prefix), headerSize);
        return _device.HeaderLength + splitter.WriteSegment(index, destination.Slice(_device.HeaderLength));
    }

    /// <summary>Waits in <c>poll()</c> for <paramref name="events"/> on the descriptor; <see cref="Dispose"/> and cancellation end the wait.</summary>
    private void WaitSync(short events, CancellationToken cancellationToken) => _waiter.Wait(_fd, events, cancellationToken);

    private unsafe void SetQueue(bool attach)
    {
        ThrowIfDisposed();
        if (!_device.IsMultiQueue)
        {
            throw new InvalidOperationException($"'{_device.Name}' is not a multi-queue device; only queues of multi-queue devices can be attached or detached.");
        }

        IfReq request = default;
        request.Flags = attach ? LinuxIfTun.IFF_ATTACH_QUEUE : LinuxIfTun.IFF_DETACH_QUEUE;
        bool added = false;
        try
        {
            _fd.AddRef(ref added);
            Interop.CheckIo(
                Interop.Libc.Ioctl(_fd.DangerousGetFd(), LinuxIfTun.TUNSETQUEUE, &request),
                $"ioctl(TUNSETQUEUE, {(attach ? "IFF_ATTACH_QUEUE" : "IFF_DETACH_QUEUE")}) on '{_device.Name}' queue {Index}",
                "CAP_NET_ADMIN");
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }

        _attached = attach;
        if (attach)
        {
            TunLog.QueueAttached(_device.Logger, _device.Name, Index);
        }
        else
        {
            TunLog.QueueDetached(_device.Logger, _device.Name, Index);
        }
    }
}
