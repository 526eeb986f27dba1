using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace LinuxNet.Samples.WireGuard.Crypto;

/// <summary>
/// The whitepaper's <c>Hash</c>, <c>Mac</c> and <c>Hmac</c> (section 5.4), all BLAKE2s from BouncyCastle: Hash is
/// BLAKE2s-256, Mac is keyed BLAKE2s with a 16-byte output, Hmac is RFC 2104 HMAC over BLAKE2s-256.
/// </summary>
/// <remarks>Used by the handshake only (a few calls per handshake); the data path never hashes.</remarks>
public static class Blake2s
{
    /// <summary>Output size of <see cref="Hash(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> and <see cref="Hmac"/>.</summary>
    public const int HashSize = 32;

    /// <summary>Output size of <see cref="Mac"/>.</summary>
    public const int MacSize = 16;

    /// <summary>Hash(<paramref name="first"/> ‖ <paramref name="second"/>) into <paramref name="output"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> output)
    {
        var digest = new Blake2sDigest(256);
        digest.BlockUpdate(first);
        digest.BlockUpdate(second);
        digest.DoFinal(output);
    }

    /// <summary>Hash(<paramref name="input"/>) into <paramref name="output"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output) => Hash(input, ReadOnlySpan<byte>.Empty, output);

    /// <summary>Mac(key, input): keyed BLAKE2s with a 16-byte digest.</summary>
    public static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var digest = new Blake2sDigest(key.ToArray(), MacSize, null, null);
        digest.BlockUpdate(input);
        digest.DoFinal(output);
    }

    /// <summary>Hmac(key, input): HMAC-BLAKE2s-256.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var hmac = new HMac(new Blake2sDigest(256));
        hmac.Init(new KeyParameter(key.ToArray()));
        hmac.BlockUpdate(input);
        hmac.DoFinal(output);
    }
}
