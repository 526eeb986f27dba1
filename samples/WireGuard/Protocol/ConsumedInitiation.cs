namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>What a responder learned from an initiation that decrypted: who sent it, when, and the Noise state to continue from.</summary>
public sealed class ConsumedInitiation
{
    internal ConsumedInitiation(byte[] remoteStatic, byte[] timestamp, uint senderIndex, byte[] remoteEphemeral, byte[] hash, byte[] chainingKey)
    {
        RemoteStatic = remoteStatic;
        Timestamp = timestamp;
        SenderIndex = senderIndex;
        RemoteEphemeral = remoteEphemeral;
        Hash = hash;
        ChainingKey = chainingKey;
    }

    /// <summary>The initiator's static public key.</summary>
    public byte[] RemoteStatic { get; }

    /// <summary>The TAI64N timestamp.</summary>
    public byte[] Timestamp { get; }

    /// <summary>The initiator's index.</summary>
    public uint SenderIndex { get; }

    internal byte[] RemoteEphemeral { get; }

    internal byte[] Hash { get; }

    internal byte[] ChainingKey { get; }
}
