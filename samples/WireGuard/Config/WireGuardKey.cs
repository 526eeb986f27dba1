namespace LinuxNet.Samples.WireGuard.Config;

/// <summary>Keys as <c>wg</c> writes them: 32 bytes in base64 (44 characters).</summary>
public static class WireGuardKey
{
    /// <summary>Size of a key.</summary>
    public const int Size = 32;

    /// <summary>Decodes a base64 key.</summary>
    /// <exception cref="FormatException">Not base64, or not 32 bytes.</exception>
    public static byte[] Parse(string text)
    {
        byte[] key = new byte[Size];
        if (text.Length != 44 || !Convert.TryFromBase64String(text, key, out int written) || written != Size)
        {
            throw new FormatException($"'{text}' is not a key (32 bytes in base64, 44 characters)");
        }

        return key;
    }

    /// <summary>Encodes a key in base64.</summary>
    public static string Format(ReadOnlySpan<byte> key) => Convert.ToBase64String(key);
}
