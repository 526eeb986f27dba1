using System.Runtime.InteropServices;

namespace LinuxNet;

// struct msghdr, /usr/include/x86_64-linux-gnu/bits/socket.h (size_t fields are nuint)
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    internal void* Name;
    internal uint NameLength;
    internal IoVec* Iov;
    internal nuint IovLength;
    internal void* Control;
    internal nuint ControlLength;
    internal int Flags;
}
