namespace LinuxNet;

// /usr/include/x86_64-linux-gnu/sys/file.h (flock), linux/fcntl.h (AT_*), linux/stat.h (STATX_*, S_IF*)
internal static class LinuxFile
{
    internal const int LOCK_SH = 1;
    internal const int LOCK_EX = 2;
    internal const int LOCK_UN = 8;

    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int AT_EMPTY_PATH = 0x1000;

    internal const uint STATX_TYPE = 0x1;
    internal const uint STATX_MODE = 0x2;
    internal const uint STATX_INO = 0x100;
    internal const uint STATX_MNT_ID = 0x1000;
    internal const uint STATX_MNT_ID_UNIQUE = 0x4000;

    /// <summary><c>stx_attributes</c>: the path is the root of a mount (Linux 5.8).</summary>
    internal const ulong STATX_ATTR_MOUNT_ROOT = 0x2000;

    internal const int S_IFMT = 0xF000;
    internal const int S_IFDIR = 0x4000;
    internal const int S_IFREG = 0x8000;
}
