using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "write", SetLastError = true)]
        internal static extern unsafe nint Write(int fd, void* buffer, nuint count);
    }
}
