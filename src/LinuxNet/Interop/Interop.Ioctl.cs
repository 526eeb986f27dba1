using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "ioctl", SetLastError = true)]
        internal static extern unsafe int Ioctl(int fd, nuint request, void* argument);

        [DllImport(Libraries.Libc, EntryPoint = "ioctl", SetLastError = true)]
        internal static extern int Ioctl(int fd, nuint request, nint argument);
    }
}
