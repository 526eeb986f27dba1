using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "getsockname", SetLastError = true)]
        internal static extern unsafe int GetSockName(int fd, void* address, uint* addressLength);
    }
}
