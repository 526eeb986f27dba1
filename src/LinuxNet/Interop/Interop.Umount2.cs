using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "umount2", SetLastError = true)]
        internal static extern unsafe int Umount2(byte* target, int flags);
    }
}
