namespace LinuxNet;

// /usr/include/linux/neighbour.h
internal static class LinuxNeighbour
{
    // enum NDA_*
    internal const ushort NDA_UNSPEC = 0;
    internal const ushort NDA_DST = 1;
    internal const ushort NDA_LLADDR = 2;
    internal const ushort NDA_CACHEINFO = 3;
    internal const ushort NDA_PROBES = 4;
    internal const ushort NDA_VLAN = 5;
    internal const ushort NDA_PORT = 6;
    internal const ushort NDA_VNI = 7;
    internal const ushort NDA_IFINDEX = 8;
    internal const ushort NDA_MASTER = 9;
    internal const ushort NDA_LINK_NETNSID = 10;
    internal const ushort NDA_SRC_VNI = 11;
    internal const ushort NDA_PROTOCOL = 12;
    internal const ushort NDA_NH_ID = 13;
    internal const ushort NDA_FDB_EXT_ATTRS = 14;
    internal const ushort NDA_FLAGS_EXT = 15;
    internal const ushort NDA_NDM_STATE_MASK = 16;
    internal const ushort NDA_NDM_FLAGS_MASK = 17;

    // ndm_flags
    internal const byte NTF_USE = 1 << 0;
    internal const byte NTF_SELF = 1 << 1;
    internal const byte NTF_MASTER = 1 << 2;
    internal const byte NTF_PROXY = 1 << 3;
    internal const byte NTF_EXT_LEARNED = 1 << 4;
    internal const byte NTF_OFFLOADED = 1 << 5;
    internal const byte NTF_STICKY = 1 << 6;
    internal const byte NTF_ROUTER = 1 << 7;

    // ndm_state
    internal const ushort NUD_NONE = 0x00;
    internal const ushort NUD_INCOMPLETE = 0x01;
    internal const ushort NUD_REACHABLE = 0x02;
    internal const ushort NUD_STALE = 0x04;
    internal const ushort NUD_DELAY = 0x08;
    internal const ushort NUD_PROBE = 0x10;
    internal const ushort NUD_FAILED = 0x20;
    internal const ushort NUD_NOARP = 0x40;
    internal const ushort NUD_PERMANENT = 0x80;

    // MAX_ADDR_LEN, /usr/include/linux/netdevice.h
    internal const int MAX_ADDR_LEN = 32;
}
