using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LinuxNet.Samples.TunVpn;

/// <summary>
/// Seals IP packets into tunnel datagrams and opens them again: ChaCha20-Poly1305 with a per-direction key derived
/// from the pre-shared key, a 64-bit counter as nonce, and a replay window on the receiving side.
/// </summary>
/// <remarks>
/// Datagram layout: <c>[1 byte type = 1][3 bytes zero][8 bytes counter, little-endian][ciphertext][16 bytes tag]</c>.
/// The 12-byte header is the associated data, so it cannot be altered either. Each direction has its own key, so the
/// two peers never use the same key and nonce. No allocation per packet.
/// <para>
/// The counter starts at the wall clock in nanoseconds since 1970 (<see cref="ClockCounter"/>), not at 0: a peer that
/// restarts under the same pre-shared key then never sends a nonce it has used before (it would have to have sent
/// more than one packet per nanosecond), and its first packets are newer than anything the other side's replay
/// window has seen, so the tunnel resumes without a handshake.
/// </para>
/// </remarks>
public sealed class PacketProtector : IDisposable
{
    /// <summary>Bytes in front of the ciphertext.</summary>
    public const int HeaderSize = 12;

    /// <summary>Bytes of the authentication tag.</summary>
    public const int TagSize = 16;

    /// <summary>Bytes a sealed datagram adds to the packet.</summary>
    public const int Overhead = HeaderSize + TagSize;

    private const byte DataType = 1;

    private readonly ChaCha20Poly1305 _send;
    private readonly ChaCha20Poly1305 _receive;
    private readonly ReplayWindow _replay = new();
    private long _counter = -1;

    /// <summary>Creates the protector for one side of the tunnel.</summary>
    /// <param name="preSharedKey">32 bytes shared by both peers.</param>
    /// <param name="isInitiator">The side's role: the two peers must take opposite roles.</param>
    /// <param name="firstCounter">
    /// The first counter value to send; <see langword="null"/> (the default) takes <see cref="ClockCounter"/>. Tests
    /// start far ahead to stay clear of a live peer.
    /// </param>
    public PacketProtector(ReadOnlySpan<byte> preSharedKey, bool isInitiator, ulong? firstCounter = null)
    {
        _counter = (long)(firstCounter ?? ClockCounter()) - 1;
        if (preSharedKey.Length != 32)
        {
            throw new ArgumentException("The pre-shared key must be 32 bytes.", nameof(preSharedKey));
        }

        byte[] forward = Derive(preSharedKey, "LinuxNet TunVpn initiator->responder");
        byte[] backward = Derive(preSharedKey, "LinuxNet TunVpn responder->initiator");
        _send = new ChaCha20Poly1305(isInitiator ? forward : backward);
        _receive = new ChaCha20Poly1305(isInitiator ? backward : forward);
    }

    /// <summary>The counter a new protector starts at: nanoseconds since 1970 by the wall clock (below 2^63 until 2262).</summary>
    public static ulong ClockCounter() => (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    /// <summary>Packets rejected because they did not authenticate (tampered, wrong key) or were malformed.</summary>
    public long Rejected { get; private set; }

    /// <summary>Packets rejected as replays or as too old for the window.</summary>
    public long Replayed { get; private set; }

    /// <summary>Seals <paramref name="packet"/> into <paramref name="datagram"/>.</summary>
    /// <returns>The datagram length: the packet length plus <see cref="Overhead"/>.</returns>
    public int Seal(ReadOnlySpan<byte> packet, Span<byte> datagram)
    {
        int length = packet.Length + Overhead;
        if (datagram.Length < length)
        {
            throw new ArgumentException("The datagram buffer is too small.", nameof(datagram));
        }

        ulong counter = (ulong)Interlocked.Increment(ref _counter);
        Span<byte> header = datagram[..HeaderSize];
        header.Clear();
        header[0] = DataType;
        BinaryPrimitives.WriteUInt64LittleEndian(header[4..], counter);
        Span<byte> nonce = stackalloc byte[12];
        header.CopyTo(nonce);
        nonce[0] = 0;
        _send.Encrypt(nonce, packet, datagram.Slice(HeaderSize, packet.Length), datagram.Slice(HeaderSize + packet.Length, TagSize), header);
        return length;
    }

    /// <summary>Opens a datagram: checks type, tag and replay window, and decrypts into <paramref name="packet"/>.</summary>
    /// <returns>The packet length, or -1 when the datagram is rejected (counted in <see cref="Rejected"/> or <see cref="Replayed"/>).</returns>
    public int Open(ReadOnlySpan<byte> datagram, Span<byte> packet)
    {
        if (datagram.Length < Overhead || datagram[0] != DataType || packet.Length < datagram.Length - Overhead)
        {
            Rejected++;
            return -1;
        }

        ReadOnlySpan<byte> header = datagram[..HeaderSize];
        ulong counter = BinaryPrimitives.ReadUInt64LittleEndian(header[4..]);
        int length = datagram.Length - Overhead;
        Span<byte> nonce = stackalloc byte[12];
        header.CopyTo(nonce);
        nonce[0] = 0;
        try
        {
            _receive.Decrypt(nonce, datagram.Slice(HeaderSize, length), datagram.Slice(HeaderSize + length, TagSize), packet[..length], header);
        }
        catch (AuthenticationTagMismatchException)
        {
            packet[..length].Clear();
            Rejected++;
            return -1;
        }

        if (!_replay.TryAccept(counter))
        {
            Replayed++;
            return -1;
        }

        return length;
    }

    /// <summary>Releases the keys.</summary>
    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }

    private static byte[] Derive(ReadOnlySpan<byte> key, string label)
    {
        byte[] output = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, output, ReadOnlySpan<byte>.Empty, Encoding.ASCII.GetBytes(label));
        return output;
    }
}
