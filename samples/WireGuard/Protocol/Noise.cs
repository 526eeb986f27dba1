using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LinuxNet.Samples.WireGuard.Crypto;

namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// The Noise_IKpsk2 handshake of the whitepaper (section 5.4.2 – 5.4.5): building and consuming initiations and
/// responses, and deriving the transport keys. mac1/mac2 are <see cref="CookieGenerator"/>'s job; who the peers are
/// and whether a timestamp is fresh is the caller's.
/// </summary>
public static class Noise
{
    private static readonly byte[] Construction = Encoding.ASCII.GetBytes("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    private static readonly byte[] Identifier = Encoding.ASCII.GetBytes("WireGuard v1 zx2c4 Jason@zx2c4.com");

    /// <summary>C0 = Hash(Construction).</summary>
    public static byte[] InitialChainingKey { get; } = ComputeInitialChainingKey();

    /// <summary>H0 = Hash(C0 ‖ Identifier).</summary>
    public static byte[] InitialHash { get; } = ComputeInitialHash();

    /// <summary>Writes an initiation (up to mac1) from <paramref name="local"/> to <paramref name="remote"/> and keeps the state in <paramref name="state"/>.</summary>
    public static void CreateInitiation(Identity local, Identity remote, uint senderIndex, ReadOnlySpan<byte> timestamp, HandshakeState state, Span<byte> message)
    {
        byte[] c = (byte[])InitialChainingKey.Clone();
        byte[] h = new byte[32];
        MixHash(InitialHash, remote.PublicKey, h);
        byte[] ephemeral = Curve25519.GeneratePrivateKey();
        byte[] ephemeralPublic = Curve25519.GetPublicKey(ephemeral);

        message[..4].Clear();
        message[0] = MessageLayout.Initiation;
        BinaryPrimitives.WriteUInt32LittleEndian(message[4..], senderIndex);
        ephemeralPublic.CopyTo(message[8..40]);
        Kdf.Derive(c, ephemeralPublic, c, default, default);
        MixHash(h, ephemeralPublic, h);

        Span<byte> key = stackalloc byte[32];
        Span<byte> dh = stackalloc byte[32];
        if (!Curve25519.TrySharedSecret(ephemeral, remote.PublicKey, dh))
        {
            throw new CryptographicException("the peer's public key is of low order");
        }

        Kdf.Derive(c, dh, c, key, default);
        Aead.SealHandshake(key, local.PublicKey, h, message[40..88]);
        MixHash(h, message[40..88], h);

        if (!Curve25519.TrySharedSecret(local.PrivateKey!, remote.PublicKey, dh))
        {
            throw new CryptographicException("the peer's public key is of low order");
        }

        Kdf.Derive(c, dh, c, key, default);
        Aead.SealHandshake(key, timestamp, h, message[88..116]);
        MixHash(h, message[88..116], h);

        state.Begin(senderIndex, ephemeral, h, c);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(dh);
    }

    /// <summary>Decrypts an initiation sent to <paramref name="local"/>.</summary>
    /// <returns><see langword="null"/> when it does not decrypt (not for us, corrupted, bad key).</returns>
    public static ConsumedInitiation? ConsumeInitiation(Identity local, ReadOnlySpan<byte> message)
    {
        if (message.Length != MessageLayout.InitiationSize || message[0] != MessageLayout.Initiation)
        {
            return null;
        }

        byte[] c = (byte[])InitialChainingKey.Clone();
        byte[] h = new byte[32];
        MixHash(InitialHash, local.PublicKey, h);
        byte[] remoteEphemeral = message[8..40].ToArray();
        Kdf.Derive(c, remoteEphemeral, c, default, default);
        MixHash(h, remoteEphemeral, h);

        Span<byte> key = stackalloc byte[32];
        Span<byte> dh = stackalloc byte[32];
        if (!Curve25519.TrySharedSecret(local.PrivateKey!, remoteEphemeral, dh))
        {
            return null;
        }

        Kdf.Derive(c, dh, c, key, default);
        byte[] remoteStatic = new byte[32];
        if (!Aead.TryOpenHandshake(key, message[40..88], h, remoteStatic))
        {
            return null;
        }

        MixHash(h, message[40..88], h);
        if (!Curve25519.TrySharedSecret(local.PrivateKey!, remoteStatic, dh))
        {
            return null;
        }

        Kdf.Derive(c, dh, c, key, default);
        byte[] timestamp = new byte[Tai64N.Size];
        if (!Aead.TryOpenHandshake(key, message[88..116], h, timestamp))
        {
            return null;
        }

        MixHash(h, message[88..116], h);
        uint sender = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        return new ConsumedInitiation(remoteStatic, timestamp, sender, remoteEphemeral, h, c);
    }

    /// <summary>Writes the response (up to mac1) to a consumed initiation and derives this responder's keys.</summary>
    public static TransportKeys CreateResponse(ConsumedInitiation initiation, ReadOnlySpan<byte> presharedKey, uint senderIndex, Span<byte> message)
    {
        byte[] c = (byte[])initiation.ChainingKey.Clone();
        byte[] h = (byte[])initiation.Hash.Clone();
        byte[] ephemeral = Curve25519.GeneratePrivateKey();
        byte[] ephemeralPublic = Curve25519.GetPublicKey(ephemeral);

        message[..4].Clear();
        message[0] = MessageLayout.Response;
        BinaryPrimitives.WriteUInt32LittleEndian(message[4..], senderIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(message[8..], initiation.SenderIndex);
        ephemeralPublic.CopyTo(message[12..44]);
        Kdf.Derive(c, ephemeralPublic, c, default, default);
        MixHash(h, ephemeralPublic, h);

        Span<byte> dh = stackalloc byte[32];
        if (!Curve25519.TrySharedSecret(ephemeral, initiation.RemoteEphemeral, dh))
        {
            throw new CryptographicException("the initiator's ephemeral key is of low order");
        }

        Kdf.Derive(c, dh, c, default, default);
        if (!Curve25519.TrySharedSecret(ephemeral, initiation.RemoteStatic, dh))
        {
            throw new CryptographicException("the initiator's static key is of low order");
        }

        Kdf.Derive(c, dh, c, default, default);
        Span<byte> tau = stackalloc byte[32];
        Span<byte> key = stackalloc byte[32];
        Kdf.Derive(c, PresharedKeyOrZero(presharedKey), c, tau, key);
        MixHash(h, tau, h);
        Aead.SealHandshake(key, ReadOnlySpan<byte>.Empty, h, message[44..60]);

        byte[] receive = new byte[32];
        byte[] send = new byte[32];
        Kdf.Derive(c, ReadOnlySpan<byte>.Empty, receive, send, default);
        CryptographicOperations.ZeroMemory(dh);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(c);
        CryptographicOperations.ZeroMemory(ephemeral);
        return new TransportKeys(send, receive, senderIndex, initiation.SenderIndex, IsInitiator: false);
    }

    /// <summary>Consumes a response to the initiation kept in <paramref name="state"/> and derives the initiator's keys.</summary>
    /// <returns><see langword="null"/> when it does not decrypt (wrong peer key, wrong pre-shared key, corrupted).</returns>
    public static TransportKeys? ConsumeResponse(Identity local, HandshakeState state, ReadOnlySpan<byte> presharedKey, ReadOnlySpan<byte> message)
    {
        if (message.Length != MessageLayout.ResponseSize || message[0] != MessageLayout.Response || !state.IsInitiationSent)
        {
            return null;
        }

        byte[] c = (byte[])state.ChainingKey.Clone();
        byte[] h = (byte[])state.Hash.Clone();
        ReadOnlySpan<byte> remoteEphemeral = message[12..44];
        Kdf.Derive(c, remoteEphemeral, c, default, default);
        MixHash(h, remoteEphemeral, h);

        Span<byte> dh = stackalloc byte[32];
        if (!Curve25519.TrySharedSecret(state.EphemeralPrivate, remoteEphemeral, dh))
        {
            return null;
        }

        Kdf.Derive(c, dh, c, default, default);
        if (!Curve25519.TrySharedSecret(local.PrivateKey!, remoteEphemeral, dh))
        {
            return null;
        }

        Kdf.Derive(c, dh, c, default, default);
        Span<byte> tau = stackalloc byte[32];
        Span<byte> key = stackalloc byte[32];
        Kdf.Derive(c, PresharedKeyOrZero(presharedKey), c, tau, key);
        MixHash(h, tau, h);
        if (!Aead.TryOpenHandshake(key, message[44..60], h, Span<byte>.Empty))
        {
            return null;
        }

        byte[] send = new byte[32];
        byte[] receive = new byte[32];
        Kdf.Derive(c, ReadOnlySpan<byte>.Empty, send, receive, default);
        uint remoteIndex = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        CryptographicOperations.ZeroMemory(c);
        return new TransportKeys(send, receive, state.LocalIndex, remoteIndex, IsInitiator: true);
    }

    private static ReadOnlySpan<byte> PresharedKeyOrZero(ReadOnlySpan<byte> presharedKey) => presharedKey.IsEmpty ? new byte[32] : presharedKey;

    private static void MixHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> data, Span<byte> output) => Blake2s.Hash(hash, data, output);

    private static byte[] ComputeInitialChainingKey()
    {
        byte[] c = new byte[32];
        Blake2s.Hash(Construction, c);
        return c;
    }

    private static byte[] ComputeInitialHash()
    {
        byte[] h = new byte[32];
        Blake2s.Hash(ComputeInitialChainingKey(), Identifier, h);
        return h;
    }
}
