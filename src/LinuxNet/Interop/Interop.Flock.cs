using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // Locks belong to the open file description, so two descriptors in one process exclude each other too.
        [DllImport(Libraries.Libc, EntryPoint = "flock", SetLastError = true)]
        internal static extern int Flock(int fd, int operation);
    }
}
