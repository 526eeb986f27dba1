using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxNet;

/// <summary>Host-order struct reads and writes of spans, always inlined, the same on net10.0 and netstandard2.0.</summary>
internal static class Bytes
{
    /// <summary>
    /// <see cref="MemoryMarshal.Read{T}(ReadOnlySpan{byte})"/>, always inlined: the request path reads a header a few
    /// times per message, and the JIT did not inline the general method there.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is shorter than <typeparamref name="T"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Read<T>(ReadOnlySpan<byte> source)
        where T : unmanaged
    {
        if (source.Length < Unsafe.SizeOf<T>())
        {
            ThrowShort();
        }

        return Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(source));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Write<T>(Span<byte> destination, T value)
        where T : unmanaged
    {
        // Not MemoryMarshal.Write, which the JIT left as a call on the request path.
        if (destination.Length < Unsafe.SizeOf<T>())
        {
            ThrowShort();
        }

        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(destination), value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShort() => throw new ArgumentOutOfRangeException(null, "The span is shorter than the value read or written.");
}
