namespace LinuxNet;

// /usr/include/linux/ethtool_netlink.h and the few values of /usr/include/linux/ethtool.h it refers to
internal static class LinuxEthtoolNetlink
{
    internal const string ETHTOOL_GENL_NAME = "ethtool";
    internal const byte ETHTOOL_GENL_VERSION = 1;
    internal const string ETHTOOL_MCGRP_MONITOR_NAME = "monitor";

    // message types, userspace to kernel
    internal const byte ETHTOOL_MSG_STRSET_GET = 1;
    internal const byte ETHTOOL_MSG_LINKINFO_GET = 2;
    internal const byte ETHTOOL_MSG_LINKMODES_GET = 4;
    internal const byte ETHTOOL_MSG_LINKSTATE_GET = 6;
    internal const byte ETHTOOL_MSG_FEATURES_GET = 11;
    internal const byte ETHTOOL_MSG_FEATURES_SET = 12;
    internal const byte ETHTOOL_MSG_PRIVFLAGS_GET = 13;
    internal const byte ETHTOOL_MSG_PRIVFLAGS_SET = 14;
    internal const byte ETHTOOL_MSG_RINGS_GET = 15;
    internal const byte ETHTOOL_MSG_RINGS_SET = 16;
    internal const byte ETHTOOL_MSG_CHANNELS_GET = 17;
    internal const byte ETHTOOL_MSG_CHANNELS_SET = 18;

    // message types, kernel to userspace
    internal const byte ETHTOOL_MSG_STRSET_GET_REPLY = 1;
    internal const byte ETHTOOL_MSG_LINKINFO_GET_REPLY = 2;
    internal const byte ETHTOOL_MSG_LINKMODES_GET_REPLY = 4;
    internal const byte ETHTOOL_MSG_LINKSTATE_GET_REPLY = 6;
    internal const byte ETHTOOL_MSG_FEATURES_GET_REPLY = 11;
    internal const byte ETHTOOL_MSG_FEATURES_SET_REPLY = 12;
    internal const byte ETHTOOL_MSG_PRIVFLAGS_GET_REPLY = 14;
    internal const byte ETHTOOL_MSG_RINGS_GET_REPLY = 16;
    internal const byte ETHTOOL_MSG_CHANNELS_GET_REPLY = 18;

    internal const uint ETHTOOL_FLAG_COMPACT_BITSETS = 1 << 0;
    internal const uint ETHTOOL_FLAG_OMIT_REPLY = 1 << 1;

    internal const ushort ETHTOOL_A_HEADER_DEV_INDEX = 1;
    internal const ushort ETHTOOL_A_HEADER_DEV_NAME = 2;
    internal const ushort ETHTOOL_A_HEADER_FLAGS = 3;

    internal const ushort ETHTOOL_A_BITSET_BIT_INDEX = 1;
    internal const ushort ETHTOOL_A_BITSET_BIT_NAME = 2;
    internal const ushort ETHTOOL_A_BITSET_BIT_VALUE = 3;

    internal const ushort ETHTOOL_A_BITSET_BITS_BIT = 1;

    internal const ushort ETHTOOL_A_BITSET_NOMASK = 1;
    internal const ushort ETHTOOL_A_BITSET_SIZE = 2;
    internal const ushort ETHTOOL_A_BITSET_BITS = 3;
    internal const ushort ETHTOOL_A_BITSET_VALUE = 4;
    internal const ushort ETHTOOL_A_BITSET_MASK = 5;

    internal const ushort ETHTOOL_A_STRING_INDEX = 1;
    internal const ushort ETHTOOL_A_STRING_VALUE = 2;
    internal const ushort ETHTOOL_A_STRINGS_STRING = 1;
    internal const ushort ETHTOOL_A_STRINGSET_ID = 1;
    internal const ushort ETHTOOL_A_STRINGSET_COUNT = 2;
    internal const ushort ETHTOOL_A_STRINGSET_STRINGS = 3;
    internal const ushort ETHTOOL_A_STRINGSETS_STRINGSET = 1;

    internal const ushort ETHTOOL_A_STRSET_HEADER = 1;
    internal const ushort ETHTOOL_A_STRSET_STRINGSETS = 2;

    internal const ushort ETHTOOL_A_LINKINFO_HEADER = 1;
    internal const ushort ETHTOOL_A_LINKINFO_PORT = 2;
    internal const ushort ETHTOOL_A_LINKINFO_PHYADDR = 3;
    internal const ushort ETHTOOL_A_LINKINFO_TP_MDIX = 4;
    internal const ushort ETHTOOL_A_LINKINFO_TP_MDIX_CTRL = 5;
    internal const ushort ETHTOOL_A_LINKINFO_TRANSCEIVER = 6;

    internal const ushort ETHTOOL_A_LINKMODES_HEADER = 1;
    internal const ushort ETHTOOL_A_LINKMODES_AUTONEG = 2;
    internal const ushort ETHTOOL_A_LINKMODES_OURS = 3;
    internal const ushort ETHTOOL_A_LINKMODES_PEER = 4;
    internal const ushort ETHTOOL_A_LINKMODES_SPEED = 5;
    internal const ushort ETHTOOL_A_LINKMODES_DUPLEX = 6;

    internal const ushort ETHTOOL_A_LINKSTATE_HEADER = 1;
    internal const ushort ETHTOOL_A_LINKSTATE_LINK = 2;

    internal const ushort ETHTOOL_A_FEATURES_HEADER = 1;
    internal const ushort ETHTOOL_A_FEATURES_HW = 2;
    internal const ushort ETHTOOL_A_FEATURES_WANTED = 3;
    internal const ushort ETHTOOL_A_FEATURES_ACTIVE = 4;
    internal const ushort ETHTOOL_A_FEATURES_NOCHANGE = 5;

    internal const ushort ETHTOOL_A_PRIVFLAGS_HEADER = 1;
    internal const ushort ETHTOOL_A_PRIVFLAGS_FLAGS = 2;

    internal const ushort ETHTOOL_A_RINGS_HEADER = 1;
    internal const ushort ETHTOOL_A_RINGS_RX_MAX = 2;
    internal const ushort ETHTOOL_A_RINGS_RX_MINI_MAX = 3;
    internal const ushort ETHTOOL_A_RINGS_RX_JUMBO_MAX = 4;
    internal const ushort ETHTOOL_A_RINGS_TX_MAX = 5;
    internal const ushort ETHTOOL_A_RINGS_RX = 6;
    internal const ushort ETHTOOL_A_RINGS_RX_MINI = 7;
    internal const ushort ETHTOOL_A_RINGS_RX_JUMBO = 8;
    internal const ushort ETHTOOL_A_RINGS_TX = 9;

    internal const ushort ETHTOOL_A_CHANNELS_HEADER = 1;
    internal const ushort ETHTOOL_A_CHANNELS_RX_MAX = 2;
    internal const ushort ETHTOOL_A_CHANNELS_TX_MAX = 3;
    internal const ushort ETHTOOL_A_CHANNELS_OTHER_MAX = 4;
    internal const ushort ETHTOOL_A_CHANNELS_COMBINED_MAX = 5;
    internal const ushort ETHTOOL_A_CHANNELS_RX_COUNT = 6;
    internal const ushort ETHTOOL_A_CHANNELS_TX_COUNT = 7;
    internal const ushort ETHTOOL_A_CHANNELS_OTHER_COUNT = 8;
    internal const ushort ETHTOOL_A_CHANNELS_COMBINED_COUNT = 9;

    // /usr/include/linux/ethtool.h
    internal const uint ETH_SS_PRIV_FLAGS = 1;
    internal const uint ETH_SS_FEATURES = 4;
    internal const uint SPEED_UNKNOWN = uint.MaxValue;
    internal const byte DUPLEX_HALF = 0x00;
    internal const byte DUPLEX_FULL = 0x01;
    internal const byte DUPLEX_UNKNOWN = 0xff;
    internal const byte PORT_TP = 0x00;
    internal const byte PORT_AUI = 0x01;
    internal const byte PORT_MII = 0x02;
    internal const byte PORT_FIBRE = 0x03;
    internal const byte PORT_BNC = 0x04;
    internal const byte PORT_DA = 0x05;
    internal const byte PORT_NONE = 0xef;
    internal const byte PORT_OTHER = 0xff;
    internal const byte XCVR_INTERNAL = 0x00;
    internal const byte XCVR_EXTERNAL = 0x01;
    internal const byte AUTONEG_DISABLE = 0x00;
    internal const byte AUTONEG_ENABLE = 0x01;
}
