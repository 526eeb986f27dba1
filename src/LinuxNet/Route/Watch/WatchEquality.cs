using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Says which attributes of a kind's message are state and which change by themselves (counters, timers, cache
/// timestamps): the state is compared, the rest is skipped. Implemented by a struct per kind, so the comparison is
/// specialised and allocation-free.
/// </summary>
internal interface IAttributeComparer
{
    /// <summary>Whether an attribute (at top level) is not state: counters, timers, lifetimes counting down.</summary>
    bool Skip(ushort type);

    /// <summary>Compares the values of two state attributes of the same type (bytes, or nested with their own skips).</summary>
    bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b);
}

/// <summary>
/// State equality of two messages about the same object: the family header (with the bytes that describe the
/// notification rather than the object masked out) and the state attributes in order. An attribute present in one
/// message and not in the other makes them differ.
/// </summary>
internal static class WatchEquality
{
    /// <summary>Compares two payloads (family header + attributes).</summary>
    /// <param name="a">One payload (without <c>nlmsghdr</c>).</param>
    /// <param name="b">The other.</param>
    /// <param name="headerSize">The family header's size (e.g. 16 for <c>ifinfomsg</c>).</param>
    /// <param name="maskStart">The first header byte to ignore, or -1.</param>
    /// <param name="maskLength">How many header bytes to ignore.</param>
    /// <typeparam name="TComparer">The kind's attribute comparer.</typeparam>
    /// <returns>Whether the object's state is the same in both.</returns>
    internal static bool PayloadEquals<TComparer>(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int headerSize, int maskStart = -1, int maskLength = 0)
        where TComparer : struct, IAttributeComparer
    {
        if (a.Length < headerSize || b.Length < headerSize)
        {
            return a.SequenceEqual(b);
        }

        if (maskStart < 0)
        {
            if (!a.Slice(0, headerSize).SequenceEqual(b.Slice(0, headerSize)))
            {
                return false;
            }
        }
        else if (!a.Slice(0, maskStart).SequenceEqual(b.Slice(0, maskStart))
            || !a.Slice(maskStart + maskLength, headerSize - maskStart - maskLength).SequenceEqual(b.Slice(maskStart + maskLength, headerSize - maskStart - maskLength)))
        {
            return false;
        }

        return AttributesEqual<TComparer>(a.Slice(NetlinkMessageWriter.Align(headerSize)), b.Slice(NetlinkMessageWriter.Align(headerSize)));
    }

    /// <summary>Compares two attribute streams, skipping what <typeparamref name="TComparer"/> says is not state.</summary>
    internal static bool AttributesEqual<TComparer>(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        where TComparer : struct, IAttributeComparer
    {
        TComparer comparer = default;
        var left = new NetlinkAttributeEnumerator(a);
        var right = new NetlinkAttributeEnumerator(b);
        while (true)
        {
            bool hasLeft = MoveToState(ref left, comparer);
            bool hasRight = MoveToState(ref right, comparer);
            if (!hasLeft || !hasRight)
            {
                return hasLeft == hasRight;
            }

            NetlinkAttribute x = left.Current;
            NetlinkAttribute y = right.Current;
            if (x.Type != y.Type || !comparer.ValueEquals(x.Type, x.Value, y.Value))
            {
                return false;
            }
        }
    }

    /// <summary>A comparer that skips nothing and compares bytes (for the nested attributes that are all state).</summary>
    internal readonly struct Bytes : IAttributeComparer
    {
        public bool Skip(ushort type) => false;

        public bool ValueEquals(ushort type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);
    }

    private static bool MoveToState<TComparer>(ref NetlinkAttributeEnumerator attributes, TComparer comparer)
        where TComparer : struct, IAttributeComparer
    {
        while (attributes.MoveNext())
        {
            if (!comparer.Skip(attributes.Current.Type))
            {
                return true;
            }
        }

        return false;
    }
}
