namespace LinuxNet;

// /usr/include/linux/if_addr.h
internal static class LinuxIfAddr
{
    internal const ushort IFA_UNSPEC = 0;
    internal const ushort IFA_ADDRESS = 1;
    internal const ushort IFA_LOCAL = 2;
    internal const ushort IFA_LABEL = 3;
    internal const ushort IFA_BROADCAST = 4;
    internal const ushort IFA_ANYCAST = 5;
    internal const ushort IFA_CACHEINFO = 6;
    internal const ushort IFA_MULTICAST = 7;
    internal const ushort IFA_FLAGS = 8;
    internal const ushort IFA_RT_PRIORITY = 9;
    internal const ushort IFA_TARGET_NETNSID = 10;
    internal const ushort IFA_PROTO = 11;

    internal const uint IFA_F_SECONDARY = 0x01;
    internal const uint IFA_F_TEMPORARY = IFA_F_SECONDARY;
    internal const uint IFA_F_NODAD = 0x02;
    internal const uint IFA_F_OPTIMISTIC = 0x04;
    internal const uint IFA_F_DADFAILED = 0x08;
    internal const uint IFA_F_HOMEADDRESS = 0x10;
    internal const uint IFA_F_DEPRECATED = 0x20;
    internal const uint IFA_F_TENTATIVE = 0x40;
    internal const uint IFA_F_PERMANENT = 0x80;
    internal const uint IFA_F_MANAGETEMPADDR = 0x100;
    internal const uint IFA_F_NOPREFIXROUTE = 0x200;
    internal const uint IFA_F_MCAUTOJOIN = 0x400;
    internal const uint IFA_F_STABLE_PRIVACY = 0x800;

    // INFINITY_LIFE_TIME (include/net/addrconf.h): a lifetime that never ends.
    internal const uint INFINITY_LIFE_TIME = 0xFFFFFFFF;
}
