using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "socket", SetLastError = true)]
        internal static extern int Socket(int domain, int type, int protocol);

        /// <summary>Opens a socket with <c>SOCK_CLOEXEC</c> always added, in a SafeHandle.</summary>
        internal static SafeFileDescriptorHandle OpenSocket(int domain, int type, int protocol, string operation)
        {
            int fd = Socket(domain, type | LinuxSocket.SOCK_CLOEXEC, protocol);
            CheckIo(fd, operation);
            return new SafeFileDescriptorHandle(fd);
        }
    }
}
