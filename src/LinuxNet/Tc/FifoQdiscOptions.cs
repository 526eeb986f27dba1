using System.Buffers.Binary;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>A pfifo or bfifo qdisc's limit as the kernel reports it (<c>limit 100p</c>, <c>limit 10000b</c>).</summary>
public sealed class FifoQdiscOptions : TcOptions
{
    private FifoQdiscOptions(uint limit, bool bytes)
    {
        Limit = limit;
        IsBytes = bytes;
    }

    /// <summary>The limit: packets for pfifo, bytes for bfifo.</summary>
    public uint Limit { get; }

    /// <summary>Whether <see cref="Limit"/> counts bytes (bfifo).</summary>
    public bool IsBytes { get; }

    /// <summary>Formats the limit as <c>tc qdisc show</c> does.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => IsBytes ? "limit " + TcUnits.FormatSize(Limit) : $"limit {Limit}p";

    internal static FifoQdiscOptions? Parse(NetlinkAttribute options, bool bytes)
        => options.Value.Length >= 4 ? new FifoQdiscOptions(BinaryPrimitives.ReadUInt32LittleEndian(options.Value), bytes) : null;
}
