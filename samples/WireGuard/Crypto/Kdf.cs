namespace LinuxNet.Samples.WireGuard.Crypto;

/// <summary>
/// The whitepaper's HKDF (section 5.4): τ0 = Hmac(key, input), τ1 = Hmac(τ0, 0x1), τi = Hmac(τ0, τ(i-1) ‖ i);
/// <c>Kdf1</c>, <c>Kdf2</c> and <c>Kdf3</c> return the first one, two or three τ.
/// </summary>
public static class Kdf
{
    /// <summary>Derives one, two or three 32-byte outputs; pass empty spans for the outputs not wanted.</summary>
    /// <param name="key">The chaining key.</param>
    /// <param name="input">The input key material.</param>
    /// <param name="first">τ1 (32 bytes).</param>
    /// <param name="second">τ2 (32 bytes) or empty.</param>
    /// <param name="third">τ3 (32 bytes) or empty; needs <paramref name="second"/>.</param>
    public static void Derive(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> first, Span<byte> second, Span<byte> third)
    {
        if (!third.IsEmpty && second.IsEmpty)
        {
            throw new ArgumentException("the third output needs the second", nameof(second));
        }

        Span<byte> secret = stackalloc byte[Blake2s.HashSize];
        Span<byte> block = stackalloc byte[Blake2s.HashSize + 1];
        Blake2s.Hmac(key, input, secret);
        block[0] = 1;
        Blake2s.Hmac(secret, block[..1], block[..Blake2s.HashSize]);
        block[..Blake2s.HashSize].CopyTo(first);
        if (!second.IsEmpty)
        {
            block[Blake2s.HashSize] = 2;
            Blake2s.Hmac(secret, block, block[..Blake2s.HashSize]);
            block[..Blake2s.HashSize].CopyTo(second);
        }

        if (!third.IsEmpty)
        {
            block[Blake2s.HashSize] = 3;
            Blake2s.Hmac(secret, block, block[..Blake2s.HashSize]);
            block[..Blake2s.HashSize].CopyTo(third);
        }

        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(block);
    }
}
