using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        internal static extern int Fcntl(int fd, int command, int argument);
    }
}
