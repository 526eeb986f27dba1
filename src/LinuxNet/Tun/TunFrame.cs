using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;

namespace LinuxNet.Tun;

/// <summary>
/// The framing of frames in a TUN pipe (<see cref="TunQueue.AsPipe"/>): each frame is preceded by its length as a
/// <b>4-byte little-endian unsigned integer</b>, which counts the frame bytes only (headers such as the packet
/// information or virtio-net header included, the prefix itself excluded).
/// </summary>
/// <remarks>
/// <para>
/// <c>[len0:u32le][frame0: len0 bytes][len1:u32le][frame1: len1 bytes]…</c>. A length of 0 or above
/// <see cref="MaxFrameLength"/> is invalid: <see cref="TryReadFrame"/> throws <see cref="InvalidDataException"/>,
/// and the pipe's writer pump completes with that exception, because the rest of the stream cannot be trusted.
/// Four bytes (rather than two) are needed because a TAP frame with a virtio-net header can exceed 65,535 bytes.
/// </para>
/// <para>Parse a pipe's input with a loop in the style of <c>System.IO.Pipelines</c> protocols:</para>
/// <code>
/// ReadResult result = await input.ReadAsync();
/// ReadOnlySequence&lt;byte&gt; buffer = result.Buffer;
/// while (TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence&lt;byte&gt; frame)) { Handle(frame); }
/// input.AdvanceTo(buffer.Start, buffer.End);
/// </code>
/// </remarks>
public static class TunFrame
{
    /// <summary>The size of the length prefix: 4 bytes.</summary>
    public const int PrefixLength = 4;

    /// <summary>
    /// The largest frame length the framing accepts: 65,792 bytes (64 KiB + 256), more than any device's
    /// <see cref="TunDevice.MaxFrameSize"/>.
    /// </summary>
    public const int MaxFrameLength = 0x10000 + 256;

    /// <summary>
    /// Slices the next whole frame off the front of <paramref name="buffer"/>. A frame split across segments is
    /// returned as a multi-segment sequence, without copying.
    /// </summary>
    /// <param name="buffer">The framed bytes; on success, advanced past the frame.</param>
    /// <param name="frame">The frame, without its prefix; empty when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when a whole frame was available; <see langword="false"/> when more bytes are needed (nothing is consumed).</returns>
    /// <exception cref="InvalidDataException">The prefix holds 0 or a length above <see cref="MaxFrameLength"/>.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < PrefixLength)
        {
            return false;
        }

        uint length;
        ReadOnlySpan<byte> first = buffer.First.Span;
        if (first.Length >= PrefixLength)
        {
            length = BinaryPrimitives.ReadUInt32LittleEndian(first);
        }
        else
        {
            Span<byte> prefix = stackalloc byte[PrefixLength];
            buffer.Slice(0, PrefixLength).CopyTo(prefix);
            length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        }

        if (length == 0 || length > MaxFrameLength)
        {
            throw new InvalidDataException($"Invalid TUN frame length {length} in the length prefix: a frame is 1 to {MaxFrameLength} bytes. The framed stream is corrupt.");
        }

        if (buffer.Length - PrefixLength < length)
        {
            return false;
        }

        frame = buffer.Slice(PrefixLength, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    /// <summary>Writes <paramref name="frame"/> with its length prefix into <paramref name="writer"/>, contiguously.</summary>
    /// <param name="writer">For example a TUN pipe's <see cref="System.IO.Pipelines.IDuplexPipe.Output"/>.</param>
    /// <param name="frame">The frame, headers included: 1 to <see cref="MaxFrameLength"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is empty or longer than <see cref="MaxFrameLength"/>.</exception>
    public static void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> frame)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        CheckLength(frame.Length, nameof(frame));
        Span<byte> destination = writer.GetSpan(PrefixLength + frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)frame.Length);
        frame.CopyTo(destination.Slice(PrefixLength));
        writer.Advance(PrefixLength + frame.Length);
    }

    /// <summary>
    /// Writes the length prefix for a frame of <paramref name="frameLength"/> bytes, for callers that build the
    /// frame in place: reserve <see cref="PrefixLength"/> bytes, write the frame after them, then fill in the prefix.
    /// </summary>
    /// <param name="destination">At least <see cref="PrefixLength"/> bytes.</param>
    /// <param name="frameLength">1 to <see cref="MaxFrameLength"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="frameLength"/> is out of range or <paramref name="destination"/> is too short.</exception>
    public static void WritePrefix(Span<byte> destination, int frameLength)
    {
        CheckLength(frameLength, nameof(frameLength));
        if (destination.Length < PrefixLength)
        {
            throw new ArgumentException($"The destination must hold the {PrefixLength}-byte prefix.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)frameLength);
    }

    private static void CheckLength(int length, string parameterName)
    {
        if (length is <= 0 or > MaxFrameLength)
        {
            throw new ArgumentException($"A frame is 1 to {MaxFrameLength} bytes; this one has {length}.", parameterName);
        }
    }
}
