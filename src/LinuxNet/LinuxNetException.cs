using System;
using System.IO;

namespace LinuxNet;

/// <summary>
/// The root of LinuxNet's exceptions: a system call or a kernel request failed with an <see cref="LinuxNet.Errno"/>.
/// </summary>
/// <remarks>
/// <see cref="Exception.HResult"/> holds the errno number. Catch a particular failure with a filter, for example
/// <c>catch (LinuxNetException e) when (e.IsAlreadyExists)</c>. Netlink refusals arrive as the subtype
/// <c>LinuxNet.Netlink.NetlinkException</c>, which adds the kernel's extended-ack text.
/// </remarks>
public class LinuxNetException : IOException
{
    /// <summary>Creates an exception for an errno returned by <paramref name="operation"/>.</summary>
    /// <param name="errno">The error number.</param>
    /// <param name="operation">What was attempted, e.g. <c>ioctl(TUNSETIFF) on 'tun0'</c>.</param>
    /// <param name="message">The full message; built from errno and operation when <see langword="null"/>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public LinuxNetException(Errno errno, string operation, string? message = null, Exception? innerException = null)
        : base(message ?? FormatMessage((int)errno, operation, null), innerException)
    {
        Errno = errno;
        Operation = operation ?? string.Empty;
        HResult = (int)errno;
    }

    /// <summary>The error number, e.g. <see cref="Errno.EEXIST"/>.</summary>
    public Errno Errno { get; }

    /// <summary>The errno as a number, e.g. 17 for <c>EEXIST</c>.</summary>
    public int ErrorNumber => (int)Errno;

    /// <summary>The symbolic errno name, e.g. <c>EEXIST</c>, or <c>errno N</c> for numbers without a name here.</summary>
    public string ErrnoName => ErrnoNames.GetName(Errno);

    /// <summary>What was attempted, e.g. <c>ioctl(TUNSETIFF) on 'tun0'</c> or <c>RTM_NEWADDR</c>.</summary>
    public string Operation { get; }

    /// <summary><see langword="true"/> when the object to create exists already (<c>EEXIST</c>).</summary>
    public bool IsAlreadyExists => Errno == Errno.EEXIST;

    /// <summary><see langword="true"/> when the object named does not exist (<c>ENOENT</c>, <c>ENODEV</c>, <c>ESRCH</c>, <c>EADDRNOTAVAIL</c>).</summary>
    public bool IsNotFound => Errno is Errno.ENOENT or Errno.ENODEV or Errno.ESRCH or Errno.EADDRNOTAVAIL;

    /// <summary><see langword="true"/> when the caller lacks a privilege (<c>EPERM</c>, <c>EACCES</c>).</summary>
    public bool IsPermissionDenied => Errno is Errno.EPERM or Errno.EACCES;

    /// <summary><see langword="true"/> when the kernel lacks the feature or module asked for (<c>EOPNOTSUPP</c>, <c>EAFNOSUPPORT</c>, <c>EPROTONOSUPPORT</c>, <c>ENOSYS</c>).</summary>
    public bool IsNotSupported => Errno is Errno.EOPNOTSUPP or Errno.EAFNOSUPPORT or Errno.EPROTONOSUPPORT or Errno.ENOSYS;

    internal static Exception FromErrno(int errno, string operation, string? capability)
    {
        if (errno == (int)Errno.ECANCELED)
        {
            return new OperationCanceledException(FormatMessage(errno, operation, capability));
        }

        return new LinuxNetException((Errno)errno, operation, FormatMessage(errno, operation, capability));
    }

    internal static string FormatMessage(int errno, string operation, string? capability)
    {
        string text = $"{operation} failed: {ErrnoNames.GetName((Errno)errno)} ({errno}): {Interop.Libc.StrError(errno)}";
        if (errno is (int)Errno.EPERM or (int)Errno.EACCES)
        {
            text += capability is null
                ? ". Run as root or grant CAP_NET_ADMIN (and CAP_SYS_ADMIN for namespaces)."
                : $". This needs {capability}: run as root or grant it.";
        }

        return text;
    }
}
