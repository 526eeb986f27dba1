using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace LinuxNet.Samples.WireGuard.Crypto;

/// <summary>X25519 (RFC 7748) from BouncyCastle: key generation and Diffie-Hellman, the whitepaper's <c>DH</c>.</summary>
public static class Curve25519
{
    /// <summary>Size of keys and of the shared secret.</summary>
    public const int KeySize = 32;

    private static readonly SecureRandom Random = new();

    /// <summary>A new private key (clamped).</summary>
    public static byte[] GeneratePrivateKey()
    {
        byte[] key = new byte[KeySize];
        lock (Random)
        {
            X25519.GeneratePrivateKey(Random, key);
        }

        return key;
    }

    /// <summary>The public key of <paramref name="privateKey"/>.</summary>
    public static byte[] GetPublicKey(ReadOnlySpan<byte> privateKey)
    {
        CheckSize(privateKey, nameof(privateKey));
        byte[] publicKey = new byte[KeySize];
        X25519.GeneratePublicKey(privateKey.ToArray(), 0, publicKey, 0);
        return publicKey;
    }

    /// <summary>DH(private, public) into <paramref name="sharedSecret"/>.</summary>
    /// <returns><see langword="false"/> when the result is all zeros (a low-order public key): the handshake must fail.</returns>
    public static bool TrySharedSecret(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        CheckSize(privateKey, nameof(privateKey));
        CheckSize(publicKey, nameof(publicKey));
        byte[] result = new byte[KeySize];
        bool ok = X25519.CalculateAgreement(privateKey.ToArray(), 0, publicKey.ToArray(), 0, result, 0);
        result.CopyTo(sharedSecret);
        return ok;
    }

    private static void CheckSize(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"an X25519 key is {KeySize} bytes, not {key.Length}", name);
        }
    }
}
