using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "mount", SetLastError = true)]
        internal static extern unsafe int Mount(byte* source, byte* target, byte* filesystemType, nuint flags, void* data);
    }
}
