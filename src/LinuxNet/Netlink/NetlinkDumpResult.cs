using System;

namespace LinuxNet.Netlink;

/// <summary>The outcome of <see cref="NetlinkSocket.Dump{TState}(Span{byte}, TState, NetlinkMessageHandler{TState}?, Action{TState}?)"/>.</summary>
public readonly struct NetlinkDumpResult : IEquatable<NetlinkDumpResult>
{
    /// <summary>Creates a result.</summary>
    /// <param name="messageCount">The data messages passed to the handler in the final attempt.</param>
    /// <param name="attempts">How many times the request was sent (1 when nothing was restarted).</param>
    /// <param name="isConsistent">Whether the final attempt was read without the kernel flagging a concurrent change.</param>
    public NetlinkDumpResult(int messageCount, int attempts, bool isConsistent)
    {
        MessageCount = messageCount;
        Attempts = attempts;
        IsConsistent = isConsistent;
    }

    /// <summary>The data messages passed to the handler in the final attempt.</summary>
    public int MessageCount { get; }

    /// <summary>How many times the request was sent: 1, plus one per restart.</summary>
    public int Attempts { get; }

    /// <summary>
    /// <see langword="false"/> when the kernel flagged the final attempt <c>NLM_F_DUMP_INTR</c> and
    /// <see cref="NetlinkSocketOptions.AcceptInconsistentDumps"/> let it through: some entries may be missing or doubled.
    /// </summary>
    public bool IsConsistent { get; }

    /// <inheritdoc/>
    public bool Equals(NetlinkDumpResult other) => MessageCount == other.MessageCount && Attempts == other.Attempts && IsConsistent == other.IsConsistent;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetlinkDumpResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (MessageCount * 397) ^ (Attempts * 31) ^ (IsConsistent ? 1 : 0);

    /// <summary>Compares two results.</summary>
    /// <param name="left">One result.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when all fields are equal.</returns>
    public static bool operator ==(NetlinkDumpResult left, NetlinkDumpResult right) => left.Equals(right);

    /// <summary>Compares two results.</summary>
    /// <param name="left">One result.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when a field differs.</returns>
    public static bool operator !=(NetlinkDumpResult left, NetlinkDumpResult right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"{MessageCount} message(s) in {Attempts} attempt(s){(IsConsistent ? string.Empty : ", inconsistent")}";
}
