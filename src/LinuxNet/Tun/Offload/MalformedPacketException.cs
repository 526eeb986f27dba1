using System;

namespace LinuxNet.Tun.Offload;

/// <summary>
/// A frame handed to the offload helpers cannot be processed: a header is truncated or inconsistent, or the frame
/// uses a feature they do not support (IPv6 extension headers, IPv4 fragments, UFO).
/// </summary>
/// <remarks>
/// <see cref="LinuxNetException.Errno"/> is <see cref="Errno.EINVAL"/> for malformed input and
/// <see cref="Errno.EOPNOTSUPP"/> for unsupported features, the errno the kernel returns for the same frames.
/// The <c>Try</c> methods report the same conditions by returning <see langword="false"/> instead.
/// </remarks>
public sealed class MalformedPacketException : LinuxNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errno"><see cref="Errno.EINVAL"/> or <see cref="Errno.EOPNOTSUPP"/>.</param>
    /// <param name="operation">What was attempted, e.g. <c>GSO split</c>.</param>
    /// <param name="message">What is wrong with the frame.</param>
    public MalformedPacketException(Errno errno, string operation, string message)
        : base(errno, operation, message)
    {
    }
}
