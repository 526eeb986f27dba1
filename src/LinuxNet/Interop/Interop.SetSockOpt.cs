using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "setsockopt", SetLastError = true)]
        internal static extern unsafe int SetSockOpt(int fd, int level, int name, void* value, uint length);

        [DllImport(Libraries.Libc, EntryPoint = "getsockopt", SetLastError = true)]
        internal static extern unsafe int GetSockOpt(int fd, int level, int name, void* value, uint* length);
    }
}
