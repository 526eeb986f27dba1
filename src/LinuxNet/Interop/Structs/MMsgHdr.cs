using System.Runtime.InteropServices;

namespace LinuxNet;

// struct mmsghdr, /usr/include/x86_64-linux-gnu/bits/socket.h: a msghdr and the byte count the kernel returns.
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    internal MsgHdr Header;
    internal uint Length;
}
