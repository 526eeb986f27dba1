using System.Runtime.InteropServices;

namespace LinuxNet;

// struct ifa_cacheinfo, /usr/include/linux/if_addr.h
[StructLayout(LayoutKind.Sequential)]
internal struct IfaCacheinfo
{
    internal uint Preferred;
    internal uint Valid;
    internal uint CreatedStamp;
    internal uint UpdatedStamp;
}
