using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Tun;

/// <summary>
/// Two pumps between a <see cref="TunQueue"/> and a pair of pipes, in the shape of Kestrel's SocketConnection.
/// </summary>
/// <remarks>
/// The reader pump asks the input pipe for <see cref="TunDevice.MaxFrameSize"/> + 4 contiguous bytes, reads one
/// frame straight into them behind a 4-byte gap, writes the length prefix into the gap and advances; it flushes when
/// the device has no more frames queued (or every 64 KiB), so the application wakes once per burst. The writer pump
/// slices frames off the output pipe with <see cref="TunFrame.TryReadFrame"/> and hands each to the kernel with one
/// <c>write()</c>, or one <c>writev()</c> when the frame spans segments. Both wait for readiness on the shared epoll
/// loop, so no thread is parked per device. The reader pump's readiness continuation runs on the poller thread (it
/// only reads until <c>EAGAIN</c> and flushes), and the writer pump runs inline on the application's flush: neither
/// costs a thread-pool hop per burst.
/// </remarks>
internal sealed class TunPipe : IDuplexPipe
{
    private const int FlushBytes = 64 * 1024;
    private const int MaxGatherSegments = 16;

    private readonly TunQueue _queue;
    private readonly TunDevice _device;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly ILogger _logger;
    private volatile bool _stopping;

    private TunPipe(TunQueue queue, TunPipeOptions options)
    {
        _queue = queue;
        _device = queue.Device;
        _logger = _device.Logger;
        MemoryPool<byte> pool = options.MemoryPool ?? MemoryPool<byte>.Shared;
        PipeScheduler application = options.ApplicationScheduler ?? PipeScheduler.ThreadPool;
        long pause = options.PauseThreshold;
        long resume = options.ResumeThreshold ?? pause / 2;

        // A segment must hold the largest frame and its prefix: frames are never split on the input side.
        int segment = Math.Max(4096, _device.MaxFrameSize + TunFrame.PrefixLength);
        _input = new Pipe(new PipeOptions(pool, application, PipeScheduler.ThreadPool, pause, resume, segment, useSynchronizationContext: false));
        // The writer pump runs inline on the application's FlushAsync: its work is a non-blocking write() per frame,
        // which saves a thread-pool hop per flush (it moves to the poller only when the device's buffer is full).
        _output = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, application, pause, resume, segment, useSynchronizationContext: false));
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _output.Writer;

    internal static TunPipe Start(TunQueue queue, TunPipeOptions options)
    {
        options.Validate();
        var pipe = new TunPipe(queue, options);
        queue.OnDisposing += pipe.Stop;
        _ = Task.Run(pipe.ReadLoopAsync);
        _ = Task.Run(pipe.WriteLoopAsync);
        return pipe;
    }

    private void Stop()
    {
        _stopping = true;
        _output.Reader.CancelPendingRead();
    }

    private async Task ReadLoopAsync()
    {
        PipeWriter writer = _input.Writer;
        int frameMax = _device.MaxFrameSize;
        Exception? error = null;
        try
        {
            int unflushed = 0;
            while (true)
            {
                Memory<byte> memory = writer.GetMemory(frameMax + TunFrame.PrefixLength);
                int n = _queue.TryRead(memory.Span.Slice(TunFrame.PrefixLength, frameMax), out int errno);
                if (n >= 0)
                {
                    TunFrame.WritePrefix(memory.Span, n);
                    writer.Advance(n + TunFrame.PrefixLength);
                    unflushed += n + TunFrame.PrefixLength;
                    if (unflushed < FlushBytes)
                    {
                        continue;
                    }
                }
                else if (errno != (int)Errno.EAGAIN)
                {
                    throw _queue.ReadError(errno);
                }

                if (unflushed > 0)
                {
                    unflushed = 0;
                    if (await FlushAsync(writer).ConfigureAwait(false))
                    {
                        break;
                    }
                }

                if (n < 0)
                {
                    await _queue.Registration.WaitReadableInlineAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            error = Classify(e, "frame reader");
        }
        finally
        {
            writer.Complete(error);
        }
    }

    private async ValueTask<bool> FlushAsync(PipeWriter writer)
    {
        ValueTask<FlushResult> flush = writer.FlushAsync();
        FlushResult result;
        if (flush.IsCompleted)
        {
            result = flush.Result;
        }
        else
        {
            TunLog.PipeReadPaused(_logger, _device.Name, _queue.Index);
            result = await flush.ConfigureAwait(false);
            TunLog.PipeReadResumed(_logger, _device.Name, _queue.Index);
        }

        return result.IsCompleted || result.IsCanceled;
    }

    private async Task WriteLoopAsync()
    {
        PipeReader reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (!_stopping)
            {
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (!_stopping && TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> frame))
                    {
                        if (frame.Length > _device.MaxFrameSize || frame.Length <= _device.HeaderLength)
                        {
                            throw new InvalidDataException($"A frame of {frame.Length} bytes cannot be written to '{_device.Name}': frames there are {_device.HeaderLength + 1} to {_device.MaxFrameSize} bytes.");
                        }

                        int errno = WriteOne(frame);
                        while (errno == (int)Errno.EAGAIN)
                        {
                            await _queue.Registration.WaitWritableAsync().ConfigureAwait(false);
                            errno = WriteOne(frame);
                        }

                        if (errno == (int)Errno.EINVAL && WriteSplit(frame))
                        {
                            continue; // a GSO super-frame the kernel refused went out as plain packets
                        }

                        if (errno != 0)
                        {
                            if (!IsFrameError(errno))
                            {
                                throw _queue.WriteError(errno);
                            }

                            // Like a NIC, drop one bad frame (not IPv4/IPv6 on a TUN, malformed virtio header) and go on.
                            if (_logger.IsEnabled(LogLevel.Trace))
                            {
                                TunLog.PipeFrameRejected(_logger, _device.Name, _queue.Index, (int)frame.Length, ErrnoNames.GetName((Errno)errno));
                            }
                        }
                    }

                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (Exception e)
        {
            error = Classify(e, "frame writer");
        }
        finally
        {
            reader.Complete(error);
        }
    }

    private static bool IsFrameError(int errno) => errno is (int)Errno.EINVAL or (int)Errno.EMSGSIZE or (int)Errno.EFAULT;

    /// <summary>
    /// <see cref="TunQueue.WriteSplit"/> for a frame in the pipe. Runs only when the kernel refused a super-frame; a
    /// segment that must wait for buffer space waits in <c>poll()</c> on this thread (TUN writes practically never do).
    /// </summary>
    private bool WriteSplit(in ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            return _queue.WriteSplit(frame.First.Span, CancellationToken.None);
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(copy);
            return _queue.WriteSplit(copy.AsSpan(0, (int)frame.Length), CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private unsafe int WriteOne(in ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            return _queue.TryWrite(frame.First.Span);
        }

        int count = 0;
        foreach (ReadOnlyMemory<byte> _ in frame)
        {
            count++;
        }

        if (count > MaxGatherSegments)
        {
            // Only a writer that produced a frame in many tiny pieces gets here; gather it once.
            byte[] copy = ArrayPool<byte>.Shared.Rent((int)frame.Length);
            try
            {
                frame.CopyTo(copy);
                return _queue.TryWrite(copy.AsSpan(0, (int)frame.Length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        IoVec* vectors = stackalloc IoVec[MaxGatherSegments];
        MemoryHandle[] handles = ArrayPool<MemoryHandle>.Shared.Rent(count);
        int pinned = 0;
        try
        {
            foreach (ReadOnlyMemory<byte> segment in frame)
            {
                if (segment.Length == 0)
                {
                    continue;
                }

                MemoryHandle handle = segment.Pin();
                handles[pinned] = handle;
                vectors[pinned].Base = handle.Pointer;
                vectors[pinned].Length = (nuint)segment.Length;
                pinned++;
            }

            return _queue.TryWriteV(vectors, pinned);
        }
        finally
        {
            for (int i = 0; i < pinned; i++)
            {
                handles[i].Dispose();
            }

            ArrayPool<MemoryHandle>.Shared.Return(handles, clearArray: true);
        }
    }

    /// <summary>Kestrel-style: errors caused by our own shutdown complete the pipe cleanly; the rest complete it with the error.</summary>
    private Exception? Classify(Exception exception, string direction)
    {
        if (_stopping || _queue.IsDisposed)
        {
            if (exception is ObjectDisposedException or OperationCanceledException
                || (exception is LinuxNetException l && l.Errno is Errno.EBADF))
            {
                TunLog.PipeStopped(_logger, _device.Name, _queue.Index, direction, "queue disposed");
                return null;
            }
        }

        if (exception is LinuxNetException { Errno: Errno.EBADFD })
        {
            TunLog.DeviceGone(_logger, _device.Name, _queue.Index);
            return exception;
        }

        if (direction == "frame reader")
        {
            TunLog.PipeReadFailed(_logger, _device.Name, _queue.Index, exception);
        }
        else
        {
            TunLog.PipeWriteFailed(_logger, _device.Name, _queue.Index, exception);
        }

        return exception;
    }
}
