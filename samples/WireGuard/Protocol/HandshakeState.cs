using System.Security.Cryptography;

namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>An initiator's half-done handshake: the Noise state between sending an initiation and consuming its response.</summary>
public sealed class HandshakeState
{
    /// <summary>Whether an initiation was sent and its response not consumed yet.</summary>
    public bool IsInitiationSent { get; private set; }

    /// <summary>The index in the initiation (the response comes back to it).</summary>
    public uint LocalIndex { get; private set; }

    internal byte[] EphemeralPrivate { get; private set; } = new byte[32];

    internal byte[] Hash { get; private set; } = new byte[32];

    internal byte[] ChainingKey { get; private set; } = new byte[32];

    /// <summary>Forgets the state (after a response, or when giving up).</summary>
    public void Clear()
    {
        IsInitiationSent = false;
        CryptographicOperations.ZeroMemory(EphemeralPrivate);
        CryptographicOperations.ZeroMemory(ChainingKey);
    }

    internal void Begin(uint localIndex, byte[] ephemeralPrivate, byte[] hash, byte[] chainingKey)
    {
        LocalIndex = localIndex;
        EphemeralPrivate = ephemeralPrivate;
        Hash = hash;
        ChainingKey = chainingKey;
        IsInitiationSent = true;
    }
}
