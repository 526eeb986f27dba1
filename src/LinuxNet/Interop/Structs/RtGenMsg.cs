using System.Runtime.InteropServices;

namespace LinuxNet;

// struct rtgenmsg, /usr/include/linux/rtnetlink.h: the 1-byte family header of RTM_*NSID (padded to 4 on the wire).
[StructLayout(LayoutKind.Sequential)]
internal struct RtGenMsg
{
    internal byte Family;
}
