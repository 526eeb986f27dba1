using System;

namespace LinuxNet.Netlink;

/// <summary>A netlink buffer is malformed: a length points outside the buffer, a header is cut short, an attribute is
/// shorter than its type, a string lacks its terminating NUL, nesting is too deep, or a reply was truncated.</summary>
/// <remarks>The readers throw only this exception for bad input; they never read outside the buffer they were given.</remarks>
public sealed class NetlinkProtocolException : LinuxNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the buffer.</param>
    public NetlinkProtocolException(string message)
        : base(Errno.EBADMSG, "netlink parse", message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is wrong with the buffer.</param>
    /// <param name="innerException">The cause.</param>
    public NetlinkProtocolException(string message, Exception innerException)
        : base(Errno.EBADMSG, "netlink parse", message, innerException)
    {
    }
}
