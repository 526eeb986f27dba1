using System;
using System.Collections.Generic;
using LinuxNet.Netlink;

namespace LinuxNet.Genl.Ethtool;

/// <summary>
/// The one decoder of an ethtool bitset (<c>ETHTOOL_A_BITSET_*</c>) in either form: compact (<c>SIZE</c> + 32-bit
/// <c>VALUE</c> and <c>MASK</c> words) or verbose (a <c>BITS</c> list of index, name and value). Without
/// <c>NOMASK</c> the mask says which bits the set speaks of; with it every listed or set bit is a value.
/// </summary>
internal sealed class EthtoolBitset
{
    private readonly List<bool> _values = new();
    private readonly List<bool> _mask = new();
    private readonly Dictionary<int, string> _names = new();

    /// <summary>The number of bits (the highest listed index + 1 in verbose form).</summary>
    internal int Size { get; private set; }

    /// <summary>Whether the set carried no mask (<c>ETHTOOL_A_BITSET_NOMASK</c>).</summary>
    internal bool NoMask { get; private set; }

    internal bool Value(int index) => index < _values.Count && _values[index];

    /// <summary>Whether the bit is in the mask; always true for a set without a mask.</summary>
    internal bool InMask(int index) => NoMask ? index < Size : index < _mask.Count && _mask[index];

    /// <summary>The bit's name, when the verbose form gave one.</summary>
    internal string? Name(int index) => _names.TryGetValue(index, out string? name) ? name : null;

    internal static EthtoolBitset Parse(NetlinkAttribute attribute)
    {
        var set = new EthtoolBitset();
        byte[]? value = null, mask = null;
        bool verbose = false;
        foreach (NetlinkAttribute field in attribute.EnumerateNested())
        {
            switch (field.Type)
            {
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_NOMASK:
                    set.NoMask = true;
                    break;
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_SIZE:
                    set.Size = (int)Math.Min(field.GetUInt32(), 1 << 16);
                    break;
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_VALUE:
                    value = field.Value.ToArray();
                    break;
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_MASK:
                    mask = field.Value.ToArray();
                    break;
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BITS:
                    verbose = true;
                    foreach (NetlinkAttribute bit in field.EnumerateNested())
                    {
                        if (bit.Type == LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BITS_BIT)
                        {
                            set.AddBit(bit);
                        }
                    }

                    break;
            }
        }

        if (!verbose)
        {
            for (int i = 0; i < set.Size; i++)
            {
                set._values.Add(IsSet(value, i));
                set._mask.Add(IsSet(mask, i));
            }
        }

        return set;
    }

    private static bool IsSet(byte[]? words, int index)
        => words is not null && index / 8 < words.Length && (words[index / 8] & (1 << (index % 8))) != 0;

    private void AddBit(NetlinkAttribute bit)
    {
        int index = -1;
        string? name = null;
        bool on = false;
        foreach (NetlinkAttribute field in bit.EnumerateNested())
        {
            switch (field.Type)
            {
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BIT_INDEX:
                    index = (int)Math.Min(field.GetUInt32(), (1 << 16) - 1);
                    break;
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BIT_NAME:
                    name = field.GetString();
                    break;
                case LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BIT_VALUE:
                    on = true;
                    break;
            }
        }

        if (index < 0)
        {
            return;
        }

        while (_values.Count <= index)
        {
            _values.Add(false);
            _mask.Add(false);
        }

        // Verbose without NOMASK lists the masked bits and flags the set ones; with NOMASK it lists the set bits.
        _values[index] = NoMask || on;
        _mask[index] = true;
        Size = Math.Max(Size, index + 1);
        if (name is not null)
        {
            _names[index] = name;
        }
    }
}
