using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>
/// A u32 filter node as the kernel reports it: a hash table (<c>fh 800: ht divisor 1</c>) or a key node
/// (<c>fh 800::800 order 2048 key ht 800 bkt 0 flowid 1:10</c> with its matches and actions).
/// </summary>
public sealed class U32FilterOptions : TcOptions
{
    private U32FilterOptions()
    {
    }

    /// <summary>The hash table's divisor (<c>ht divisor</c>) for a hash-table node; <see langword="null"/> for a key node.</summary>
    public uint? Divisor { get; private set; }

    /// <summary>The hash table and bucket a key node sits in (<c>TCA_U32_HASH</c>), or <see langword="null"/>.</summary>
    public uint? Hash { get; private set; }

    /// <summary>The class matched packets go to (<c>flowid</c>), or <see langword="null"/>.</summary>
    public TcHandle? ClassId { get; private set; }

    /// <summary>Whether a match ends classification (<c>TC_U32_TERMINAL</c>: a class id or actions).</summary>
    public bool IsTerminal { get; private set; }

    /// <summary>The keys, as the kernel holds them (merged as tc sends them).</summary>
    public IReadOnlyList<U32Match> Matches { get; private set; } = Array.Empty<U32Match>();

    /// <summary>The classifier flags (<c>TCA_CLS_FLAGS_*</c>: 8 is <c>not_in_hw</c>), or <see langword="null"/>.</summary>
    public uint? Flags { get; private set; }

    /// <summary>The actions run on a match.</summary>
    public IReadOnlyList<TcActionInfo> Actions { get; private set; } = Array.Empty<TcActionInfo>();

    internal static U32FilterOptions Parse(NetlinkAttribute options)
    {
        var result = new U32FilterOptions();
        foreach (NetlinkAttribute attribute in options.EnumerateNested())
        {
            switch (attribute.Type)
            {
                case LinuxPktCls.TCA_U32_DIVISOR:
                    result.Divisor = attribute.GetUInt32();
                    break;
                case LinuxPktCls.TCA_U32_HASH:
                    result.Hash = attribute.GetUInt32();
                    break;
                case LinuxPktCls.TCA_U32_CLASSID:
                    result.ClassId = new TcHandle(attribute.GetUInt32());
                    break;
                case LinuxPktCls.TCA_U32_FLAGS:
                    result.Flags = attribute.GetUInt32();
                    break;
                case LinuxPktCls.TCA_U32_SEL:
                    result.ReadSelector(attribute.Value);
                    break;
                case LinuxPktCls.TCA_U32_ACT:
                    result.Actions = TcActionInfo.ParseList(attribute);
                    break;
            }
        }

        return result;
    }

    private void ReadSelector(ReadOnlySpan<byte> value)
    {
        int head = Marshal.SizeOf<TcU32Sel>();
        int keySize = Marshal.SizeOf<TcU32Key>();
        if (value.Length < head)
        {
            throw new NetlinkProtocolException($"TCA_U32_SEL holds {value.Length} bytes, less than tc_u32_sel's {head}.");
        }

        TcU32Sel selector = MemoryMarshal.Read<TcU32Sel>(value);
        if (value.Length < head + (selector.KeyCount * keySize))
        {
            throw new NetlinkProtocolException($"TCA_U32_SEL announces {selector.KeyCount} keys but holds {value.Length} bytes.");
        }

        IsTerminal = (selector.Flags & LinuxPktCls.TC_U32_TERMINAL) != 0;
        var matches = new U32Match[selector.KeyCount];
        for (int i = 0; i < matches.Length; i++)
        {
            ReadOnlySpan<byte> key = value.Slice(head + (i * keySize), keySize);
            uint mask = BinaryPrimitives.ReadUInt32BigEndian(key);
            uint data = BinaryPrimitives.ReadUInt32BigEndian(key.Slice(4)) & mask;
            int offset = BinaryPrimitives.ReadInt32LittleEndian(key.Slice(8));
            matches[i] = new U32Match(data, mask, offset & ~3);
        }

        Matches = matches;
    }
}
