using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxNet.Netlink;

/// <summary>A view of one netlink attribute: its type, flags and value. The typed getters check the exact length.</summary>
/// <remarks>Valid only as long as the buffer it views. Getters that return strings or addresses allocate; the rest do not.</remarks>
public readonly ref struct NetlinkAttribute
{
    /// <summary>The deepest nesting the readers accept, the kernel's own <c>MAX_POLICY_RECURSION_DEPTH</c>.</summary>
    public const int MaxNestingDepth = 10;

    private readonly ushort _rawType;
    private readonly int _depth;

    internal NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value, int depth)
    {
        _rawType = rawType;
        Value = value;
        _depth = depth;
    }

    /// <summary>The attribute type without the <c>NLA_F_NESTED</c> and <c>NLA_F_NET_BYTEORDER</c> bits.</summary>
    public ushort Type => (ushort)(_rawType & 0x3fff);

    /// <summary><see langword="true"/> when the sender set <c>NLA_F_NESTED</c>. Many kernel nests do not set it; the schema decides.</summary>
    public bool IsNested => (_rawType & 0x8000) != 0;

    /// <summary><see langword="true"/> when the sender set <c>NLA_F_NET_BYTEORDER</c>.</summary>
    public bool IsNetworkByteOrder => (_rawType & 0x4000) != 0;

    /// <summary>The value bytes, without header or padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Reads an 8-bit value.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is not exactly 1 byte.</exception>
    public byte GetUInt8() => Exact(1)[0];

    /// <summary>Reads a 16-bit value in host byte order.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is not exactly 2 bytes.</exception>
    public ushort GetUInt16() => MemoryMarshal.Read<ushort>(Exact(2));

    /// <summary>Reads a 32-bit value in host byte order.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is not exactly 4 bytes.</exception>
    public uint GetUInt32() => MemoryMarshal.Read<uint>(Exact(4));

    /// <summary>Reads a 64-bit value in host byte order.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is not exactly 8 bytes.</exception>
    public ulong GetUInt64() => MemoryMarshal.Read<ulong>(Exact(8));

    /// <summary>Reads a signed 32-bit value in host byte order.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is not exactly 4 bytes.</exception>
    public int GetInt32() => MemoryMarshal.Read<int>(Exact(4));

    /// <summary>Reads a 16-bit value in network byte order (big-endian), e.g. a port.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is not exactly 2 bytes.</exception>
    public ushort GetUInt16BigEndian() => BinaryPrimitives.ReadUInt16BigEndian(Exact(2));

    /// <summary>Reads a 32-bit value in network byte order (big-endian).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is not exactly 4 bytes.</exception>
    public uint GetUInt32BigEndian() => BinaryPrimitives.ReadUInt32BigEndian(Exact(4));

    /// <summary>Reads a blittable struct; a longer value (a newer kernel's larger struct) is accepted and its tail ignored.</summary>
    /// <typeparam name="T">A blittable struct laid out as the kernel's.</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="NetlinkProtocolException">The value is shorter than <typeparamref name="T"/>.</exception>
    public T GetStruct<T>()
        where T : unmanaged
    {
        if (Value.Length < Unsafe.SizeOf<T>())
        {
            ThrowLength($"at least {Unsafe.SizeOf<T>()}");
        }

        return MemoryMarshal.Read<T>(Value);
    }

    /// <summary>The UTF-8 bytes of a NUL-terminated string value, without the NUL. Allocates nothing.</summary>
    /// <returns>The bytes before the first NUL.</returns>
    /// <exception cref="NetlinkProtocolException">The value has no NUL.</exception>
    public ReadOnlySpan<byte> GetStringBytes()
    {
        int nul = Value.IndexOf((byte)0);
        if (nul < 0)
        {
            throw new NetlinkProtocolException($"Netlink string attribute (type {Type}) of {Value.Length} bytes has no terminating NUL.");
        }

        return Value.Slice(0, nul);
    }

    /// <summary>Reads a NUL-terminated UTF-8 string value.</summary>
    /// <returns>The text before the first NUL.</returns>
    /// <exception cref="NetlinkProtocolException">The value has no NUL.</exception>
    public unsafe string GetString()
    {
        ReadOnlySpan<byte> bytes = GetStringBytes();
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        fixed (byte* p = bytes)
        {
            return Encoding.UTF8.GetString(p, bytes.Length);
        }
    }

    /// <summary>Reads an IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order.</summary>
    /// <returns>The address.</returns>
    /// <exception cref="NetlinkProtocolException">The value is neither 4 nor 16 bytes.</exception>
    public IPAddress GetIPAddress()
    {
        if (Value.Length != 4 && Value.Length != 16)
        {
            ThrowLength("4 or 16");
        }

#if NET
        return new IPAddress(Value);
#else
        return new IPAddress(Value.ToArray());
#endif
    }

    /// <summary>Reads a link-layer address of any length (empty gives <see cref="PhysicalAddress.None"/>).</summary>
    /// <returns>The address.</returns>
    public PhysicalAddress GetPhysicalAddress() => Value.IsEmpty ? PhysicalAddress.None : new PhysicalAddress(Value.ToArray());

    /// <summary>Enumerates the attributes nested in this one.</summary>
    /// <returns>An enumerator over the nested attributes.</returns>
    /// <exception cref="NetlinkProtocolException">The nesting would exceed <see cref="MaxNestingDepth"/>.</exception>
    public NetlinkAttributeEnumerator EnumerateNested()
    {
        if (_depth + 1 > MaxNestingDepth)
        {
            throw new NetlinkProtocolException($"Netlink attributes nested deeper than {MaxNestingDepth} levels (the kernel's own limit).");
        }

        return new NetlinkAttributeEnumerator(Value, _depth + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Exact(int size)
    {
        if (Value.Length != size)
        {
            ThrowLength(size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return Value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowLength(string expected)
        => throw new NetlinkProtocolException($"Netlink attribute (type {Type}) has a {Value.Length}-byte value; {expected} bytes expected.");
}
