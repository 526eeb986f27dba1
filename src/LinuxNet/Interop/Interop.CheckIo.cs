using System.Diagnostics.CodeAnalysis;

namespace LinuxNet;

internal static partial class Interop
{
    /// <summary>Returns <paramref name="result"/> when it is not negative; otherwise reads errno at once and throws.</summary>
    /// <param name="result">The return value of a libc call made with <c>SetLastError = true</c>.</param>
    /// <param name="operation">What was attempted, e.g. <c>ioctl(TUNSETIFF) on 'tun0'</c>.</param>
    /// <param name="capability">The capability an <c>EPERM</c>/<c>EACCES</c> points at, e.g. <c>CAP_NET_ADMIN</c>.</param>
    internal static int CheckIo(int result, string operation, string? capability = null)
    {
        if (result < 0)
        {
            ThrowForErrno(GetLastErrno(), operation, capability);
        }

        return result;
    }

    /// <inheritdoc cref="CheckIo(int, string, string?)"/>
    internal static nint CheckIo(nint result, string operation, string? capability = null)
    {
        if (result < 0)
        {
            ThrowForErrno(GetLastErrno(), operation, capability);
        }

        return result;
    }

    [DoesNotReturn]
    internal static void ThrowForErrno(int errno, string operation, string? capability = null)
        => throw LinuxNetException.FromErrno(errno, operation, capability);
}
