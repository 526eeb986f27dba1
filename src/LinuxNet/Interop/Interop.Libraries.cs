namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libraries
    {
        // "libc" lets the runtime probe libc.so.6 on glibc and libc.so on musl.
        internal const string Libc = "libc";
    }
}
