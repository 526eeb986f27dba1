using System;
using System.Runtime.InteropServices;

namespace LinuxNet.Route;

/// <summary>
/// The identity of one watched kernel object, read from its message without allocating: what the kernel itself keys the
/// object by (a link's index; an address's link, prefix length and address; a route's table, destination, source, tos
/// and metric; a neighbour's link and address). Objects with equal keys are the same object in two states.
/// </summary>
/// <remarks>
/// The fields are generic so a new kind maps its identity into them without a new key type (a nexthop's id goes in
/// <see cref="Table"/>): <see cref="Kind"/> keeps kinds apart.
/// </remarks>
[StructLayout(LayoutKind.Auto)]
internal readonly struct WatchKey : IEquatable<WatchKey>
{
    internal WatchKey(RtnetlinkEventKind kind, byte family, int linkIndex, uint table = 0, uint priority = 0, byte prefixLength = 0, byte sourcePrefixLength = 0, byte tos = 0, ReadOnlySpan<byte> address = default, ReadOnlySpan<byte> other = default)
    {
        Kind = kind;
        Family = family;
        LinkIndex = linkIndex;
        Table = table;
        Priority = priority;
        PrefixLength = prefixLength;
        SourcePrefixLength = sourcePrefixLength;
        Tos = tos;
        (Address0, Address1) = Pack(address);
        (Other0, Other1) = Pack(other);
    }

    internal RtnetlinkEventKind Kind { get; }

    internal byte Family { get; }

    internal int LinkIndex { get; }

    internal uint Table { get; }

    internal uint Priority { get; }

    internal byte PrefixLength { get; }

    internal byte SourcePrefixLength { get; }

    internal byte Tos { get; }

    internal ulong Address0 { get; }

    internal ulong Address1 { get; }

    internal ulong Other0 { get; }

    internal ulong Other1 { get; }

    public bool Equals(WatchKey other)
        => Kind == other.Kind && Family == other.Family && LinkIndex == other.LinkIndex && Table == other.Table
            && Priority == other.Priority && PrefixLength == other.PrefixLength && SourcePrefixLength == other.SourcePrefixLength
            && Tos == other.Tos && Address0 == other.Address0 && Address1 == other.Address1 && Other0 == other.Other0 && Other1 == other.Other1;

    public override bool Equals(object? obj) => obj is WatchKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add((int)Kind | (Family << 8) | (PrefixLength << 16) | (Tos << 24));
        hash.Add(LinkIndex);
        hash.Add(Table);
        hash.Add(Priority);
        hash.Add(SourcePrefixLength);
        hash.Add(Address0);
        hash.Add(Address1);
        hash.Add(Other0);
        hash.Add(Other1);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Kind} family {Family} link {LinkIndex} table {Table} prio {Priority} /{PrefixLength} {Address0:x}{Address1:x}";

    private static (ulong, ulong) Pack(ReadOnlySpan<byte> bytes)
    {
        Span<byte> buffer = stackalloc byte[16];
        buffer.Clear();
        bytes.Slice(0, Math.Min(bytes.Length, 16)).CopyTo(buffer);
        return (MemoryMarshal.Read<ulong>(buffer), MemoryMarshal.Read<ulong>(buffer.Slice(8)));
    }
}
