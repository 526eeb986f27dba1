using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxNet;

/// <summary>Host-order struct writes that compile the same on net10.0 (<c>in</c>) and netstandard2.0 (<c>ref</c>).</summary>
internal static class Bytes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Write<T>(Span<byte> destination, T value)
        where T : unmanaged
    {
#if NET
        MemoryMarshal.Write(destination, in value);
#else
        MemoryMarshal.Write(destination, ref value);
#endif
    }
}
