using System.Buffers.Binary;
using LinuxNet.Samples.WireGuard.Crypto;

namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// The sender's side of the cookie mechanism (whitepaper 5.4.4, 5.4.7), one per peer: writes mac1 on every
/// handshake message sent to the peer, mac2 while a cookie from the peer is fresh, and consumes cookie replies.
/// </summary>
public sealed class CookieGenerator
{
    private readonly Identity _remote;
    private readonly TimeProvider _time;
    private readonly byte[] _lastMac1 = new byte[Blake2s.MacSize];
    private readonly byte[] _cookie = new byte[Blake2s.MacSize];
    private bool _lastMac1Valid;
    private long _cookieReceived;
    private bool _hasCookie;

    /// <summary>Creates the generator for messages to <paramref name="remote"/>.</summary>
    public CookieGenerator(Identity remote, TimeProvider time, TimeSpan cookieLifetime)
    {
        _remote = remote;
        _time = time;
        CookieLifetime = cookieLifetime;
    }

    /// <summary>How long a received cookie is used for mac2 (Cookie-Refresh-Time, 120 s).</summary>
    public TimeSpan CookieLifetime { get; }

    /// <summary>Whether a fresh cookie is held (the next handshake message carries mac2).</summary>
    public bool HasFreshCookie => _hasCookie && _time.GetElapsedTime(_cookieReceived) < CookieLifetime;

    /// <summary>Writes mac1 and mac2 (zeros without a fresh cookie) at the end of <paramref name="message"/>.</summary>
    public void AddMacs(Span<byte> message)
    {
        int mac1 = MessageLayout.Mac1Offset(message.Length);
        int mac2 = MessageLayout.Mac2Offset(message.Length);
        lock (_cookie)
        {
            Blake2s.Mac(_remote.Mac1Key, message[..mac1], message.Slice(mac1, Blake2s.MacSize));
            message.Slice(mac1, Blake2s.MacSize).CopyTo(_lastMac1);
            _lastMac1Valid = true;
            if (HasFreshCookie)
            {
                Blake2s.Mac(_cookie, message[..mac2], message.Slice(mac2, Blake2s.MacSize));
            }
            else
            {
                message.Slice(mac2, Blake2s.MacSize).Clear();
            }
        }
    }

    /// <summary>Consumes a cookie reply to the last message sent.</summary>
    /// <returns><see langword="false"/> when it does not decrypt, or answers no message we sent.</returns>
    public bool TryConsumeReply(ReadOnlySpan<byte> reply)
    {
        if (reply.Length != MessageLayout.CookieReplySize || reply[0] != MessageLayout.CookieReply)
        {
            return false;
        }

        lock (_cookie)
        {
            if (!_lastMac1Valid)
            {
                return false;
            }

            Span<byte> cookie = stackalloc byte[Blake2s.MacSize];
            if (!XAead.TryOpen(_remote.CookieKey, reply.Slice(8, XAead.NonceSize), reply[32..64], _lastMac1, cookie))
            {
                return false;
            }

            cookie.CopyTo(_cookie);
            _cookieReceived = _time.GetTimestamp();
            _hasCookie = true;
            _lastMac1Valid = false;
            return true;
        }
    }

    /// <summary>The receiver index of a cookie reply.</summary>
    public static uint ReceiverOf(ReadOnlySpan<byte> reply) => BinaryPrimitives.ReadUInt32LittleEndian(reply[MessageLayout.ReceiverOffset..]);
}
