using System.Runtime.InteropServices;

namespace LinuxNet;

// struct genlmsghdr, /usr/include/linux/genetlink.h
[StructLayout(LayoutKind.Sequential)]
internal struct GenlMsgHdr
{
    internal byte Cmd;
    internal byte Version;
    internal ushort Reserved;
}
