using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "inotify_init1", SetLastError = true)]
        internal static extern int InotifyInit1(int flags);
    }
}
