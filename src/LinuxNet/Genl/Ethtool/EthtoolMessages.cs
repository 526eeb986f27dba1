using System;
using System.Collections.Generic;
using LinuxNet.Netlink;
using LinuxNet.Route;
using static LinuxNet.LinuxEthtoolNetlink;

namespace LinuxNet.Genl.Ethtool;

/// <summary>
/// The one encoder and decoder of each ethtool netlink object: the request header, string sets, features, link
/// info / modes / state, channels, rings and private flags. Request shapes follow <c>ethtool</c> 6.1 byte for byte
/// (see TestData/iproute2/ethtool-*.txt).
/// </summary>
internal static class EthtoolMessages
{
    /// <summary>A get of one object of one device: <c>cmd</c>, then the header (device, flags).</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, (ushort Family, (byte Command, LinkReference Link, uint Flags) Request) argument)
    {
        GenericRequestPipeline.Begin(ref writer, argument.Family, argument.Request.Command, ETHTOOL_GENL_VERSION, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        WriteHeader(ref writer, argument.Request.Link, argument.Request.Flags);
    }

    /// <summary>A get of one global string set (<c>ETH_SS_*</c>), with an empty header as ethtool sends it.</summary>
    internal static void WriteStringSetGet(ref NetlinkMessageWriter writer, (ushort Family, uint SetId) argument)
    {
        GenericRequestPipeline.Begin(ref writer, argument.Family, ETHTOOL_MSG_STRSET_GET, ETHTOOL_GENL_VERSION, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.EndNested(writer.BeginNested(ETHTOOL_A_STRSET_HEADER));
        NestedAttribute sets = writer.BeginNested(ETHTOOL_A_STRSET_STRINGSETS);
        NestedAttribute set = writer.BeginNested(ETHTOOL_A_STRINGSETS_STRINGSET);
        writer.WriteUInt32(ETHTOOL_A_STRINGSET_ID, argument.SetId);
        writer.EndNested(set);
        writer.EndNested(sets);
    }

    /// <summary><c>ethtool -K DEV NAME on|off …</c>: the wanted features as a verbose bitset of names, compact reply asked for.</summary>
    internal static void WriteFeaturesSet(ref NetlinkMessageWriter writer, (ushort Family, (LinkReference Link, IReadOnlyList<KeyValuePair<string, bool>> Features) Request) argument)
    {
        GenericRequestPipeline.Begin(ref writer, argument.Family, ETHTOOL_MSG_FEATURES_SET, ETHTOOL_GENL_VERSION, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        WriteHeader(ref writer, argument.Request.Link, ETHTOOL_FLAG_COMPACT_BITSETS);
        NestedAttribute wanted = writer.BeginNested(ETHTOOL_A_FEATURES_WANTED);
        NestedAttribute bits = writer.BeginNested(ETHTOOL_A_BITSET_BITS);
        foreach (KeyValuePair<string, bool> feature in argument.Request.Features)
        {
            NestedAttribute bit = writer.BeginNested(ETHTOOL_A_BITSET_BITS_BIT);
            writer.WriteString(ETHTOOL_A_BITSET_BIT_NAME, feature.Key);
            if (feature.Value)
            {
                writer.WriteFlag(ETHTOOL_A_BITSET_BIT_VALUE);
            }

            writer.EndNested(bit);
        }

        writer.EndNested(bits);
        writer.EndNested(wanted);
    }

    /// <summary><c>ethtool -L DEV [rx N] [tx N] [other N] [combined N]</c>: only the counts given.</summary>
    internal static void WriteChannelsSet(ref NetlinkMessageWriter writer, (ushort Family, (LinkReference Link, uint? Rx, uint? Tx, uint? Other, uint? Combined) Request) argument)
    {
        var request = argument.Request;
        GenericRequestPipeline.Begin(ref writer, argument.Family, ETHTOOL_MSG_CHANNELS_SET, ETHTOOL_GENL_VERSION, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        WriteHeader(ref writer, request.Link, 0);
        WriteOptional(ref writer, ETHTOOL_A_CHANNELS_RX_COUNT, request.Rx);
        WriteOptional(ref writer, ETHTOOL_A_CHANNELS_TX_COUNT, request.Tx);
        WriteOptional(ref writer, ETHTOOL_A_CHANNELS_OTHER_COUNT, request.Other);
        WriteOptional(ref writer, ETHTOOL_A_CHANNELS_COMBINED_COUNT, request.Combined);
    }

    /// <summary>The names of a string set reply (<c>ETHTOOL_MSG_STRSET_GET_REPLY</c>), by index.</summary>
    internal static string[]? ParseStringSet(NetlinkMessage message)
    {
        if (GenericRequestPipeline.Command(message) != ETHTOOL_MSG_STRSET_GET_REPLY)
        {
            return null;
        }

        var names = new List<string>();
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            if (attribute.Type != ETHTOOL_A_STRSET_STRINGSETS)
            {
                continue;
            }

            foreach (NetlinkAttribute set in attribute.EnumerateNested())
            {
                foreach (NetlinkAttribute field in set.EnumerateNested())
                {
                    if (field.Type == ETHTOOL_A_STRINGSET_STRINGS)
                    {
                        ReadStrings(field, names);
                    }
                }
            }
        }

        return names.ToArray();
    }

    /// <summary>The bitsets of a features get or set reply.</summary>
    internal static EthtoolFeatureBits? ParseFeatures(NetlinkMessage message)
    {
        byte command = GenericRequestPipeline.Command(message);
        if (command is not (ETHTOOL_MSG_FEATURES_GET_REPLY or ETHTOOL_MSG_FEATURES_SET_REPLY))
        {
            return null;
        }

        var bits = new EthtoolFeatureBits();
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            switch (attribute.Type)
            {
                case ETHTOOL_A_FEATURES_HW:
                    bits.Hardware = EthtoolBitset.Parse(attribute);
                    break;
                case ETHTOOL_A_FEATURES_WANTED:
                    bits.Wanted = EthtoolBitset.Parse(attribute);
                    break;
                case ETHTOOL_A_FEATURES_ACTIVE:
                    bits.Active = EthtoolBitset.Parse(attribute);
                    break;
                case ETHTOOL_A_FEATURES_NOCHANGE:
                    bits.NoChange = EthtoolBitset.Parse(attribute);
                    break;
            }
        }

        return bits;
    }

    /// <summary>Adds what a link info, link modes or link state reply says to <paramref name="info"/>.</summary>
    internal static void ReadLink(NetlinkMessage message, EthtoolLinkInfo info)
    {
        byte command = GenericRequestPipeline.Command(message);
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            if (attribute.Type == 1)
            {
                // ETHTOOL_A_*_HEADER is attribute 1 of every reply.
                ReadHeader(attribute, info);
                continue;
            }

            switch (command)
            {
                case ETHTOOL_MSG_LINKINFO_GET_REPLY:
                    ReadLinkInfo(attribute, info);
                    break;
                case ETHTOOL_MSG_LINKMODES_GET_REPLY:
                    ReadLinkModes(attribute, info);
                    break;
                case ETHTOOL_MSG_LINKSTATE_GET_REPLY when attribute.Type == ETHTOOL_A_LINKSTATE_LINK:
                    info.LinkDetected = attribute.GetUInt8() != 0;
                    break;
            }
        }
    }

    /// <summary>The channel counts of a <c>ETHTOOL_MSG_CHANNELS_GET_REPLY</c>.</summary>
    internal static EthtoolChannels? ParseChannels(NetlinkMessage message)
    {
        if (GenericRequestPipeline.Command(message) != ETHTOOL_MSG_CHANNELS_GET_REPLY)
        {
            return null;
        }

        var channels = new EthtoolChannels();
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            switch (attribute.Type)
            {
                case ETHTOOL_A_CHANNELS_RX_MAX: channels.MaxRx = attribute.GetUInt32(); break;
                case ETHTOOL_A_CHANNELS_TX_MAX: channels.MaxTx = attribute.GetUInt32(); break;
                case ETHTOOL_A_CHANNELS_OTHER_MAX: channels.MaxOther = attribute.GetUInt32(); break;
                case ETHTOOL_A_CHANNELS_COMBINED_MAX: channels.MaxCombined = attribute.GetUInt32(); break;
                case ETHTOOL_A_CHANNELS_RX_COUNT: channels.Rx = attribute.GetUInt32(); break;
                case ETHTOOL_A_CHANNELS_TX_COUNT: channels.Tx = attribute.GetUInt32(); break;
                case ETHTOOL_A_CHANNELS_OTHER_COUNT: channels.Other = attribute.GetUInt32(); break;
                case ETHTOOL_A_CHANNELS_COMBINED_COUNT: channels.Combined = attribute.GetUInt32(); break;
            }
        }

        return channels;
    }

    /// <summary>The ring sizes of a <c>ETHTOOL_MSG_RINGS_GET_REPLY</c>.</summary>
    internal static EthtoolRings? ParseRings(NetlinkMessage message)
    {
        if (GenericRequestPipeline.Command(message) != ETHTOOL_MSG_RINGS_GET_REPLY)
        {
            return null;
        }

        var rings = new EthtoolRings();
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            switch (attribute.Type)
            {
                case ETHTOOL_A_RINGS_RX_MAX: rings.MaxRx = attribute.GetUInt32(); break;
                case ETHTOOL_A_RINGS_RX_MINI_MAX: rings.MaxRxMini = attribute.GetUInt32(); break;
                case ETHTOOL_A_RINGS_RX_JUMBO_MAX: rings.MaxRxJumbo = attribute.GetUInt32(); break;
                case ETHTOOL_A_RINGS_TX_MAX: rings.MaxTx = attribute.GetUInt32(); break;
                case ETHTOOL_A_RINGS_RX: rings.Rx = attribute.GetUInt32(); break;
                case ETHTOOL_A_RINGS_RX_MINI: rings.RxMini = attribute.GetUInt32(); break;
                case ETHTOOL_A_RINGS_RX_JUMBO: rings.RxJumbo = attribute.GetUInt32(); break;
                case ETHTOOL_A_RINGS_TX: rings.Tx = attribute.GetUInt32(); break;
            }
        }

        return rings;
    }

    /// <summary>The flags of a <c>ETHTOOL_MSG_PRIVFLAGS_GET_REPLY</c> asked for in verbose form (names included).</summary>
    internal static List<EthtoolPrivateFlag>? ParsePrivateFlags(NetlinkMessage message)
    {
        if (GenericRequestPipeline.Command(message) != ETHTOOL_MSG_PRIVFLAGS_GET_REPLY)
        {
            return null;
        }

        var flags = new List<EthtoolPrivateFlag>();
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            if (attribute.Type == ETHTOOL_A_PRIVFLAGS_FLAGS)
            {
                EthtoolBitset set = EthtoolBitset.Parse(attribute);
                for (int i = 0; i < set.Size; i++)
                {
                    if (set.InMask(i))
                    {
                        flags.Add(new EthtoolPrivateFlag(set.Name(i) ?? "#" + i, set.Value(i)));
                    }
                }
            }
        }

        return flags;
    }

    private static void WriteHeader(ref NetlinkMessageWriter writer, LinkReference link, uint flags)
    {
        NestedAttribute header = writer.BeginNested(1);
        if (link.IsName)
        {
            writer.WriteString(ETHTOOL_A_HEADER_DEV_NAME, link.Name!);
        }
        else
        {
            writer.WriteUInt32(ETHTOOL_A_HEADER_DEV_INDEX, (uint)link.Index);
        }

        if (flags != 0)
        {
            writer.WriteUInt32(ETHTOOL_A_HEADER_FLAGS, flags);
        }

        writer.EndNested(header);
    }

    private static void WriteOptional(ref NetlinkMessageWriter writer, ushort type, uint? value)
    {
        if (value is { } v)
        {
            writer.WriteUInt32(type, v);
        }
    }

    private static void ReadStrings(NetlinkAttribute strings, List<string> names)
    {
        foreach (NetlinkAttribute entry in strings.EnumerateNested())
        {
            int index = -1;
            string value = string.Empty;
            foreach (NetlinkAttribute field in entry.EnumerateNested())
            {
                if (field.Type == ETHTOOL_A_STRING_INDEX)
                {
                    index = (int)Math.Min(field.GetUInt32(), 1 << 16);
                }
                else if (field.Type == ETHTOOL_A_STRING_VALUE)
                {
                    value = field.GetString();
                }
            }

            if (index < 0)
            {
                continue;
            }

            while (names.Count <= index)
            {
                names.Add(string.Empty);
            }

            names[index] = value;
        }
    }

    private static void ReadHeader(NetlinkAttribute header, EthtoolLinkInfo info)
    {
        foreach (NetlinkAttribute field in header.EnumerateNested())
        {
            if (field.Type == ETHTOOL_A_HEADER_DEV_INDEX)
            {
                info.InterfaceIndex = (int)field.GetUInt32();
            }
            else if (field.Type == ETHTOOL_A_HEADER_DEV_NAME)
            {
                info.Name = field.GetString();
            }
        }
    }

    private static void ReadLinkInfo(NetlinkAttribute attribute, EthtoolLinkInfo info)
    {
        switch (attribute.Type)
        {
            case ETHTOOL_A_LINKINFO_PORT: info.Port = attribute.GetUInt8(); break;
            case ETHTOOL_A_LINKINFO_PHYADDR: info.PhyAddress = attribute.GetUInt8(); break;
            case ETHTOOL_A_LINKINFO_TRANSCEIVER: info.Transceiver = attribute.GetUInt8(); break;
        }
    }

    private static void ReadLinkModes(NetlinkAttribute attribute, EthtoolLinkInfo info)
    {
        switch (attribute.Type)
        {
            case ETHTOOL_A_LINKMODES_AUTONEG:
                info.AutoNegotiation = attribute.GetUInt8() == AUTONEG_ENABLE;
                break;
            case ETHTOOL_A_LINKMODES_SPEED:
                uint speed = attribute.GetUInt32();
                info.Speed = speed == SPEED_UNKNOWN || speed > int.MaxValue ? null : speed;
                break;
            case ETHTOOL_A_LINKMODES_DUPLEX:
                byte duplex = attribute.GetUInt8();
                info.Duplex = duplex is DUPLEX_HALF or DUPLEX_FULL ? (EthtoolDuplex)duplex : EthtoolDuplex.Unknown;
                break;
            case ETHTOOL_A_LINKMODES_OURS:
                // Verbose (no compact flag in the request): the mask lists supported modes, the values the advertised ones.
                EthtoolBitset modes = EthtoolBitset.Parse(attribute);
                var supported = new List<string>();
                var advertised = new List<string>();
                for (int i = 0; i < modes.Size; i++)
                {
                    string name = modes.Name(i) ?? "#" + i;
                    if (modes.InMask(i))
                    {
                        supported.Add(name);
                    }

                    if (modes.Value(i))
                    {
                        advertised.Add(name);
                    }
                }

                info.SupportedModes = supported;
                info.AdvertisedModes = advertised;
                break;
        }
    }
}
