using System.Net;
using LinuxNet.Udp;

namespace LinuxNet.Samples.WireGuard.Device;

/// <summary>
/// Transport messages sealed straight into a <see cref="UdpBatch"/> and sent as GSO runs: equal-size datagrams back
/// to back in one entry (the last one may be shorter), which the kernel cuts into datagrams (<c>UDP_SEGMENT</c>).
/// A TUN super-frame of 64 KiB, split into ~45 packets, then leaves in one <c>sendmmsg</c> call of one or two entries
/// instead of 45 <c>sendto</c> calls.
/// </summary>
/// <remarks>One writer (the outbound worker); nothing is allocated per datagram.</remarks>
internal sealed class DatagramRuns : IDisposable
{
    /// <summary>The most datagrams one GSO send may carry (the kernel's <c>UDP_MAX_SEGMENTS</c> on older kernels).</summary>
    internal const int MaxSegmentsPerRun = 64;

    private readonly UdpBatch _batch;
    private readonly UdpBatchSocket _socket;
    private int _entry = -1;
    private int _runLength;
    private int _segmentSize;
    private int _segments;
    private bool _closed;
    private int _unreportedBytes;
    private long _sends;
    private long _datagrams;

    /// <summary>Creates runs of up to <paramref name="entries"/> entries per send on <paramref name="socket"/>.</summary>
    internal DatagramRuns(UdpBatchSocket socket, int entries)
    {
        _socket = socket;
        _batch = new UdpBatch(entries);
    }

    /// <summary><c>sendmmsg</c> calls made so far (read from any thread).</summary>
    internal long Sends => Interlocked.Read(ref _sends);

    /// <summary>Datagrams sent so far, a GSO run counting as its segments (read from any thread).</summary>
    internal long Datagrams => Interlocked.Read(ref _datagrams);

    /// <summary>
    /// The space for the next datagram, exactly <paramref name="length"/> bytes, to <paramref name="endpoint"/>: behind
    /// the open run when it can take it, else at the start of a new entry (sending the batch first when it is full).
    /// Write and seal the datagram there, then <see cref="Commit"/> it; a datagram not committed is not sent.
    /// </summary>
    internal Span<byte> Reserve(int length, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        bool fits = _entry >= 0 && !_closed && _segments < MaxSegmentsPerRun && _runLength + length <= _batch.BufferSize
            && (_segments == 0 || length <= _segmentSize);
        if (!fits)
        {
            Close();
            if (_batch.Count == _batch.Capacity)
            {
                _unreportedBytes += Send(cancellationToken);
            }

            _entry = _batch.Count;
            _batch.Count = _entry + 1;
            _batch.SetRemoteEndPoint(_entry, endpoint);
            _runLength = 0;
            _segments = 0;
            _segmentSize = 0;
            _closed = false;
        }

        return _batch.GetBuffer(_entry).Slice(_runLength, length);
    }

    /// <summary>Makes the datagram written into the last <see cref="Reserve"/>d space part of its run.</summary>
    internal void Commit(int length)
    {
        if (_segments == 0)
        {
            _segmentSize = length;
        }
        else if (length < _segmentSize)
        {
            _closed = true; // a shorter datagram ends a GSO run
        }

        _runLength += length;
        _segments++;
    }

    /// <summary>Sends what was committed, in one <c>sendmmsg</c> call.</summary>
    /// <param name="cancellationToken">Ends a wait for send buffer space.</param>
    /// <returns>The bytes sent (UDP payload) since the last flush, also by sends a full batch forced; 0 when none.</returns>
    internal int Flush(CancellationToken cancellationToken)
    {
        int bytes = _unreportedBytes;
        _unreportedBytes = 0;
        return bytes + Send(cancellationToken);
    }

    private int Send(CancellationToken cancellationToken)
    {
        Close();
        int bytes = 0;
        int used = 0;
        int datagrams = 0;
        for (int i = 0; i < _batch.Count; i++)
        {
            if (_batch.GetLength(i) > 0)
            {
                bytes += _batch.GetLength(i);
                datagrams += _batch.GetSegmentCount(i);
                used = i + 1;
            }
        }

        _batch.Count = used;
        try
        {
            if (used > 0)
            {
                _socket.Send(_batch, cancellationToken);
                Interlocked.Increment(ref _sends);
                Interlocked.Add(ref _datagrams, datagrams);
            }
        }
        finally
        {
            _batch.Clear();
        }

        return bytes;
    }

    /// <summary>Frees the batch.</summary>
    public void Dispose() => _batch.Dispose();

    private void Close()
    {
        if (_entry >= 0)
        {
            _batch.SetLength(_entry, _runLength);
            _batch.SetSegmentSize(_entry, _segments > 1 ? _segmentSize : 0);
            _entry = -1;
        }
    }
}
