using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxNet.Netlink;

public ref partial struct NetlinkMessageWriter
{
    private const ushort NestedFlag = 0x8000;
    private const int AttributeHeaderSize = 4;

    /// <summary>Writes an attribute whose value is the given bytes (<c>NLA_BINARY</c>).</summary>
    /// <param name="type">The attribute type, e.g. <c>IFLA_ADDRESS</c>; may include <c>NLA_F_NET_BYTEORDER</c>.</param>
    /// <param name="value">The value; the attribute is padded with zeros to 4 bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is longer than an attribute can hold (65,531 bytes).</exception>
    /// <exception cref="InvalidOperationException">No message is open.</exception>
    /// <exception cref="InternalBufferOverflowException">The span is too small.</exception>
    public void WriteAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> destination = BeginAttribute(type, value.Length);
        value.CopyTo(destination);
    }

    /// <summary>Writes an attribute with no value, used as a flag (<c>NLA_FLAG</c>).</summary>
    /// <param name="type">The attribute type.</param>
    public void WriteFlag(ushort type) => BeginAttribute(type, 0);

    /// <summary>Writes an 8-bit attribute (<c>NLA_U8</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt8(ushort type, byte value) => BeginAttribute(type, 1)[0] = value;

    /// <summary>Writes a 16-bit attribute in host byte order (<c>NLA_U16</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt16(ushort type, ushort value) => Bytes.Write(BeginAttribute(type, 2), value);

    /// <summary>Writes a 32-bit attribute in host byte order (<c>NLA_U32</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt32(ushort type, uint value) => Bytes.Write(BeginAttribute(type, 4), value);

    /// <summary>Writes a 64-bit attribute in host byte order (<c>NLA_U64</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt64(ushort type, ulong value) => Bytes.Write(BeginAttribute(type, 8), value);

    /// <summary>Writes a signed 32-bit attribute in host byte order (<c>NLA_S32</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteInt32(ushort type, int value) => Bytes.Write(BeginAttribute(type, 4), value);

    /// <summary>Writes a signed 64-bit attribute in host byte order (<c>NLA_S64</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteInt64(ushort type, long value) => Bytes.Write(BeginAttribute(type, 8), value);

    /// <summary>Writes a 16-bit attribute in network byte order (big-endian), e.g. a port.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt16BigEndian(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(BeginAttribute(type, 2), value);

    /// <summary>Writes a 32-bit attribute in network byte order (big-endian).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt32BigEndian(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(BeginAttribute(type, 4), value);

    /// <summary>Writes a blittable struct as the attribute value, e.g. <c>struct ifla_cacheinfo</c>.</summary>
    /// <typeparam name="T">A blittable struct laid out as the kernel's.</typeparam>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void WriteStruct<T>(ushort type, in T value)
        where T : unmanaged
        => Bytes.Write(BeginAttribute(type, Unsafe.SizeOf<T>()), value);

    /// <summary>Writes a NUL-terminated UTF-8 string attribute (<c>NLA_NUL_STRING</c>/<c>NLA_STRING</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The text, without a NUL.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains a NUL character.</exception>
    public void WriteString(ushort type, ReadOnlySpan<char> value)
    {
        // The kernel reads such an attribute up to its first NUL (nla_strscpy), so "v0\0x" would silently become "v0".
        if (value.IndexOf('\0') >= 0)
        {
            ThrowEmbeddedNul();
        }

        int count = GetUtf8ByteCount(value);
        Span<byte> destination = BeginAttribute(type, count + 1);
        GetUtf8Bytes(value, destination);
        destination[count] = 0;
    }

    /// <summary>Writes a NUL-terminated UTF-8 string attribute (<c>NLA_NUL_STRING</c>/<c>NLA_STRING</c>).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The text, without a NUL.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains a NUL character.</exception>
    public void WriteString(ushort type, string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        WriteString(type, value.AsSpan());
    }

    /// <summary>Writes an IPv4 (4 bytes) or IPv6 (16 bytes) address attribute in network byte order.</summary>
    /// <param name="type">The attribute type, e.g. <c>IFA_LOCAL</c>.</param>
    /// <param name="address">The address.</param>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public void WriteAddress(ushort type, IPAddress address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        int length = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => 4,
            AddressFamily.InterNetworkV6 => 16,
            _ => throw new ArgumentException($"Only IPv4 and IPv6 addresses can be written, not {address.AddressFamily}.", nameof(address)),
        };
        Span<byte> destination = BeginAttribute(type, length);
#if NET
        address.TryWriteBytes(destination, out _);
#else
        address.GetAddressBytes().CopyTo(destination);
#endif
    }

    /// <summary>Writes a link-layer (MAC) address attribute.</summary>
    /// <param name="type">The attribute type, e.g. <c>IFLA_ADDRESS</c>.</param>
    /// <param name="address">The address; must not be empty.</param>
    /// <exception cref="ArgumentException">The address is empty.</exception>
    public void WritePhysicalAddress(ushort type, PhysicalAddress address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length == 0)
        {
            throw new ArgumentException("A link-layer address must not be empty.", nameof(address));
        }

        WriteAttribute(type, bytes);
    }

    /// <summary>Opens a nested attribute (<c>NLA_F_NESTED</c> is set); attributes written next go inside it.</summary>
    /// <param name="type">The attribute type, e.g. <c>IFLA_LINKINFO</c>.</param>
    /// <returns>The token to pass to <see cref="EndNested(NestedAttribute)"/>.</returns>
    public NestedAttribute BeginNested(ushort type)
    {
        int offset = _position;
        BeginAttribute((ushort)(type | NestedFlag), 0);
        return new NestedAttribute(offset, _messageStart, _messagesBegun);
    }

    /// <summary>Closes a nested attribute and writes its length back.</summary>
    /// <param name="nested">The token from <see cref="BeginNested(ushort)"/>.</param>
    /// <exception cref="ArgumentException">The token does not belong to the open message, or the nest grew past 65,535 bytes.</exception>
    public void EndNested(NestedAttribute nested)
    {
        CheckToken(nested);
        int length = _position - nested.Offset;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"The nested attribute holds {length} bytes; netlink attributes hold at most 65535.", nameof(nested));
        }

        ushort value = (ushort)length;
        Bytes.Write(_buffer.Slice(nested.Offset), value);
    }

    /// <summary>Removes a nested attribute and everything written inside it (like libmnl's <c>mnl_attr_nest_cancel</c>).</summary>
    /// <param name="nested">The token from <see cref="BeginNested(ushort)"/>.</param>
    public void CancelNested(NestedAttribute nested)
    {
        CheckToken(nested);
        _buffer.Slice(nested.Offset, _position - nested.Offset).Clear();
        _position = nested.Offset;
    }

    private readonly void CheckToken(NestedAttribute nested)
    {
        EnsureOpen();
        if (nested.Message != _messagesBegun || nested.MessageStart != _messageStart || nested.Offset < _messageStart + NetlinkHeader.Size || nested.Offset > _position - AttributeHeaderSize)
        {
            throw new ArgumentException("The nested-attribute token does not belong to the message being written.", nameof(nested));
        }
    }

    /// <summary>Writes the attribute header and zeroed padding; returns the span for the value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> BeginAttribute(ushort type, int valueLength)
    {
        EnsureOpen();
        if (valueLength > ushort.MaxValue - AttributeHeaderSize)
        {
            ThrowValueTooLong(valueLength);
        }

        int length = AttributeHeaderSize + valueLength;
        int padded = Align(length);
        Ensure(padded);
        Span<byte> attribute = _buffer.Slice(_position, padded);
        ushort length16 = (ushort)length;
        Bytes.Write(attribute, length16);
        Bytes.Write(attribute.Slice(2), type);
        if (padded != length)
        {
            attribute.Slice(length).Clear();
        }

        _position += padded;
        return attribute.Slice(AttributeHeaderSize, valueLength);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEmbeddedNul()
        => throw new ArgumentException("A netlink string attribute must not contain a NUL character: the kernel would cut the text there.", "value");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowValueTooLong(int length)
        => throw new ArgumentOutOfRangeException("value", length, "A netlink attribute value holds at most 65531 bytes.");

    private static unsafe int GetUtf8ByteCount(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        fixed (char* p = value)
        {
            return Encoding.UTF8.GetByteCount(p, value.Length);
        }
    }

    private static unsafe void GetUtf8Bytes(ReadOnlySpan<char> value, Span<byte> destination)
    {
        if (value.IsEmpty)
        {
            return;
        }

        fixed (char* p = value)
        fixed (byte* d = destination)
        {
            Encoding.UTF8.GetBytes(p, value.Length, d, destination.Length);
        }
    }
}
