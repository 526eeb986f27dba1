using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// One object a watch follows: its last message (header included, so it reads as an <see cref="RtnetlinkEvent"/>)
/// and where it stands in a synchronisation. Entries and their buffers are reused, so following changes to objects of
/// a known size allocates nothing.
/// </summary>
internal sealed class WatchEntry
{
    private byte[] _buffer = Array.Empty<byte>();

    internal WatchKey Key { get; set; }

    internal WatchAdapter Adapter { get; set; } = null!;

    internal int Length { get; private set; }

    /// <summary>Whether the consumer has been given this object (and not its deletion).</summary>
    internal bool Known { get; set; }

    /// <summary>During a synchronisation: the state changed since the consumer last saw it.</summary>
    internal bool Dirty { get; set; }

    /// <summary>During a synchronisation: an event deleted the object after the dump saw it.</summary>
    internal bool Gone { get; set; }

    /// <summary>The synchronisation pass that last saw the object.</summary>
    internal int Pass { get; set; }

    internal byte[] Buffer => _buffer;

    internal ReadOnlySpan<byte> Payload => _buffer.AsSpan(NetlinkHeader.Size, Length - NetlinkHeader.Size);

    /// <summary>Copies <paramref name="message"/> in, growing the buffer only when it is too small.</summary>
    internal void Store(in NetlinkMessage message)
    {
        int length = NetlinkHeader.Size + message.Payload.Length;
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, 2 * _buffer.Length)];
        }

        Bytes.Write(_buffer.AsSpan(), message.Header);
        message.Payload.CopyTo(_buffer.AsSpan(NetlinkHeader.Size));
        Length = length;
    }

    /// <summary>The entry as an event view (valid until the entry is stored to again).</summary>
    internal RtnetlinkEvent ToEvent(RtnetlinkEventAction action) => new(Adapter.Kind, action, _buffer, 0, Length);
}
