namespace LinuxNet.Netlink;

/// <summary>
/// A token for a nested attribute opened by <see cref="NetlinkMessageWriter.BeginNested(ushort)"/>; pass it to
/// <see cref="NetlinkMessageWriter.EndNested(NestedAttribute)"/> or <see cref="NetlinkMessageWriter.CancelNested(NestedAttribute)"/>.
/// </summary>
/// <remarks>It holds an offset, not a span, so it stays valid when the writer moves to a larger buffer.</remarks>
public readonly struct NestedAttribute
{
    internal NestedAttribute(int offset, int messageStart)
    {
        Offset = offset;
        MessageStart = messageStart;
    }

    internal int Offset { get; }

    internal int MessageStart { get; }
}
