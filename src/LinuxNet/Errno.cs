namespace LinuxNet;

/// <summary>Linux error numbers (<c>errno</c>), named as in <c>/usr/include/asm-generic/errno*.h</c>.</summary>
/// <remarks>The values are those of the generic Linux ABI used by x86-64, arm64 and most other architectures.</remarks>
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Operation not permitted.</summary>
    EPERM = 1,
    /// <summary>No such file or directory.</summary>
    ENOENT = 2,
    /// <summary>No such process.</summary>
    ESRCH = 3,
    /// <summary>Interrupted system call.</summary>
    EINTR = 4,
    /// <summary>Input/output error.</summary>
    EIO = 5,
    /// <summary>No such device or address.</summary>
    ENXIO = 6,
    /// <summary>Argument list too long.</summary>
    E2BIG = 7,
    /// <summary>Bad file descriptor.</summary>
    EBADF = 9,
    /// <summary>Resource temporarily unavailable (also <c>EWOULDBLOCK</c>).</summary>
    EAGAIN = 11,
    /// <summary>Cannot allocate memory.</summary>
    ENOMEM = 12,
    /// <summary>Permission denied.</summary>
    EACCES = 13,
    /// <summary>Bad address.</summary>
    EFAULT = 14,
    /// <summary>Device or resource busy.</summary>
    EBUSY = 16,
    /// <summary>File exists.</summary>
    EEXIST = 17,
    /// <summary>Invalid cross-device link.</summary>
    EXDEV = 18,
    /// <summary>No such device.</summary>
    ENODEV = 19,
    /// <summary>Not a directory.</summary>
    ENOTDIR = 20,
    /// <summary>Is a directory.</summary>
    EISDIR = 21,
    /// <summary>Invalid argument.</summary>
    EINVAL = 22,
    /// <summary>Too many open files in system.</summary>
    ENFILE = 23,
    /// <summary>Too many open files.</summary>
    EMFILE = 24,
    /// <summary>Inappropriate ioctl for device.</summary>
    ENOTTY = 25,
    /// <summary>File too large.</summary>
    EFBIG = 27,
    /// <summary>No space left on device.</summary>
    ENOSPC = 28,
    /// <summary>Read-only file system.</summary>
    EROFS = 30,
    /// <summary>Too many links.</summary>
    EMLINK = 31,
    /// <summary>Broken pipe.</summary>
    EPIPE = 32,
    /// <summary>Numerical result out of range.</summary>
    ERANGE = 34,
    /// <summary>Resource deadlock avoided.</summary>
    EDEADLK = 35,
    /// <summary>File name too long.</summary>
    ENAMETOOLONG = 36,
    /// <summary>Function not implemented.</summary>
    ENOSYS = 38,
    /// <summary>Directory not empty.</summary>
    ENOTEMPTY = 39,
    /// <summary>Too many levels of symbolic links.</summary>
    ELOOP = 40,
    /// <summary>No message of desired type.</summary>
    ENOMSG = 42,
    /// <summary>No data available.</summary>
    ENODATA = 61,
    /// <summary>Timer expired.</summary>
    ETIME = 62,
    /// <summary>Protocol error.</summary>
    EPROTO = 71,
    /// <summary>Bad message.</summary>
    EBADMSG = 74,
    /// <summary>Value too large for defined data type.</summary>
    EOVERFLOW = 75,
    /// <summary>Socket operation on non-socket.</summary>
    ENOTSOCK = 88,
    /// <summary>Destination address required.</summary>
    EDESTADDRREQ = 89,
    /// <summary>Message too long.</summary>
    EMSGSIZE = 90,
    /// <summary>Protocol wrong type for socket.</summary>
    EPROTOTYPE = 91,
    /// <summary>Protocol not available.</summary>
    ENOPROTOOPT = 92,
    /// <summary>Protocol not supported.</summary>
    EPROTONOSUPPORT = 93,
    /// <summary>Operation not supported.</summary>
    EOPNOTSUPP = 95,
    /// <summary>Protocol family not supported.</summary>
    EPFNOSUPPORT = 96,
    /// <summary>Address family not supported by protocol.</summary>
    EAFNOSUPPORT = 97,
    /// <summary>Address already in use.</summary>
    EADDRINUSE = 98,
    /// <summary>Cannot assign requested address.</summary>
    EADDRNOTAVAIL = 99,
    /// <summary>Network is down.</summary>
    ENETDOWN = 100,
    /// <summary>Network is unreachable.</summary>
    ENETUNREACH = 101,
    /// <summary>Connection aborted.</summary>
    ECONNABORTED = 103,
    /// <summary>Connection reset by peer.</summary>
    ECONNRESET = 104,
    /// <summary>No buffer space available (on a netlink socket: events were dropped).</summary>
    ENOBUFS = 105,
    /// <summary>Transport endpoint is not connected.</summary>
    ENOTCONN = 107,
    /// <summary>Connection timed out.</summary>
    ETIMEDOUT = 110,
    /// <summary>Connection refused.</summary>
    ECONNREFUSED = 111,
    /// <summary>No route to host.</summary>
    EHOSTUNREACH = 113,
    /// <summary>Operation already in progress.</summary>
    EALREADY = 114,
    /// <summary>Operation now in progress.</summary>
    EINPROGRESS = 115,
    /// <summary>Operation canceled.</summary>
    ECANCELED = 125,
}
