namespace LinuxNet;

// /usr/include/linux/if.h and linux/sockios.h
internal static class LinuxIf
{
    internal const int IFNAMSIZ = 16;

    internal const nuint SIOCGIFNAME = 0x8910;
    internal const nuint SIOCGIFFLAGS = 0x8913;
    internal const nuint SIOCGIFMTU = 0x8921;
    internal const nuint SIOCGIFINDEX = 0x8933;
}
