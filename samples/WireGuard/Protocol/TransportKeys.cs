namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>The outcome of a completed handshake: the two transport keys and the indices of both ends.</summary>
/// <param name="SendKey">Key of messages this side sends.</param>
/// <param name="ReceiveKey">Key of messages this side receives.</param>
/// <param name="LocalIndex">The index the peer puts in messages to this side.</param>
/// <param name="RemoteIndex">The index this side puts in messages to the peer.</param>
/// <param name="IsInitiator">Whether this side sent the initiation (only the initiator rekeys on time).</param>
public sealed record TransportKeys(byte[] SendKey, byte[] ReceiveKey, uint LocalIndex, uint RemoteIndex, bool IsInitiator);
