using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // close() is never retried on EINTR: on Linux the descriptor is released either way.
        [DllImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
        internal static extern int Close(int fd);
    }
}
