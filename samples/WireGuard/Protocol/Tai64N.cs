using System.Buffers.Binary;

namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// TAI64N timestamps (12 bytes: big-endian seconds + 2^62 + 10, big-endian nanoseconds), the initiation's replay
/// protection: a responder accepts an initiation only when its timestamp is greater than the last one it accepted.
/// </summary>
public static class Tai64N
{
    /// <summary>Size of a timestamp.</summary>
    public const int Size = 12;

    // 2^62 + 10: TAI64's epoch offset, with TAI - UTC = 10 s as wireguard-go and the kernel use.
    private const ulong Base = 0x400000000000000aUL;

    /// <summary>Writes the timestamp of <paramref name="time"/>.</summary>
    /// <remarks>
    /// The nanoseconds are rounded down to a multiple of 2^24 ns (~16.8 ms), as wireguard-go does, so that the
    /// timestamp does not leak the precise clock; it still grows faster than the responder's flood limit (20 ms).
    /// </remarks>
    public static void Write(DateTimeOffset time, Span<byte> destination)
    {
        long ticks = time.ToUnixTimeMilliseconds();
        ulong seconds = (ulong)(ticks / 1000);
        uint nanoseconds = (uint)((time.UtcTicks % TimeSpan.TicksPerSecond) * 100);
        nanoseconds &= ~0xFFFFFFu;
        BinaryPrimitives.WriteUInt64BigEndian(destination, Base + seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], nanoseconds);
    }

    /// <summary>Reads a timestamp back.</summary>
    public static DateTimeOffset Read(ReadOnlySpan<byte> source)
    {
        ulong seconds = BinaryPrimitives.ReadUInt64BigEndian(source) - Base;
        uint nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(source[8..]);
        return DateTimeOffset.FromUnixTimeSeconds((long)seconds).AddTicks(nanoseconds / 100);
    }

    /// <summary>Whether <paramref name="candidate"/> is strictly later than <paramref name="latest"/> (big-endian compare).</summary>
    public static bool IsAfter(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> latest) => candidate.SequenceCompareTo(latest) > 0;
}
