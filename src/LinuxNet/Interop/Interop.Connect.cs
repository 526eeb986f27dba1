using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "connect", SetLastError = true)]
        internal static extern unsafe int Connect(int fd, void* address, uint addressLength);
    }
}
