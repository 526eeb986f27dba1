using System;
using System.Runtime.InteropServices;

namespace LinuxNet.Netlink;

/// <summary>
/// Enumerates the attributes of a message or of a nested attribute with <see langword="foreach"/>, allocating nothing.
/// </summary>
/// <remarks>
/// An <c>nla_len</c> below 4 or past the end of the enclosing buffer throws <see cref="NetlinkProtocolException"/>.
/// Fewer than 4 bytes left at the end are padding and are skipped, as the kernel's <c>nla_for_each_attr</c> does.
/// The last attribute may omit its padding.
/// </remarks>
public ref struct NetlinkAttributeEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private NetlinkAttribute _current;
    private readonly int _depth;

    /// <summary>Creates an enumerator over a run of attributes (top level).</summary>
    /// <param name="attributes">The bytes holding the attributes.</param>
    public NetlinkAttributeEnumerator(ReadOnlySpan<byte> attributes)
        : this(attributes, 0)
    {
    }

    internal NetlinkAttributeEnumerator(ReadOnlySpan<byte> attributes, int depth)
    {
        _remaining = attributes;
        _current = default;
        _depth = depth;
    }

    /// <summary>The current attribute.</summary>
    public readonly NetlinkAttribute Current => _current;

    /// <summary>Returns this enumerator, so it works with <see langword="foreach"/>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly NetlinkAttributeEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next attribute.</summary>
    /// <returns><see langword="false"/> at the end.</returns>
    /// <exception cref="NetlinkProtocolException">The next attribute is malformed.</exception>
    public bool MoveNext()
    {
        if (_remaining.Length < 4)
        {
            _remaining = default;
            return false;
        }

        ushort length = MemoryMarshal.Read<ushort>(_remaining);
        ushort type = MemoryMarshal.Read<ushort>(_remaining.Slice(2));
        if (length < 4 || length > _remaining.Length)
        {
            int left = _remaining.Length;
            _remaining = default;
            throw new NetlinkProtocolException($"Netlink attribute (type {type & 0x3fff}) has length {length}: it must be at least 4 and at most the {left} bytes left in its enclosing buffer.");
        }

        _current = new NetlinkAttribute(type, _remaining.Slice(4, length - 4), _depth);
        int advance = Math.Min(NetlinkMessageWriter.Align(length), _remaining.Length);
        _remaining = _remaining.Slice(advance);
        return true;
    }
}
