using System;
using System.Runtime.InteropServices;

namespace LinuxNet.Netlink;

/// <summary>
/// Enumerates the netlink messages in a buffer (one datagram may hold many) with <see langword="foreach"/>, allocating nothing.
/// </summary>
/// <remarks>
/// Each message is checked before it is returned: a header cut short, an <c>nlmsg_len</c> below 16 (a zero length
/// would loop forever in a naive parser) or past the end of the buffer throws <see cref="NetlinkProtocolException"/>.
/// The enumerator never reads outside the buffer.
/// </remarks>
public ref struct NetlinkMessageEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private NetlinkMessage _current;

    /// <summary>Creates an enumerator over <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Bytes received from a netlink socket.</param>
    public NetlinkMessageEnumerator(ReadOnlySpan<byte> buffer)
    {
        _remaining = buffer;
        _current = default;
    }

    /// <summary>The current message.</summary>
    public readonly NetlinkMessage Current => _current;

    /// <summary>Returns this enumerator, so it works with <see langword="foreach"/>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly NetlinkMessageEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next message.</summary>
    /// <returns><see langword="false"/> at the end of the buffer.</returns>
    /// <exception cref="NetlinkProtocolException">The next message is malformed.</exception>
    public bool MoveNext()
    {
        if (_remaining.IsEmpty)
        {
            return false;
        }

        if (_remaining.Length < NetlinkHeader.Size)
        {
            int left = _remaining.Length;
            _remaining = default;
            throw new NetlinkProtocolException($"Netlink message header truncated: {left} bytes left, a header needs {NetlinkHeader.Size}.");
        }

        NetlinkHeader header = Bytes.Read<NetlinkHeader>(_remaining);
        if (header.Length < NetlinkHeader.Size || header.Length > (uint)_remaining.Length)
        {
            int left = _remaining.Length;
            _remaining = default;
            throw new NetlinkProtocolException($"Netlink message length {header.Length} is invalid: it must be at least {NetlinkHeader.Size} and at most the {left} bytes left in the buffer.");
        }

        int length = (int)header.Length;
        _current = new NetlinkMessage(header, _remaining.Slice(NetlinkHeader.Size, length - NetlinkHeader.Size));
        int advance = Math.Min(NetlinkMessageWriter.Align(length), _remaining.Length);
        _remaining = _remaining.Slice(advance);
        return true;
    }
}
