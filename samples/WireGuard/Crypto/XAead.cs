using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace LinuxNet.Samples.WireGuard.Crypto;

/// <summary>The whitepaper's <c>Xaead</c>: XChaCha20-Poly1305 with a 24-byte nonce, from BouncyCastle (cookie replies only).</summary>
public static class XAead
{
    /// <summary>Nonce size.</summary>
    public const int NonceSize = 24;

    /// <summary>Tag size.</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (plaintext length + 16).</summary>
    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertext)
    {
        XChaCha20Poly1305 cipher = Create(true, key, nonce, associatedData);
        int n = cipher.ProcessBytes(plaintext, ciphertext);
        cipher.DoFinal(ciphertext[n..]);
    }

    /// <summary>Decrypts and authenticates <paramref name="ciphertext"/> into <paramref name="plaintext"/> (ciphertext length - 16).</summary>
    /// <returns><see langword="false"/> when the tag does not verify.</returns>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        XChaCha20Poly1305 cipher = Create(false, key, nonce, associatedData);
        byte[] output = new byte[ciphertext.Length - TagSize];
        try
        {
            int n = cipher.ProcessBytes(ciphertext, output);
            cipher.DoFinal(output.AsSpan(n));
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
        {
            return false;
        }

        output.CopyTo(plaintext);
        return true;
    }

    private static XChaCha20Poly1305 Create(bool encrypt, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData)
    {
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"the nonce is {NonceSize} bytes", nameof(nonce));
        }

        var cipher = new XChaCha20Poly1305();
        cipher.Init(encrypt, new AeadParameters(new KeyParameter(key.ToArray()), TagSize * 8, nonce.ToArray(), associatedData.ToArray()));
        return cipher;
    }
}
