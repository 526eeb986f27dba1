namespace LinuxNet.Tun;

// errno values the public Errno enum does not name (asm-generic/errno.h).
internal static class LinuxErrnoExtra
{
    // "File descriptor in bad state": what tun returns for a queue whose device is gone or that is detached.
    internal const int EBADFD = 77;
}
