using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET
using System.Numerics;
#endif

namespace LinuxNet.Tun.Offload;

/// <summary>
/// The Internet checksum (RFC 1071): the ones-complement of the ones-complement sum of 16-bit big-endian words, as
/// used by IPv4, TCP, UDP and ICMP; plus the IPv4/IPv6 pseudo-header sums TCP and UDP include.
/// </summary>
/// <remarks>
/// <para>
/// Sums are passed around as <em>partial sums</em>: a <see cref="uint"/> holding a ones-complement sum of
/// big-endian 16-bit words, not complemented. Any <see cref="uint"/> is a valid partial sum (carries are folded
/// when needed); <see cref="Fold(uint)"/> reduces one to 16 bits and <see cref="Finish(uint)"/> turns one into the value
/// to store in a checksum field. Summing data in pieces (<c>Sum(b, Sum(a))</c>) equals summing the concatenation
/// when every piece but the last has an even length.
/// </para>
/// <para>
/// The methods allocate nothing. The sum runs 8 bytes at a time (32 per loop iteration), and with SIMD on .NET
/// builds that have hardware vectors; the result does not depend on the path taken. All methods are thread-safe.
/// </para>
/// </remarks>
public static class InternetChecksum
{
    /// <summary>Adds the bytes of <paramref name="data"/>, as big-endian 16-bit words, to a partial sum.</summary>
    /// <param name="data">The bytes; an odd final byte is summed as if followed by a zero byte.</param>
    /// <param name="initial">A partial sum to continue, for example a pseudo-header sum; 0 to start.</param>
    /// <returns>The partial sum, folded to 16 bits (not complemented).</returns>
    public static uint Sum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong native = SumNative(data);

        // The ones-complement sum is byte-order independent (RFC 1071 §2(B)): sum in native order and swap once.
        uint folded = Fold(native);
        if (BitConverter.IsLittleEndian)
        {
            folded = (ushort)((folded >> 8) | (folded << 8));
        }

        return Fold((ulong)folded + initial);
    }

    /// <summary>Computes the checksum to store in a field: the complement of the sum of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum, with the checksum field itself zeroed.</param>
    /// <param name="initial">A partial sum to include, for example a pseudo-header sum.</param>
    /// <returns>The checksum, as a number to write big-endian.</returns>
    /// <remarks>Verifying: the sum over data that includes a correct checksum field is 0xFFFF (<see cref="Compute"/> returns 0).</remarks>
    public static ushort Compute(ReadOnlySpan<byte> data, uint initial = 0) => Finish(Sum(data, initial));

    /// <summary>Folds a partial sum to 16 bits with end-around carry (not complemented).</summary>
    /// <param name="sum">The partial sum.</param>
    /// <returns>A value from 0 to 0xFFFF.</returns>
    public static ushort Fold(uint sum) => (ushort)Fold((ulong)sum);

    /// <summary>Folds and complements a partial sum: the value to store in a checksum field.</summary>
    /// <param name="sum">The partial sum.</param>
    /// <returns><c>~Fold(sum)</c>.</returns>
    public static ushort Finish(uint sum) => (ushort)~Fold(sum);

    /// <summary>Adds two partial sums.</summary>
    /// <param name="a">A partial sum.</param>
    /// <param name="b">A partial sum.</param>
    /// <returns>Their ones-complement sum, folded to 16 bits.</returns>
    public static uint Add(uint a, uint b) => Fold((ulong)a + b);

    /// <summary>
    /// The partial sum of the TCP/UDP pseudo-header: for IPv4 (4-byte addresses, RFC 793/768) source, destination,
    /// zero, protocol, length; for IPv6 (16-byte addresses, RFC 8200 §8.1) source, destination, 32-bit length,
    /// three zero bytes, next header.
    /// </summary>
    /// <param name="source">The source address bytes as in the IP header (4 or 16).</param>
    /// <param name="destination">The destination address bytes (same length as <paramref name="source"/>).</param>
    /// <param name="protocol">The transport protocol: 6 for TCP, 17 for UDP.</param>
    /// <param name="transportLength">Length of the transport header plus payload.</param>
    /// <returns>The partial sum (not complemented).</returns>
    /// <exception cref="ArgumentException">The addresses are not both 4 or both 16 bytes long.</exception>
    public static uint PseudoHeaderSum(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int transportLength)
    {
        if (source.Length != destination.Length || (source.Length != 4 && source.Length != 16))
        {
            throw new ArgumentException("The addresses must both be 4 bytes (IPv4) or both 16 bytes (IPv6).", nameof(source));
        }

        ulong sum = (ulong)protocol + (uint)(transportLength & 0xFFFF) + ((uint)transportLength >> 16);
        for (int i = 0; i < source.Length; i += 2)
        {
            sum += (uint)((source[i] << 8) | source[i + 1]);
            sum += (uint)((destination[i] << 8) | destination[i + 1]);
        }

        return Fold(sum);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> and returns its sum, in one pass over the
    /// data (the splitter's per-segment payload copy).
    /// </summary>
    internal static uint CopyAndSum(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        int length = source.Length;
        int i = 0;
        ulong s0 = 0, s1 = 0;

#if NET
        if (Vector.IsHardwareAccelerated && length >= 4 * Vector<byte>.Count)
        {
            Vector<ulong> a0 = Vector<ulong>.Zero, a1 = Vector<ulong>.Zero;
            int step = Vector<byte>.Count;
            for (; i <= length - step; i += step)
            {
                Vector<uint> v = Unsafe.ReadUnaligned<Vector<uint>>(ref Unsafe.Add(ref src, i));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), v);
                Vector.Widen(v, out Vector<ulong> lo, out Vector<ulong> hi);
                a0 += lo;
                a1 += hi;
            }

            Vector<ulong> a = a0 + a1;
            for (int k = 0; k < Vector<ulong>.Count; k++)
            {
                ulong x = a[k];
                s0 += x & 0xFFFFFFFF;
                s1 += x >> 32;
            }
        }
#endif

        for (; i <= length - 8; i += 8)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), v);
            s0 += v & 0xFFFFFFFF;
            s1 += v >> 32;
        }

        // The tail (under 8 bytes) is summed by the general path and copied by the span copy.
        ReadOnlySpan<byte> tail = source.Slice(i);
        tail.CopyTo(destination.Slice(i));
        ulong native = Fold(s0) + (ulong)Fold(s1) + SumNative(tail);
        uint folded = Fold(native);
        if (BitConverter.IsLittleEndian)
        {
            folded = (ushort)((folded >> 8) | (folded << 8));
        }

        return folded;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fold(ulong sum)
    {
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        uint s = (uint)sum;
        s = (s & 0xFFFF) + (s >> 16);
        s = (s & 0xFFFF) + (s >> 16);
        return s;
    }

    // Returns a ones-complement sum of native-order 16-bit words, not folded. 32-bit halves of each 8-byte word are
    // added into 64-bit accumulators, so no carry is lost for inputs below 16 GiB.
    private static ulong SumNative(ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        ulong s0 = 0, s1 = 0, s2 = 0, s3 = 0;

#if NET
        if (Vector.IsHardwareAccelerated && length >= 4 * Vector<byte>.Count)
        {
            Vector<ulong> a0 = Vector<ulong>.Zero, a1 = Vector<ulong>.Zero;
            int step = Vector<byte>.Count;
            for (; i <= length - step; i += step)
            {
                Vector<uint> v = Unsafe.ReadUnaligned<Vector<uint>>(ref Unsafe.Add(ref start, i));
                Vector.Widen(v, out Vector<ulong> lo, out Vector<ulong> hi);
                a0 += lo;
                a1 += hi;
            }

            Vector<ulong> a = a0 + a1;
            for (int k = 0; k < Vector<ulong>.Count; k++)
            {
                ulong x = a[k];
                s0 += x & 0xFFFFFFFF;
                s1 += x >> 32;
            }
        }
#endif

        for (; i <= length - 32; i += 32)
        {
            ulong v0 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            ulong v1 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 8));
            ulong v2 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 16));
            ulong v3 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 24));
            s0 += (v0 & 0xFFFFFFFF) + (v0 >> 32);
            s1 += (v1 & 0xFFFFFFFF) + (v1 >> 32);
            s2 += (v2 & 0xFFFFFFFF) + (v2 >> 32);
            s3 += (v3 & 0xFFFFFFFF) + (v3 >> 32);
        }

        for (; i <= length - 8; i += 8)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            s0 += (v & 0xFFFFFFFF) + (v >> 32);
        }

        if (i <= length - 4)
        {
            s1 += Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i));
            i += 4;
        }

        if (i <= length - 2)
        {
            s2 += Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, i));
            i += 2;
        }

        if (i < length)
        {
            // The odd byte is the high-order byte of a big-endian word padded with zero.
            byte last = Unsafe.Add(ref start, i);
            s3 += BitConverter.IsLittleEndian ? last : (ulong)last << 8;
        }

        // Each accumulator stays far below 2^62 for any span length, so these additions cannot overflow.
        return Fold(s0) + (ulong)Fold(s1) + Fold(s2) + Fold(s3);
    }
}
