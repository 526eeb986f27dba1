using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// One transport session (a "keypair" in wireguard-go): the two ChaCha20-Poly1305 keys of a handshake, the send
/// counter and the receive replay window. Seals and opens transport messages in place: the caller reserves
/// <see cref="MessageLayout.TransportHeaderSize"/> bytes in front of the packet and padding plus
/// <see cref="MessageLayout.TagSize"/> bytes behind it, so no byte is copied and nothing is allocated.
/// </summary>
/// <remarks>
/// Sealing may run on several threads (the send lock covers the BCL cipher, whose instances are not thread safe);
/// opening and the replay window belong to the one receiving thread.
/// </remarks>
public sealed class Session : IDisposable
{
    private readonly ChaCha20Poly1305 _send;
    private readonly ChaCha20Poly1305 _receive;
    private readonly ReplayWindow _replay = new();
    private readonly object _sendLock = new();
    private readonly ulong _rejectAfterMessages;
    private long _nextCounter;

    /// <summary>Creates the session of <paramref name="keys"/>, made at <paramref name="created"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public Session(TransportKeys keys, long created, ulong rejectAfterMessages)
    {
        _send = new ChaCha20Poly1305(keys.SendKey);
        _receive = new ChaCha20Poly1305(keys.ReceiveKey);
        CryptographicOperations.ZeroMemory(keys.SendKey);
        CryptographicOperations.ZeroMemory(keys.ReceiveKey);
        LocalIndex = keys.LocalIndex;
        RemoteIndex = keys.RemoteIndex;
        IsInitiator = keys.IsInitiator;
        Created = created;
        _rejectAfterMessages = rejectAfterMessages;
    }

    /// <summary>Our index (the receiver field of messages to us).</summary>
    public uint LocalIndex { get; }

    /// <summary>The peer's index (the receiver field of messages we send).</summary>
    public uint RemoteIndex { get; }

    /// <summary>Whether we initiated the handshake of this session.</summary>
    public bool IsInitiator { get; }

    /// <summary>When the session was made (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Created { get; }

    /// <summary>The counter the next sealed message takes (= messages sealed so far).</summary>
    public ulong SendCounter => (ulong)Interlocked.Read(ref _nextCounter);

    /// <summary>Messages dropped by the replay window.</summary>
    public long Replayed { get; private set; }

    /// <summary>
    /// Seals the packet at <c>datagram[16..16+payloadLength]</c> in place: pads it with zeros to
    /// <paramref name="paddedLength"/>, encrypts it, appends the tag and writes the header in front.
    /// </summary>
    /// <returns>The datagram's length, or 0 when the session may send no more (counter limit).</returns>
    public int Seal(Span<byte> datagram, int payloadLength, int paddedLength)
    {
        datagram.Slice(MessageLayout.TransportHeaderSize + payloadLength, paddedLength - payloadLength).Clear();
        Span<byte> plaintext = datagram.Slice(MessageLayout.TransportHeaderSize, paddedLength);
        Span<byte> tag = datagram.Slice(MessageLayout.TransportHeaderSize + paddedLength, MessageLayout.TagSize);
        ulong counter;
        lock (_sendLock)
        {
            counter = (ulong)_nextCounter;
            if (counter >= _rejectAfterMessages)
            {
                return 0;
            }

            Crypto.Aead.Seal(_send, counter, plaintext, plaintext, tag, ReadOnlySpan<byte>.Empty);
            _nextCounter = (long)(counter + 1);
        }

        datagram[..4].Clear();
        datagram[0] = MessageLayout.Transport;
        BinaryPrimitives.WriteUInt32LittleEndian(datagram[MessageLayout.ReceiverOffset..], RemoteIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(datagram[MessageLayout.CounterOffset..], counter);
        return MessageLayout.TransportHeaderSize + paddedLength + MessageLayout.TagSize;
    }

    /// <summary>Opens a transport message in place; the plaintext is then at <c>datagram[16..16+result]</c>.</summary>
    /// <returns>The (padded) plaintext length, -1 when it does not authenticate, -2 when it is a replay or too old.</returns>
    public int Open(Span<byte> datagram)
    {
        ulong counter = BinaryPrimitives.ReadUInt64LittleEndian(datagram[MessageLayout.CounterOffset..]);
        if (counter >= _rejectAfterMessages)
        {
            return -1;
        }

        int length = datagram.Length - MessageLayout.MinTransportSize;
        Span<byte> ciphertext = datagram.Slice(MessageLayout.TransportHeaderSize, length);
        ReadOnlySpan<byte> tag = datagram.Slice(MessageLayout.TransportHeaderSize + length, MessageLayout.TagSize);
        if (!Crypto.Aead.TryOpen(_receive, counter, ciphertext, tag, ciphertext, ReadOnlySpan<byte>.Empty))
        {
            return -1;
        }

        if (!_replay.TryAccept(counter))
        {
            Replayed++;
            return -2;
        }

        return length;
    }

    /// <summary>Releases the ciphers.</summary>
    public void Dispose()
    {
        lock (_sendLock)
        {
            _send.Dispose();
        }

        _receive.Dispose();
    }
}
