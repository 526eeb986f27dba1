namespace LinuxNet;

// /usr/include/linux/if.h: enum net_device_flags (ifi_flags) and the RFC 2863 operational states (IFLA_OPERSTATE).
internal static class LinuxNetDeviceFlags
{
    // enum IF_OPER_* (RFC 2863 operational status, /usr/include/linux/if.h)
    internal const byte IF_OPER_UNKNOWN = 0;
    internal const byte IF_OPER_NOTPRESENT = 1;
    internal const byte IF_OPER_DOWN = 2;
    internal const byte IF_OPER_LOWERLAYERDOWN = 3;
    internal const byte IF_OPER_TESTING = 4;
    internal const byte IF_OPER_DORMANT = 5;
    internal const byte IF_OPER_UP = 6;
    internal const uint IFF_UP = 0x1;
    internal const uint IFF_BROADCAST = 0x2;
    internal const uint IFF_DEBUG = 0x4;
    internal const uint IFF_LOOPBACK = 0x8;
    internal const uint IFF_POINTOPOINT = 0x10;
    internal const uint IFF_NOTRAILERS = 0x20;
    internal const uint IFF_RUNNING = 0x40;
    internal const uint IFF_NOARP = 0x80;
    internal const uint IFF_PROMISC = 0x100;
    internal const uint IFF_ALLMULTI = 0x200;
    internal const uint IFF_MASTER = 0x400;
    internal const uint IFF_SLAVE = 0x800;
    internal const uint IFF_MULTICAST = 0x1000;
    internal const uint IFF_PORTSEL = 0x2000;
    internal const uint IFF_AUTOMEDIA = 0x4000;
    internal const uint IFF_DYNAMIC = 0x8000;
    internal const uint IFF_LOWER_UP = 0x10000;
    internal const uint IFF_DORMANT = 0x20000;
    internal const uint IFF_ECHO = 0x40000;
}
