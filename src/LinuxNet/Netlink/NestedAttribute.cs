namespace LinuxNet.Netlink;

/// <summary>
/// A token for a nested attribute opened by <see cref="NetlinkMessageWriter.BeginNested(ushort)"/>; pass it to
/// <see cref="NetlinkMessageWriter.EndNested(NestedAttribute)"/> or <see cref="NetlinkMessageWriter.CancelNested(NestedAttribute)"/>.
/// </summary>
/// <remarks>It holds an offset, not a span, so it stays valid when the writer moves to a larger buffer.</remarks>
public readonly struct NestedAttribute
{
    internal NestedAttribute(int offset, int messageStart, int message)
    {
        Offset = offset;
        MessageStart = messageStart;
        Message = message;
    }

    internal int Offset { get; }

    internal int MessageStart { get; }

    // Which BeginMessage made the token: over an IBufferWriter every message starts at offset 0, and over a span a
    // message begun after CancelMessage starts where the cancelled one did, so the start alone cannot tell them apart.
    internal int Message { get; }
}
