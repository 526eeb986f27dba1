using System;
using System.Buffers;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxNet.Netlink;

/// <summary>
/// Writes netlink messages — header, family header, attributes, nested attributes — into a caller's
/// <see cref="Span{T}"/> or an <see cref="IBufferWriter{T}"/>, without allocating.
/// </summary>
/// <remarks>
/// <para>
/// A message starts with <see cref="BeginMessage"/>, takes one family header (<see cref="WriteHeader{T}(in T)"/>) and
/// any number of attributes, and ends with <see cref="EndMessage"/>, which writes <c>nlmsg_len</c>. Several messages may
/// follow one another in the same buffer (a batch). Messages and attributes are aligned to 4 bytes and all padding
/// is zeroed. Lengths of nested attributes are written back when the nest ends; nests may go to any depth.
/// </para>
/// <para>
/// Over a span, a write that does not fit throws <see cref="InternalBufferOverflowException"/> and first erases the
/// unfinished message, so the span holds only complete messages (<see cref="WrittenSpan"/>). Over an
/// <see cref="IBufferWriter{T}"/> the writer grows instead, and each finished message is committed with
/// <see cref="IBufferWriter{T}.Advance(int)"/>.
/// </para>
/// <para>This is a <see langword="ref struct"/>: pass it by <see langword="ref"/>. It is not thread safe.</para>
/// </remarks>
public ref partial struct NetlinkMessageWriter
{
    private const int Alignment = 4;

    private readonly IBufferWriter<byte>? _output;
    private Span<byte> _buffer;
    private int _position;
    private int _messageStart;
    private bool _open; // false in default(NetlinkMessageWriter) too, unlike a -1 sentinel in _messageStart
    private int _completed;
    private int _messageCount;
    private int _messagesBegun;

    /// <summary>Creates a writer over a caller-supplied buffer (rented, pooled or <see langword="stackalloc"/>).</summary>
    /// <param name="buffer">Where the messages go.</param>
    public NetlinkMessageWriter(Span<byte> buffer)
    {
        _output = null;
        _buffer = buffer;
        _position = 0;
        _messageStart = 0;
        _open = false;
        _completed = 0;
        _messageCount = 0;
    }

    /// <summary>Creates a writer that takes its memory from <paramref name="output"/> and commits each finished message to it.</summary>
    /// <param name="output">Where the messages go.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    public NetlinkMessageWriter(IBufferWriter<byte> output)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _buffer = default;
        _position = 0;
        _messageStart = 0;
        _open = false;
        _completed = 0;
        _messageCount = 0;
    }

    /// <summary>The bytes of the complete messages written so far (span mode; empty over an <see cref="IBufferWriter{T}"/>, which already holds them).</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _output is null ? _buffer.Slice(0, _completed) : default;

    /// <summary>The number of bytes in complete messages written so far.</summary>
    public readonly int BytesWritten => _completed;

    /// <summary>The number of complete messages written so far.</summary>
    public readonly int MessageCount => _messageCount;

    /// <summary><see langword="true"/> between <see cref="BeginMessage"/> and <see cref="EndMessage"/>.</summary>
    public readonly bool IsMessageOpen => _open;

    /// <summary>The length of the message being written, so far.</summary>
    public readonly int CurrentMessageLength => _open ? _position - _messageStart : 0;

    /// <summary>Starts a message with its 16-byte header; <c>nlmsg_len</c> is written by <see cref="EndMessage"/>.</summary>
    /// <param name="type">The message type, e.g. <c>RTM_NEWLINK</c> (16).</param>
    /// <param name="flags">The header flags; include <see cref="NetlinkMessageFlags.Request"/> for requests to the kernel.</param>
    /// <param name="sequence">The sequence number; <see cref="NetlinkSocket"/> overwrites it when it sends the message.</param>
    /// <param name="portId">The sender's port id; 0 lets the kernel fill it in.</param>
    /// <exception cref="InvalidOperationException">A message is already open.</exception>
    /// <exception cref="InternalBufferOverflowException">The span is too small.</exception>
    public void BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence = 0, uint portId = 0)
    {
        if (_open)
        {
            ThrowMessageOpen();
        }

        if (_output is not null && _buffer.IsEmpty)
        {
            _buffer = _output.GetSpan(4096);
        }

        _messageStart = _position;
        _open = true;
        _messagesBegun++;
        Ensure(NetlinkHeader.Size);
        NetlinkHeader header = new(0, type, flags, sequence, portId);
        Bytes.Write(_buffer.Slice(_position), header);
        _position += NetlinkHeader.Size;
    }

    /// <summary>Writes a fixed family header (<c>ifinfomsg</c>, <c>rtmsg</c>, …) right after the message header, padded to 4 bytes.</summary>
    /// <typeparam name="T">A blittable struct laid out as the kernel's.</typeparam>
    /// <param name="header">The value.</param>
    /// <exception cref="InvalidOperationException">No message is open.</exception>
    /// <exception cref="InternalBufferOverflowException">The span is too small.</exception>
    public void WriteHeader<T>(in T header)
        where T : unmanaged
    {
        EnsureOpen();
        int size = Unsafe.SizeOf<T>();
        int padded = Align(size);
        Ensure(padded);
        Bytes.Write(_buffer.Slice(_position), header);
        _buffer.Slice(_position + size, padded - size).Clear();
        _position += padded;
    }

    /// <summary>Writes raw bytes into the message payload (padded to 4 bytes), for family headers given as bytes.</summary>
    /// <param name="payload">The bytes.</param>
    /// <exception cref="InvalidOperationException">No message is open.</exception>
    /// <exception cref="InternalBufferOverflowException">The span is too small.</exception>
    public void WritePayload(ReadOnlySpan<byte> payload)
    {
        EnsureOpen();
        int padded = Align(payload.Length);
        Ensure(padded);
        payload.CopyTo(_buffer.Slice(_position));
        _buffer.Slice(_position + payload.Length, padded - payload.Length).Clear();
        _position += padded;
    }

    /// <summary>Finishes the message: writes <c>nlmsg_len</c> and, over an <see cref="IBufferWriter{T}"/>, commits the bytes.</summary>
    /// <returns>The length of the message in bytes.</returns>
    /// <exception cref="InvalidOperationException">No message is open.</exception>
    public int EndMessage()
    {
        EnsureOpen();
        int length = _position - _messageStart;
        Bytes.Write(_buffer.Slice(_messageStart), (uint)length);
        _open = false;
        _messageCount++;
        if (_output is not null)
        {
            _output.Advance(length);
            _completed += length;
            _buffer = default;
            _position = 0;
        }
        else
        {
            _completed = _position;
        }

        return length;
    }

    /// <summary>Drops the message being written, as if <see cref="BeginMessage"/> had not been called.</summary>
    public void CancelMessage()
    {
        if (!_open)
        {
            return;
        }

        _buffer.Slice(_messageStart, _position - _messageStart).Clear();
        _position = _messageStart;
        _open = false;
    }

    /// <summary>Gives the span of the message being written, e.g. to set a field of its family header after the fact.</summary>
    /// <returns>The bytes from the message header to the current position.</returns>
    public readonly Span<byte> GetCurrentMessage() => _open ? _buffer.Slice(_messageStart, _position - _messageStart) : default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_position + count > _buffer.Length)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        if (_output is null)
        {
            int needed = _position + count;
            int available = _buffer.Length;
            CancelMessage();
            throw new InternalBufferOverflowException(
                $"The netlink buffer is too small: the message needs at least {needed} bytes and the buffer has {available}. The unfinished message was erased.");
        }

        // Over an IBufferWriter the open message must stay contiguous (nests are patched by offset), so move it whole.
        int used = _position;
        byte[] saved = ArrayPool<byte>.Shared.Rent(Math.Max(used, 1));
        try
        {
            _buffer.Slice(0, used).CopyTo(saved);
            _buffer = _output.GetSpan(Math.Max(used + count, used * 2));
            saved.AsSpan(0, used).CopyTo(_buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(saved);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void EnsureOpen()
    {
        if (!_open)
        {
            ThrowNoMessage();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNoMessage() => throw new InvalidOperationException("No netlink message is open: call BeginMessage first.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMessageOpen() => throw new InvalidOperationException("A netlink message is already open: call EndMessage first.");
}
