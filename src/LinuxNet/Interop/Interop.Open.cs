using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [DllImport(Libraries.Libc, EntryPoint = "open", SetLastError = true)]
        private static extern unsafe int OpenRaw(byte* path, int flags, int mode);

        /// <summary>Opens <paramref name="path"/> with <c>O_CLOEXEC</c> always added; retries <c>EINTR</c>.</summary>
        internal static unsafe SafeFileDescriptorHandle Open(string path, int flags, int mode = 0, string? operation = null, string? capability = null)
        {
            Utf8Z z = new(path);
            int fd;
            fixed (byte* p = z.Bytes)
            {
                do
                {
                    fd = OpenRaw(p, flags | LinuxFcntl.O_CLOEXEC, mode);
                }
                while (fd < 0 && GetLastErrno() == (int)Errno.EINTR);
            }

            CheckIo(fd, operation ?? $"open('{path}')", capability);
            return new SafeFileDescriptorHandle(fd);
        }
    }
}
