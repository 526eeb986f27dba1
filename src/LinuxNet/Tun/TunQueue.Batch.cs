using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Tun.Offload;

namespace LinuxNet.Tun;

// Batch I/O: packets in, packets out, GSO super-frames in between (wireguard-go's Read(bufs, sizes, offset) shape).
public sealed partial class TunQueue
{
    private byte[]? _batchFrame;      // reader-owned: the super-frame being handed out, allocated at the first batch read
    private int _batchFrameLength;
    private int _batchNextSegment = -1; // the next segment of _batchFrame to hand out; -1 when nothing is pending
    private GroCoalescer? _coalescer; // writer-owned, created at the first batch write

    /// <summary>
    /// Reads packets: one frame from the device, and when it is a GSO super-frame, the MTU-sized IP packets it
    /// stands for (<see cref="GsoSplitter"/>, checksums complete), one per buffer, each at <paramref name="offset"/>
    /// so that the caller can put its own header in front (a VPN encrypting in place behind its header).
    /// </summary>
    /// <param name="buffers">Where the packets go: packet <c>i</c> is written to <c>buffers[i]</c> from <paramref name="offset"/> on. Size them for the MTU plus <paramref name="offset"/>.</param>
    /// <param name="sizes">Receives each packet's length; at least as long as <paramref name="buffers"/>.</param>
    /// <param name="offset">The headroom in front of each packet, 0 or more bytes.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of packets, at least 1. A super-frame with more segments than buffers is handed out over several calls, without another read.</returns>
    /// <remarks>
    /// Without <see cref="TunDeviceOptions.VirtioNetHeader"/> every call returns the one packet that was read. A
    /// plain packet with a partial checksum (<see cref="VirtioNetHeaderFlags.NeedsChecksum"/>) gets it completed.
    /// One buffer of <see cref="TunDevice.MaxFrameSize"/> bytes is allocated per queue at the first call.
    /// </remarks>
    /// <exception cref="ArgumentException">No buffers; fewer sizes than buffers; a buffer no longer than <paramref name="offset"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The device is a TAP device or has packet information.</exception>
    /// <exception cref="TunFrameTooLargeException">A packet did not fit its buffer; the rest of its frame is dropped.</exception>
    /// <exception cref="MalformedPacketException">The kernel handed over a super-frame the splitter cannot cut (dropped).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed, also while waiting.</exception>
    /// <exception cref="LinuxNetException">The read failed.</exception>
    public int ReadPackets(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset, CancellationToken cancellationToken = default)
    {
        ValidateReadBatch(buffers, sizes.Length, offset);
        while (true)
        {
            int count = TryReadPackets(buffers, sizes, offset, out int errno);
            if (count > 0)
            {
                return count;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw ReadError(errno);
            }

            WaitSync(LinuxFcntl.POLLIN, cancellationToken);
        }
    }

    /// <summary>Reads packets asynchronously; see <see cref="ReadPackets"/>. Completes synchronously, without allocating, when a frame is queued or segments are pending.</summary>
    /// <param name="buffers">Where the packets go, each from <paramref name="offset"/> on.</param>
    /// <param name="sizes">Receives each packet's length.</param>
    /// <param name="offset">The headroom in front of each packet.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of packets, at least 1.</returns>
    /// <exception cref="ArgumentException">See <see cref="ReadPackets"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The device is a TAP device or has packet information.</exception>
    /// <exception cref="TunFrameTooLargeException">A packet did not fit its buffer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed, also while waiting.</exception>
    /// <exception cref="LinuxNetException">The read failed.</exception>
    public ValueTask<int> ReadPacketsAsync(ReadOnlyMemory<Memory<byte>> buffers, Memory<int> sizes, int offset, CancellationToken cancellationToken = default)
    {
        ValidateReadBatch(buffers.Span, sizes.Length, offset);
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
        }

        int count = TryReadPackets(buffers.Span, sizes.Span, offset, out int errno);
        if (count > 0)
        {
            return new ValueTask<int>(count);
        }

        if (errno != (int)Errno.EAGAIN)
        {
            return new ValueTask<int>(Task.FromException<int>(ReadError(errno)));
        }

        return ReadPacketsSlowAsync(buffers, sizes, offset, cancellationToken);
    }

    /// <summary>
    /// Writes packets, coalesced into GSO super-frames before they reach the kernel (<see cref="GroCoalescer"/>):
    /// consecutive TCP segments of one flow when the device has <see cref="TunOffloads.Tso4"/>/<see cref="TunOffloads.Tso6"/>,
    /// consecutive UDP datagrams of one flow when it has <see cref="TunOffloads.Uso4"/>/<see cref="TunOffloads.Uso6"/>;
    /// every other packet is written alone. Nothing is held back: the call ends with everything written.
    /// </summary>
    /// <param name="buffers">The packets: packet <c>i</c> is <c>buffers[i]</c> from <paramref name="offset"/> on, <c>sizes[i]</c> bytes.</param>
    /// <param name="sizes">Each packet's length; exactly as many as <paramref name="buffers"/>.</param>
    /// <param name="offset">Where each packet starts in its buffer (the headroom a VPN decrypted behind).</param>
    /// <param name="cancellationToken">Ends a wait for buffer space with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of frames written to the device.</returns>
    /// <remarks>
    /// A super-frame the kernel refuses (<c>EINVAL</c>) is written as the packets it was made of, logged once per
    /// queue (see <see cref="WriteFrame(ReadOnlySpan{byte}, CancellationToken)"/>). Without the virtio-net header every packet is one write.
    /// If the call throws, the packets before the failing one have been written.
    /// </remarks>
    /// <exception cref="ArgumentException">Sizes and buffers differ in number; a size is 0, above 65,535, or goes past its buffer (with <paramref name="offset"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The device is a TAP device or has packet information.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused a packet.</exception>
    public int WritePackets(ReadOnlySpan<Memory<byte>> buffers, ReadOnlySpan<int> sizes, int offset, CancellationToken cancellationToken = default)
    {
        ValidateWriteBatch(buffers, sizes, offset);
        GroCoalescer? gro = Coalescer;
        if (gro is null)
        {
            for (int i = 0; i < buffers.Length; i++)
            {
                WritePlainPacket(buffers[i].Span.Slice(offset, sizes[i]), cancellationToken);
            }

            return buffers.Length;
        }

        gro.Reset();
        int frames = 0;
        for (int i = 0; i < buffers.Length; i++)
        {
            ReadOnlySpan<byte> packet = buffers[i].Span.Slice(offset, sizes[i]);
            GroAddResult result = gro.Add(packet);
            if (result == GroAddResult.FlushRequired)
            {
                WriteFrame(FlushCoalesced(gro), cancellationToken);
                frames++;
                result = gro.Add(packet);
            }

            if (result == GroAddResult.NotCoalescable)
            {
                if (gro.HasPending)
                {
                    WriteFrame(FlushCoalesced(gro), cancellationToken);
                    frames++;
                }

                WritePlainPacket(packet, cancellationToken);
                frames++;
            }
        }

        if (gro.HasPending)
        {
            WriteFrame(FlushCoalesced(gro), cancellationToken);
            frames++;
        }

        return frames;
    }

    /// <summary>Writes packets asynchronously, coalesced as <see cref="WritePackets"/> does. Completes synchronously, without allocating, in the usual case.</summary>
    /// <param name="buffers">The packets, each from <paramref name="offset"/> on.</param>
    /// <param name="sizes">Each packet's length; exactly as many as <paramref name="buffers"/>.</param>
    /// <param name="offset">Where each packet starts in its buffer.</param>
    /// <param name="cancellationToken">Ends a wait for buffer space with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of frames written to the device.</returns>
    /// <exception cref="ArgumentException">See <see cref="WritePackets"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The device is a TAP device or has packet information.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The queue or the device was disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused a packet.</exception>
    public ValueTask<int> WritePacketsAsync(ReadOnlyMemory<Memory<byte>> buffers, ReadOnlyMemory<int> sizes, int offset, CancellationToken cancellationToken = default)
    {
        ValidateWriteBatch(buffers.Span, sizes.Span, offset);
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
        }

        return WritePacketsCoreAsync(buffers, sizes, offset, cancellationToken);
    }

    /// <summary>The coalescer's pending super-frame, counted as a coalesced write when it holds more than one packet.</summary>
    private ReadOnlySpan<byte> FlushCoalesced(GroCoalescer gro)
    {
        RecordCoalesced(gro);
        return gro.Flush();
    }

    private ReadOnlyMemory<byte> FlushCoalescedMemory(GroCoalescer gro)
    {
        RecordCoalesced(gro);
        return gro.FlushMemory();
    }

    private void RecordCoalesced(GroCoalescer gro)
    {
        if (gro.PendingSegmentCount > 1 && LinuxNetMetrics.TunCoalescedWrites.Enabled)
        {
            LinuxNetMetrics.TunCoalescedWrites.Add(1, _deviceTag, _queueTag);
        }
    }

    private GroCoalescer? Coalescer
    {
        get
        {
            if (_coalescer is null && _device.VirtioNetHeaderSize > 0)
            {
                TunOffloads offloads = _device.Offloads;
                bool tcp = (offloads & TunOffloads.Checksum) != 0 && (offloads & (TunOffloads.Tso4 | TunOffloads.Tso6)) != 0;
                bool udp = (offloads & TunOffloads.Checksum) != 0 && (offloads & (TunOffloads.Uso4 | TunOffloads.Uso6)) != 0;
                if (!tcp && !udp)
                {
                    return null;
                }

                _coalescer = new GroCoalescer(_device.VirtioNetHeaderSize) { CoalesceTcp = tcp, CoalesceUdp = udp };
            }

            return _coalescer;
        }
    }

    private void ValidateReadBatch(ReadOnlySpan<Memory<byte>> buffers, int sizeCount, int offset)
    {
        ThrowIfBatchUnsupported();
        if (buffers.Length == 0)
        {
            throw new ArgumentException("At least one buffer is needed.", nameof(buffers));
        }

        if (sizeCount < buffers.Length)
        {
            throw new ArgumentException($"There are {buffers.Length} buffers but room for only {sizeCount} sizes.", "sizes");
        }

        ValidateOffset(buffers, offset);
        ThrowIfDisposed();
    }

    private void ValidateWriteBatch(ReadOnlySpan<Memory<byte>> buffers, ReadOnlySpan<int> sizes, int offset)
    {
        ThrowIfBatchUnsupported();
        if (sizes.Length != buffers.Length)
        {
            throw new ArgumentException($"There are {buffers.Length} buffers but {sizes.Length} sizes; they must match one to one.", nameof(sizes));
        }

        ValidateOffset(buffers, offset);
        for (int i = 0; i < buffers.Length; i++)
        {
            int size = sizes[i];
            if (size <= 0 || size > GroCoalescer.MaxPacketLength || size > buffers[i].Length - offset)
            {
                throw new ArgumentException($"Packet {i} has size {size}; it must be 1 to {Math.Min(GroCoalescer.MaxPacketLength, buffers[i].Length - offset)} bytes (its {buffers[i].Length}-byte buffer minus the {offset}-byte offset, at most 65,535).", nameof(sizes));
            }
        }

        ThrowIfDisposed();
    }

    private static void ValidateOffset(ReadOnlySpan<Memory<byte>> buffers, int offset)
    {
        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset (headroom) cannot be negative.");
        }

        for (int i = 0; i < buffers.Length; i++)
        {
            if (buffers[i].Length <= offset)
            {
                throw new ArgumentException($"Buffer {i} has {buffers[i].Length} bytes: no room for a packet behind the {offset}-byte headroom.", nameof(buffers));
            }
        }
    }

    private void ThrowIfBatchUnsupported()
    {
        if (_device.Mode != TunMode.Tun || _device.PacketInformation)
        {
            throw new NotSupportedException($"Batch packet I/O needs a TUN device without packet information; '{_device.Name}' is {(_device.Mode == TunMode.Tap ? "a TAP device" : "opened with packet information")}. Use ReadFrame/WriteFrame.");
        }
    }

    /// <summary>Hands out pending segments, or reads one frame and hands out its first packets; 0 with <paramref name="errno"/> when nothing could be read.</summary>
    private int TryReadPackets(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset, out int errno)
    {
        errno = 0;
        if (_batchNextSegment < 0)
        {
            _batchFrame ??= new byte[_device.MaxFrameSize];
            int n = TryRead(_batchFrame, out errno);
            if (n < 0)
            {
                return 0;
            }

            _batchFrameLength = n;
            _batchNextSegment = 0;
        }

        return HandOutPackets(buffers, sizes, offset);
    }

    private int HandOutPackets(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        int headerSize = _device.VirtioNetHeaderSize;
        Span<byte> frame = _batchFrame.AsSpan(0, _batchFrameLength);
        Span<byte> packet = frame.Slice(headerSize);
        VirtioNetHeader header = headerSize == 0 ? VirtioNetHeader.None : VirtioNetHeader.Read(frame, headerSize);
        if (header.GsoType == VirtioNetGsoType.None)
        {
            _batchNextSegment = -1;
            Span<byte> destination = buffers[0].Span.Slice(offset);
            if (packet.Length > destination.Length)
            {
                RecordDrop(LinuxNetMetrics.Receive);
                throw new TunFrameTooLargeException(_device.Name, destination.Length);
            }

            packet.CopyTo(destination);
            _ = GsoSplitter.TryCompleteChecksum(header, destination.Slice(0, packet.Length));
            sizes[0] = packet.Length;
            return 1;
        }

        GsoSplitter splitter;
        try
        {
            splitter = GsoSplitter.Create(header, packet);
        }
        catch (MalformedPacketException)
        {
            _batchNextSegment = -1;
            RecordDrop(LinuxNetMetrics.Receive);
            throw;
        }

        if (_batchNextSegment == 0)
        {
            RecordSplit(LinuxNetMetrics.Receive);
        }

        int count = 0;
        int index = _batchNextSegment;
        while (index < splitter.SegmentCount && count < buffers.Length)
        {
            Span<byte> destination = buffers[count].Span.Slice(offset);
            if (splitter.GetSegmentLength(index) > destination.Length)
            {
                if (count > 0)
                {
                    break; // hand out what fits; the next call starts with this segment and buffer 0
                }

                _batchNextSegment = -1;
                RecordDrop(LinuxNetMetrics.Receive);
                throw new TunFrameTooLargeException(_device.Name, destination.Length);
            }

            sizes[count] = splitter.WriteSegment(index, destination);
            count++;
            index++;
        }

        _batchNextSegment = index < splitter.SegmentCount ? index : -1;
        return count;
    }

    /// <summary>Writes one packet that is not coalesced: behind a plain virtio-net header, gathered in one <c>writev</c>.</summary>
    private unsafe void WritePlainPacket(ReadOnlySpan<byte> packet, CancellationToken cancellationToken)
    {
        while (true)
        {
            int errno = TryWritePlainPacket(packet);
            if (errno == 0)
            {
                return;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw WriteError(errno);
            }

            WaitSync(LinuxFcntl.POLLOUT, cancellationToken);
        }
    }

    private unsafe int TryWritePlainPacket(ReadOnlySpan<byte> packet)
    {
        if (_device.VirtioNetHeaderSize == 0)
        {
            return TryWrite(packet);
        }

        // VirtioNetHeader.None is all zeros, in either byte order.
        byte* header = stackalloc byte[_device.VirtioNetHeaderSize];
        new Span<byte>(header, _device.VirtioNetHeaderSize).Clear();
        fixed (byte* p = packet)
        {
            IoVec* vectors = stackalloc IoVec[2];
            vectors[0].Base = header;
            vectors[0].Length = (nuint)_device.VirtioNetHeaderSize;
            vectors[1].Base = p;
            vectors[1].Length = (nuint)packet.Length;
            return TryWriteV(vectors, 2);
        }
    }

#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> ReadPacketsSlowAsync(ReadOnlyMemory<Memory<byte>> buffers, Memory<int> sizes, int offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Registration.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
            int count = TryReadPackets(buffers.Span, sizes.Span, offset, out int errno);
            if (count > 0)
            {
                return count;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw ReadError(errno);
            }
        }
    }

#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> WritePacketsCoreAsync(ReadOnlyMemory<Memory<byte>> buffers, ReadOnlyMemory<int> sizes, int offset, CancellationToken cancellationToken)
    {
        GroCoalescer? gro = Coalescer;
        gro?.Reset();
        int frames = 0;
        for (int i = 0; i < buffers.Length; i++)
        {
            GroAddResult result = gro is null ? GroAddResult.NotCoalescable : gro.Add(buffers.Span[i].Span.Slice(offset, sizes.Span[i]));
            if (result == GroAddResult.FlushRequired)
            {
                await WriteFrameAsync(FlushCoalescedMemory(gro!), cancellationToken).ConfigureAwait(false);
                frames++;
                result = gro!.Add(buffers.Span[i].Span.Slice(offset, sizes.Span[i]));
            }

            if (result == GroAddResult.NotCoalescable)
            {
                if (gro?.HasPending == true)
                {
                    await WriteFrameAsync(FlushCoalescedMemory(gro), cancellationToken).ConfigureAwait(false);
                    frames++;
                }

                while (true)
                {
                    int errno = TryWritePlainPacket(buffers.Span[i].Span.Slice(offset, sizes.Span[i]));
                    if (errno == 0)
                    {
                        break;
                    }

                    if (errno != (int)Errno.EAGAIN)
                    {
                        throw WriteError(errno);
                    }

                    await Registration.WaitWritableAsync(cancellationToken).ConfigureAwait(false);
                }

                frames++;
            }
        }

        if (gro?.HasPending == true)
        {
            await WriteFrameAsync(FlushCoalescedMemory(gro), cancellationToken).ConfigureAwait(false);
            frames++;
        }

        return frames;
    }
}
