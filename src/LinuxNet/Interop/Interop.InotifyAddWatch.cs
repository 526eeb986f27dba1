using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "inotify_add_watch", SetLastError = true)]
        internal static extern unsafe int InotifyAddWatch(int fd, byte* path, uint mask);
    }
}
