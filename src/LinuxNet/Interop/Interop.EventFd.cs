using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "eventfd", SetLastError = true)]
        internal static extern int EventFd(uint initialValue, int flags);
    }
}
