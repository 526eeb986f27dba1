namespace LinuxNet;

// /usr/include/linux/mount.h (MS_*), /usr/include/x86_64-linux-gnu/sys/mount.h (MNT_*: same on every architecture)
internal static class LinuxMount
{
    internal const uint MS_RDONLY = 1;
    internal const uint MS_BIND = 4096;
    internal const uint MS_REC = 16384;
    internal const uint MS_PRIVATE = 1 << 18;
    internal const uint MS_SLAVE = 1 << 19;
    internal const uint MS_SHARED = 1 << 20;

    internal const int MNT_FORCE = 1;
    internal const int MNT_DETACH = 2;
}
