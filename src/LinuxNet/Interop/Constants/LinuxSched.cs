namespace LinuxNet;

// /usr/include/linux/sched.h
internal static class LinuxSched
{
    internal const int CLONE_FS = 0x00000200;
    internal const int CLONE_NEWNS = 0x00020000;
    internal const int CLONE_NEWNET = 0x40000000;
}
