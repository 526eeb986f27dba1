namespace LinuxNet.Samples.WireGuard.Lab;

/// <summary>The outcome of <see cref="WireGuardLab.Transfer"/>.</summary>
/// <param name="Sent">Bytes the sender wrote.</param>
/// <param name="Received">Bytes the receiver read.</param>
/// <param name="Intact">Whether all sent bytes arrived and their SHA-256 matches.</param>
/// <param name="Duration">Connect to last byte.</param>
public readonly record struct TransferResult(long Sent, long Received, bool Intact, TimeSpan Duration);
