namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// Byte layouts of the four WireGuard messages (whitepaper section 5.4). Every message starts with a type byte and
/// three reserved zero bytes; integers are little-endian.
/// </summary>
public static class MessageLayout
{
    /// <summary>Type of a handshake initiation.</summary>
    public const byte Initiation = 1;

    /// <summary>Type of a handshake response.</summary>
    public const byte Response = 2;

    /// <summary>Type of a cookie reply.</summary>
    public const byte CookieReply = 3;

    /// <summary>Type of a transport data message.</summary>
    public const byte Transport = 4;

    /// <summary>Size of an initiation: type, sender, ephemeral, static (32 + 16), timestamp (12 + 16), mac1, mac2.</summary>
    public const int InitiationSize = 148;

    /// <summary>Size of a response: type, sender, receiver, ephemeral, empty (0 + 16), mac1, mac2.</summary>
    public const int ResponseSize = 92;

    /// <summary>Size of a cookie reply: type, receiver, nonce (24), cookie (16 + 16).</summary>
    public const int CookieReplySize = 64;

    /// <summary>Size of the transport header in front of the encrypted packet: type, receiver, counter (8).</summary>
    public const int TransportHeaderSize = 16;

    /// <summary>Size of the Poly1305 tag behind the encrypted packet.</summary>
    public const int TagSize = 16;

    /// <summary>The smallest transport message: a keepalive (header and tag, no payload).</summary>
    public const int MinTransportSize = TransportHeaderSize + TagSize;

    /// <summary>Packets are padded to a multiple of this before encryption.</summary>
    public const int PaddingMultiple = 16;

    /// <summary>Offset of the sender index in initiations and responses.</summary>
    public const int SenderOffset = 4;

    /// <summary>Offset of the receiver index in responses.</summary>
    public const int ResponseReceiverOffset = 8;

    /// <summary>Offset of the receiver index in cookie replies and transport messages.</summary>
    public const int ReceiverOffset = 4;

    /// <summary>Offset of the counter in transport messages.</summary>
    public const int CounterOffset = 8;

    /// <summary>Offset of mac1 in a handshake message of <paramref name="size"/> bytes (mac1 and mac2 close every handshake message).</summary>
    public static int Mac1Offset(int size) => size - 32;

    /// <summary>Offset of mac2 in a handshake message of <paramref name="size"/> bytes.</summary>
    public static int Mac2Offset(int size) => size - 16;
}
