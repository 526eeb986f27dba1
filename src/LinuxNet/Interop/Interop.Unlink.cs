using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "unlink", SetLastError = true)]
        internal static extern unsafe int Unlink(byte* path);
    }
}
