using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "read", SetLastError = true)]
        internal static extern unsafe nint Read(int fd, void* buffer, nuint count);
    }
}
