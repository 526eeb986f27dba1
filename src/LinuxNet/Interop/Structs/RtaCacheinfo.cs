using System.Runtime.InteropServices;

namespace LinuxNet;

// struct rta_cacheinfo, /usr/include/linux/rtnetlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct RtaCacheinfo
{
    internal uint ClientReferences;
    internal uint LastUse;
    internal int Expires;
    internal uint Error;
    internal uint Used;
    internal uint Id;
    internal uint Ts;
    internal uint TsAge;
}
