using System.Runtime.InteropServices;

namespace LinuxNet;

// struct tc_mirred (tc_gen + eaction + ifindex), /usr/include/linux/tc_act/tc_mirred.h
[StructLayout(LayoutKind.Sequential)]
internal struct TcMirred
{
    internal uint Index;
    internal uint Capab;
    internal int Action;
    internal int RefCount;
    internal int BindCount;
    internal int EAction;
    internal uint IfIndex;
}
