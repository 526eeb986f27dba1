using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using LinuxNet.Samples.WireGuard.Crypto;

namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// The receiver's side of the cookie mechanism (whitepaper 5.3, 5.4.7), one per device: checks mac1 (keyed with
/// our public key) on every handshake message, checks mac2 against the cookie of the sender's address, and writes
/// cookie replies. The cookie is Mac(R, address ‖ port) with a secret R that changes every two minutes.
/// </summary>
public sealed class CookieChecker
{
    private readonly Identity _local;
    private readonly TimeProvider _time;
    private readonly byte[] _secret = new byte[32];
    private long _secretCreated;

    /// <summary>Creates the checker for messages to <paramref name="local"/>.</summary>
    public CookieChecker(Identity local, TimeProvider time, TimeSpan secretLifetime)
    {
        _local = local;
        _time = time;
        SecretLifetime = secretLifetime;
        RandomNumberGenerator.Fill(_secret);
        _secretCreated = time.GetTimestamp();
    }

    /// <summary>How long one secret R is used (Cookie-Refresh-Time, 120 s).</summary>
    public TimeSpan SecretLifetime { get; }

    /// <summary>Checks mac1, and mac2 for the message's source <paramref name="source"/>.</summary>
    public MacCheck Check(ReadOnlySpan<byte> message, IPEndPoint source)
    {
        int mac1 = MessageLayout.Mac1Offset(message.Length);
        int mac2 = MessageLayout.Mac2Offset(message.Length);
        Span<byte> expected = stackalloc byte[Blake2s.MacSize];
        Blake2s.Mac(_local.Mac1Key, message[..mac1], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, message.Slice(mac1, Blake2s.MacSize)))
        {
            return MacCheck.Invalid;
        }

        Span<byte> cookie = stackalloc byte[Blake2s.MacSize];
        MakeCookie(source, cookie);
        Blake2s.Mac(cookie, message[..mac2], expected);
        return CryptographicOperations.FixedTimeEquals(expected, message.Slice(mac2, Blake2s.MacSize)) ? MacCheck.Mac2Valid : MacCheck.Mac1Valid;
    }

    /// <summary>Writes the cookie reply (64 bytes) to <paramref name="message"/> received from <paramref name="source"/>.</summary>
    public void CreateReply(ReadOnlySpan<byte> message, IPEndPoint source, Span<byte> reply)
    {
        int mac1 = MessageLayout.Mac1Offset(message.Length);
        uint sender = BinaryPrimitives.ReadUInt32LittleEndian(message[MessageLayout.SenderOffset..]);
        reply[..4].Clear();
        reply[0] = MessageLayout.CookieReply;
        BinaryPrimitives.WriteUInt32LittleEndian(reply[4..], sender);
        RandomNumberGenerator.Fill(reply.Slice(8, XAead.NonceSize));
        Span<byte> cookie = stackalloc byte[Blake2s.MacSize];
        MakeCookie(source, cookie);
        XAead.Seal(_local.CookieKey, reply.Slice(8, XAead.NonceSize), cookie, message.Slice(mac1, Blake2s.MacSize), reply[32..64]);
    }

    private void MakeCookie(IPEndPoint source, Span<byte> cookie)
    {
        lock (_secret)
        {
            if (_time.GetElapsedTime(_secretCreated) >= SecretLifetime)
            {
                RandomNumberGenerator.Fill(_secret);
                _secretCreated = _time.GetTimestamp();
            }

            IPAddress address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
            Span<byte> input = stackalloc byte[18];
            address.TryWriteBytes(input, out int length);
            BinaryPrimitives.WriteUInt16BigEndian(input[length..], (ushort)source.Port);
            Blake2s.Mac(_secret, input[..(length + 2)], cookie);
        }
    }
}
