using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // With CLONE_NEWNET this moves only the calling OS thread. Call it only on a thread LinuxNet owns.
        [DllImport(Libraries.Libc, EntryPoint = "unshare", SetLastError = true)]
        internal static extern int Unshare(int flags);
    }
}
