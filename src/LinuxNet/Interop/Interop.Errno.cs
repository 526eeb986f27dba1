using System;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // The XSI strerror_r: fills the caller's buffer, unlike the GNU variant or strerror (not thread safe).
        [DllImport(Libraries.Libc, EntryPoint = "__xpg_strerror_r", SetLastError = false)]
        private static extern unsafe int XpgStrErrorR(int errnum, byte* buffer, nint length);

        [DllImport(Libraries.Libc, EntryPoint = "strerror_r", SetLastError = false)]
        private static extern unsafe int StrErrorR(int errnum, byte* buffer, nint length);

        private static bool s_noXpg;

        /// <summary>The C library's text for an errno, e.g. "File exists".</summary>
        internal static unsafe string StrError(int errno)
        {
            byte* buffer = stackalloc byte[256];
            buffer[0] = 0;
            int rc;
            try
            {
                rc = s_noXpg ? StrErrorR(errno, buffer, 256) : XpgStrErrorR(errno, buffer, 256);
            }
            catch (EntryPointNotFoundException)
            {
                s_noXpg = true;
                rc = StrErrorR(errno, buffer, 256);
            }

            int length = 0;
            while (length < 255 && buffer[length] != 0)
            {
                length++;
            }

            return rc == 0 && length > 0 ? Encoding.UTF8.GetString(buffer, length) : "Unknown error " + errno;
        }
    }

    /// <summary>The errno of the last P/Invoke marked <c>SetLastError = true</c>. Read it right after the call.</summary>
    internal static int GetLastErrno() => Marshal.GetLastWin32Error();
}
