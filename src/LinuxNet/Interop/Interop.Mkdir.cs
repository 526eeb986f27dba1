using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "mkdir", SetLastError = true)]
        internal static extern unsafe int Mkdir(byte* path, int mode);
    }
}
