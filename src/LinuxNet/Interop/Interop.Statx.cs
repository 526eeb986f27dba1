using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // statx has one layout on every architecture, unlike struct stat (x86_64 and arm64 differ).
        [DllImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true)]
        internal static extern unsafe int Statx(int dirfd, byte* path, int flags, uint mask, StatxBuffer* buffer);
    }
}
