using System.Runtime.InteropServices;

namespace LinuxNet;

// struct cmsghdr, /usr/include/x86_64-linux-gnu/bits/socket.h (cmsg_len is size_t); data follows, aligned to size_t.
[StructLayout(LayoutKind.Sequential)]
internal struct CMsgHdr
{
    internal nuint Length;
    internal int Level;
    internal int Type;

    /// <summary><c>CMSG_LEN(0)</c>: the aligned header size, where the data starts.</summary>
    internal static unsafe int HeaderSize => (sizeof(CMsgHdr) + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);

    /// <summary><c>CMSG_SPACE(dataLength)</c>.</summary>
    internal static unsafe int Space(int dataLength) => HeaderSize + ((dataLength + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1));
}
