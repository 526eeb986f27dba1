using System.Runtime.InteropServices;

namespace LinuxNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary><c>_LINUX_CAPABILITY_VERSION_3</c>: two 32-bit words per set (<c>linux/capability.h</c>).</summary>
        internal const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

        /// <summary><c>CAP_SYS_ADMIN</c>, bit 21 of the first word.</summary>
        internal const int CAP_SYS_ADMIN = 21;

        // header: { u32 version; int pid; } (pid 0 = the calling thread: capabilities are per thread);
        // data: two { u32 effective, permitted, inheritable; } for version 3.
        [DllImport(Libraries.Libc, EntryPoint = "capget", SetLastError = true)]
        internal static extern unsafe int CapGet(uint* header, uint* data);

        /// <summary>Whether the calling thread has <paramref name="capability"/> (below 32) in its effective set.</summary>
        internal static unsafe bool HasEffectiveCapability(int capability)
        {
            uint* header = stackalloc uint[2];
            uint* data = stackalloc uint[6];
            header[0] = LINUX_CAPABILITY_VERSION_3;
            header[1] = 0;
            return CapGet(header, data) == 0 && (data[0] & (1u << capability)) != 0;
        }
    }
}
