using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // Acts on the calling OS thread only. Call it only on a thread LinuxNet owns (NamespaceThread).
        [DllImport(Libraries.Libc, EntryPoint = "setns", SetLastError = true)]
        internal static extern int SetNs(int fd, int nstype);
    }
}
