namespace LinuxNet;

// /usr/include/linux/inotify.h
internal static class LinuxInotify
{
    internal const uint IN_MOVED_FROM = 0x00000040;
    internal const uint IN_MOVED_TO = 0x00000080;
    internal const uint IN_CREATE = 0x00000100;
    internal const uint IN_DELETE = 0x00000200;
    internal const uint IN_DELETE_SELF = 0x00000400;
    internal const uint IN_MOVE_SELF = 0x00000800;
    internal const uint IN_UNMOUNT = 0x00002000;
    internal const uint IN_Q_OVERFLOW = 0x00004000;
    internal const uint IN_IGNORED = 0x00008000;
    internal const uint IN_ONLYDIR = 0x01000000;

    internal const int IN_NONBLOCK = LinuxFcntl.O_NONBLOCK;
    internal const int IN_CLOEXEC = LinuxFcntl.O_CLOEXEC;

    /// <summary>sizeof(struct inotify_event): wd, mask, cookie, len; the NUL-padded name follows.</summary>
    internal const int EventHeaderSize = 16;
}
