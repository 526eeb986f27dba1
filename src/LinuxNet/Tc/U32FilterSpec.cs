using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A u32 filter: packets whose words match every <see cref="Matches"/> entry go to <see cref="ClassId"/> and/or run the
/// actions. <c>tc filter add dev DEV parent P protocol ip prio N u32 match ip dst PREFIX … (classid C | action …)</c>.
/// </summary>
public sealed class U32FilterSpec : TcFilterSpec
{
    /// <summary>Describes a u32 filter.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The qdisc or class it attaches to (<c>1:</c>, <c>ffff:</c>).</param>
    public U32FilterSpec(LinkReference link, TcHandle parent)
        : base(link, parent)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "u32";

    /// <summary>The comparisons, all of which must hold (<c>match …</c>); at most 128. Empty matches nothing but is refused: use <see cref="U32Match.All"/>.</summary>
    public IReadOnlyList<U32Match> Matches { get; init; } = Array.Empty<U32Match>();

    /// <summary>The class matched packets go to (<c>classid</c>/<c>flowid</c>); <see langword="null"/> for none.</summary>
    public TcHandle? ClassId { get; init; }

    internal override void Validate()
    {
        base.Validate();
        if (Matches is null || Matches.Count == 0)
        {
            throw new ArgumentException("A u32 filter needs at least one match (U32Match.All matches everything).", nameof(Matches));
        }

        if (Matches.Count > 128)
        {
            throw new ArgumentException("A u32 filter takes at most 128 matches.", nameof(Matches));
        }

        if (ClassId is { } classId && (classId == TcHandle.None || classId == TcHandle.Root))
        {
            throw new ArgumentException($"'{classId}' is not a class id.", nameof(ClassId));
        }
    }

    internal override void WriteOptions(ref NetlinkMessageWriter writer, ReadOnlySpan<int> targets)
    {
        // tc's pack_key: a match on a word already matched merges into that key.
        Span<TcU32Key> keys = stackalloc TcU32Key[Matches.Count];
        int count = 0;
        foreach (U32Match match in Matches)
        {
            int i = 0;
            while (i < count && !(keys[i].Offset == match.Offset && keys[i].OffMask == 0))
            {
                i++;
            }

            uint mask = BinaryPrimitives.ReverseEndianness(match.Mask);
            uint value = BinaryPrimitives.ReverseEndianness(match.Value);
            if (i < count)
            {
                uint intersect = keys[i].Mask & mask;
                if (((keys[i].Value ^ value) & intersect) != 0)
                {
                    throw new ArgumentException($"The match {match} contradicts an earlier match on the same word.", nameof(Matches));
                }

                keys[i].Value |= value;
                keys[i].Mask |= mask;
            }
            else
            {
                keys[count++] = new TcU32Key { Mask = mask, Value = value, Offset = match.Offset };
            }
        }

        NestedAttribute options = writer.BeginNested(LinuxPktSched.TCA_OPTIONS);
        if (ClassId is { } classId)
        {
            writer.WriteUInt32(LinuxPktCls.TCA_U32_CLASSID, classId.Value);
        }

        WriteActions(ref writer, LinuxPktCls.TCA_U32_ACT, targets);
        var selector = new TcU32Sel
        {
            Flags = ClassId is not null || Actions.Count != 0 ? LinuxPktCls.TC_U32_TERMINAL : (byte)0,
            KeyCount = (byte)count,
        };
        byte[] sel = new byte[Marshal.SizeOf<TcU32Sel>() + (count * Marshal.SizeOf<TcU32Key>())];
        MemoryMarshal.Cast<byte, TcU32Sel>(sel.AsSpan(0, Marshal.SizeOf<TcU32Sel>()))[0] = selector;
        MemoryMarshal.AsBytes(keys.Slice(0, count)).CopyTo(sel.AsSpan(Marshal.SizeOf<TcU32Sel>()));
        writer.WriteAttribute(LinuxPktCls.TCA_U32_SEL, sel);
        LinkMessages.EndNested(ref writer, options);
    }
}
