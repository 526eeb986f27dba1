using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// One 32-bit comparison of a u32 filter: the packet's word at <see cref="Offset"/> (from the network header), masked
/// with <see cref="Mask"/>, must equal <see cref="Value"/>. The factories build what <c>tc</c>'s <c>match ip …</c> builds.
/// </summary>
/// <remarks>
/// The IPv4 factories assume a header without options (ports at offset 20), as <c>tc</c> does. Two matches on the same
/// word (a source and a destination port) are merged into one key, as <c>tc</c> merges them.
/// </remarks>
public readonly struct U32Match : IEquatable<U32Match>
{
    /// <summary>A raw match: <c>match u32 VALUE MASK at OFFSET</c>.</summary>
    /// <param name="value">The value, in host order (<c>0xc6336400</c> for 198.51.100.0).</param>
    /// <param name="mask">The mask, in host order.</param>
    /// <param name="offset">The byte offset from the network header; a multiple of 4.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is not a multiple of 4, or <paramref name="value"/> has bits outside <paramref name="mask"/>.</exception>
    public U32Match(uint value, uint mask, int offset)
    {
        if (offset % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A u32 match offset is a multiple of 4.");
        }

        if ((value & ~mask) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"The value 0x{value:x8} has bits outside the mask 0x{mask:x8}.");
        }

        Value = value;
        Mask = mask;
        Offset = offset;
    }

    /// <summary>The value the masked word must equal (host order).</summary>
    public uint Value { get; }

    /// <summary>The mask (host order).</summary>
    public uint Mask { get; }

    /// <summary>The byte offset of the word from the network header.</summary>
    public int Offset { get; }

    /// <summary>Matches every packet: <c>match u32 0 0</c>.</summary>
    public static U32Match All => default;

    /// <summary><c>match ip src PREFIX</c>.</summary>
    /// <param name="prefix">An IPv4 prefix, length 0 to 32.</param>
    /// <returns>The match.</returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is not IPv4.</exception>
    public static U32Match IPSource(IPPrefix prefix) => Prefix(prefix, 12, nameof(prefix));

    /// <summary><c>match ip dst PREFIX</c>.</summary>
    /// <param name="prefix">An IPv4 prefix, length 0 to 32.</param>
    /// <returns>The match.</returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is not IPv4.</exception>
    public static U32Match IPDestination(IPPrefix prefix) => Prefix(prefix, 16, nameof(prefix));

    /// <summary><c>match ip src ADDRESS/LENGTH</c>, the length checked.</summary>
    /// <param name="address">An IPv4 address.</param>
    /// <param name="prefixLength">0 to 32.</param>
    /// <returns>The match.</returns>
    /// <exception cref="ArgumentException">Not IPv4, or the length is outside 0..32.</exception>
    public static U32Match IPSource(IPAddress address, int prefixLength) => Prefix(address, prefixLength, 12);

    /// <summary><c>match ip dst ADDRESS/LENGTH</c>, the length checked.</summary>
    /// <param name="address">An IPv4 address.</param>
    /// <param name="prefixLength">0 to 32.</param>
    /// <returns>The match.</returns>
    /// <exception cref="ArgumentException">Not IPv4, or the length is outside 0..32.</exception>
    public static U32Match IPDestination(IPAddress address, int prefixLength) => Prefix(address, prefixLength, 16);

    /// <summary><c>match ip protocol N 0xff</c> (6 TCP, 17 UDP, 1 ICMP).</summary>
    /// <param name="protocol">The IP protocol number.</param>
    /// <returns>The match.</returns>
    public static U32Match IPProtocol(byte protocol) => new((uint)protocol << 16, 0x00FF0000, 8);

    /// <summary><c>match ip sport N 0xffff</c>.</summary>
    /// <param name="port">The source port.</param>
    /// <returns>The match.</returns>
    public static U32Match SourcePort(ushort port) => new((uint)port << 16, 0xFFFF0000, 20);

    /// <summary><c>match ip dport N 0xffff</c>.</summary>
    /// <param name="port">The destination port.</param>
    /// <returns>The match.</returns>
    public static U32Match DestinationPort(ushort port) => new(port, 0x0000FFFF, 20);

    /// <summary>Formats the match as <c>tc</c> prints a key: <c>c6336400/ffffff00 at 16</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Value:x8}/{Mask:x8} at {Offset}";

    /// <inheritdoc/>
    public bool Equals(U32Match other) => Value == other.Value && Mask == other.Mask && Offset == other.Offset;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is U32Match other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, Mask, Offset);

    /// <summary>Compares two matches.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(U32Match left, U32Match right) => left.Equals(right);

    /// <summary>Compares two matches.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(U32Match left, U32Match right) => !left.Equals(right);

    private static U32Match Prefix(IPPrefix prefix, int offset, string name)
    {
        if (prefix.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{prefix}' is not an IPv4 prefix (match ip src/dst takes IPv4).", name);
        }

        return Prefix(prefix.Address, prefix.PrefixLength, offset);
    }

    private static U32Match Prefix(IPAddress address, int prefixLength, int offset)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{address}' is not an IPv4 address (match ip src/dst takes IPv4).", nameof(address));
        }

        if (prefixLength is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "An IPv4 prefix length is 0 to 32.");
        }

        byte[] bytes = address.GetAddressBytes();
        uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        return new U32Match(BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask, offset);
    }
}
