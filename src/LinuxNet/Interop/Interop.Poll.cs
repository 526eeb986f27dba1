using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "poll", SetLastError = true)]
        internal static extern unsafe int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
    }
}
