using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "readv", SetLastError = true)]
        internal static extern unsafe nint ReadV(int fd, IoVec* vectors, int count);

        [DllImport(Libraries.Libc, EntryPoint = "writev", SetLastError = true)]
        internal static extern unsafe nint WriteV(int fd, IoVec* vectors, int count);
    }
}
