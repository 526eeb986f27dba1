using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LinuxNet.Tun;

/// <summary>A <see cref="Stream"/> over one <see cref="TunQueue"/> with frame semantics; see <see cref="TunQueue.AsStream"/>.</summary>
internal sealed class TunFrameStream : Stream
{
    private readonly TunQueue _queue;

    internal TunFrameStream(TunQueue queue) => _queue = queue;

    public override bool CanRead => !_queue.IsDisposed;

    public override bool CanWrite => !_queue.IsDisposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException("A TUN device is not seekable.");

    public override long Position
    {
        get => throw new NotSupportedException("A TUN device is not seekable.");
        set => throw new NotSupportedException("A TUN device is not seekable.");
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return _queue.ReadFrame(buffer.AsSpan(offset, count));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return _queue.ReadFrameAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        _queue.WriteFrame(buffer.AsSpan(offset, count));
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return _queue.WriteFrameAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

#if NET
    public override int Read(Span<byte> buffer) => _queue.ReadFrame(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => _queue.ReadFrameAsync(buffer, cancellationToken);

    public override void Write(ReadOnlySpan<byte> buffer) => _queue.WriteFrame(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => _queue.WriteFrameAsync(buffer, cancellationToken);
#endif

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A TUN device is not seekable.");

    public override void SetLength(long value) => throw new NotSupportedException("A TUN device is not seekable.");

#if !NET
    private static void ValidateBufferArguments(byte[] buffer, int offset, int count)
    {
        if (buffer is null)
        {
            throw new ArgumentNullException(nameof(buffer));
        }

        if (offset < 0 || count < 0 || count > buffer.Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "offset and count do not describe a range of buffer.");
        }
    }
#endif
}
