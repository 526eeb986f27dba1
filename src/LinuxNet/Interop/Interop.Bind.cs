using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "bind", SetLastError = true)]
        internal static extern unsafe int Bind(int fd, void* address, uint addressLength);
    }
}
