using System.Text;
using LinuxNet.Samples.WireGuard.Crypto;

namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// A static X25519 key pair and what the protocol derives from a public key: the mac1 key
/// Hash("mac1----" ‖ public) and the cookie key Hash("cookie--" ‖ public) (whitepaper 5.4.4, 5.4.7).
/// </summary>
public sealed class Identity
{
    private static readonly byte[] LabelMac1 = Encoding.ASCII.GetBytes("mac1----");
    private static readonly byte[] LabelCookie = Encoding.ASCII.GetBytes("cookie--");

    private Identity(byte[]? privateKey, byte[] publicKey)
    {
        PrivateKey = privateKey;
        PublicKey = publicKey;
        Mac1Key = new byte[Blake2s.HashSize];
        CookieKey = new byte[Blake2s.HashSize];
        Blake2s.Hash(LabelMac1, publicKey, Mac1Key);
        Blake2s.Hash(LabelCookie, publicKey, CookieKey);
    }

    /// <summary>The private key, or <see langword="null"/> for a remote identity.</summary>
    public byte[]? PrivateKey { get; }

    /// <summary>The public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Key of mac1 on messages sent to this identity.</summary>
    public byte[] Mac1Key { get; }

    /// <summary>Key of the XChaCha20-Poly1305 cookie in replies from this identity.</summary>
    public byte[] CookieKey { get; }

    /// <summary>The local identity of <paramref name="privateKey"/>.</summary>
    public static Identity FromPrivateKey(ReadOnlySpan<byte> privateKey) => new(privateKey.ToArray(), Curve25519.GetPublicKey(privateKey));

    /// <summary>A remote identity (public key only).</summary>
    public static Identity FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Curve25519.KeySize)
        {
            throw new ArgumentException($"a public key is {Curve25519.KeySize} bytes", nameof(publicKey));
        }

        return new Identity(null, publicKey.ToArray());
    }
}
