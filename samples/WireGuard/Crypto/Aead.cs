using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LinuxNet.Samples.WireGuard.Crypto;

/// <summary>
/// The whitepaper's <c>Aead</c>: ChaCha20-Poly1305 (RFC 7539) from the BCL, nonce = 32 zero bits ‖ 64-bit
/// little-endian counter. Encryption and decryption work in place (plaintext and ciphertext the same span).
/// </summary>
public static class Aead
{
    /// <summary>Size of the Poly1305 tag appended to every ciphertext.</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> and writes the tag into <paramref name="tag"/>.</summary>
    public static void Seal(ChaCha20Poly1305 cipher, ulong counter, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, counter);
        cipher.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
    }

    /// <summary>Decrypts <paramref name="ciphertext"/> (tag in <paramref name="tag"/>) into <paramref name="plaintext"/>.</summary>
    /// <returns><see langword="false"/> when the tag does not verify (nothing of the output may be used then).</returns>
    public static bool TryOpen(ChaCha20Poly1305 cipher, ulong counter, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, counter);
        try
        {
            cipher.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>Aead(key, 0, plaintext, ad) of the handshake: output is ciphertext ‖ tag.</summary>
    public static void SealHandshake(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output)
    {
        using var cipher = new ChaCha20Poly1305(key);
        Seal(cipher, 0, plaintext, output[..plaintext.Length], output.Slice(plaintext.Length, TagSize), associatedData);
    }

    /// <summary>The inverse of <see cref="SealHandshake"/>.</summary>
    public static bool TryOpenHandshake(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        using var cipher = new ChaCha20Poly1305(key);
        int length = input.Length - TagSize;
        return TryOpen(cipher, 0, input[..length], input[length..], plaintext[..length], associatedData);
    }

    private static void WriteNonce(Span<byte> nonce, ulong counter)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }
}
