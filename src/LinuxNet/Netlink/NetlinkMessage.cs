using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxNet.Netlink;

/// <summary>A view of one netlink message inside a receive buffer: its header and payload. Allocates nothing.</summary>
/// <remarks>Valid only as long as the buffer it views; copy what you need before the buffer is reused.</remarks>
public readonly ref struct NetlinkMessage
{
    internal NetlinkMessage(NetlinkHeader header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    /// <summary>The message header.</summary>
    public NetlinkHeader Header { get; }

    /// <summary>The message type (<c>nlmsg_type</c>).</summary>
    public ushort Type => Header.Type;

    /// <summary>The message flags (<c>nlmsg_flags</c>).</summary>
    public NetlinkMessageFlags Flags => Header.Flags;

    /// <summary>The bytes after the 16-byte header: the family header, then attributes.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Reads the fixed family header (<c>ifinfomsg</c>, <c>rtmsg</c>, …) at the start of the payload.</summary>
    /// <typeparam name="T">A blittable struct laid out as the kernel's.</typeparam>
    /// <returns>The header.</returns>
    /// <exception cref="NetlinkProtocolException">The payload is shorter than <typeparamref name="T"/>.</exception>
    public T ReadHeader<T>()
        where T : unmanaged
    {
        if (Payload.Length < Unsafe.SizeOf<T>())
        {
            ThrowShort(Unsafe.SizeOf<T>(), Payload.Length, Type);
        }

        return MemoryMarshal.Read<T>(Payload);
    }

    /// <summary>Enumerates the attributes that follow a family header of <typeparamref name="T"/>'s size (padded to 4).</summary>
    /// <typeparam name="T">The family header type.</typeparam>
    /// <returns>An enumerator over the top-level attributes.</returns>
    /// <exception cref="NetlinkProtocolException">The payload is shorter than the family header.</exception>
    public NetlinkAttributeEnumerator GetAttributes<T>()
        where T : unmanaged
        => GetAttributes(Unsafe.SizeOf<T>());

    /// <summary>Enumerates the attributes that follow a family header of <paramref name="familyHeaderSize"/> bytes (padded to 4).</summary>
    /// <param name="familyHeaderSize">The size of the family header in bytes.</param>
    /// <returns>An enumerator over the top-level attributes.</returns>
    /// <exception cref="NetlinkProtocolException">The payload is shorter than the family header.</exception>
    public NetlinkAttributeEnumerator GetAttributes(int familyHeaderSize)
    {
        int start = NetlinkMessageWriter.Align(familyHeaderSize);
        if (familyHeaderSize < 0 || Payload.Length < familyHeaderSize)
        {
            ThrowShort(familyHeaderSize, Payload.Length, Type);
        }

        return new NetlinkAttributeEnumerator(start >= Payload.Length ? default : Payload.Slice(start), 0);
    }

    private static void ThrowShort(int needed, int actual, ushort type)
        => throw new NetlinkProtocolException($"Netlink message of type {type} has a {actual}-byte payload, shorter than its {needed}-byte family header.");
}
