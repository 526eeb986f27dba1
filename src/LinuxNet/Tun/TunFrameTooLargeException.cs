using System;

namespace LinuxNet.Tun;

/// <summary>
/// A frame read from a TUN/TAP device did not fit in the caller's buffer. The kernel dropped the part that did not
/// fit, so the frame is lost; use a buffer of <see cref="TunDevice.MaxFrameSize"/> bytes.
/// </summary>
public sealed class TunFrameTooLargeException : LinuxNetException
{
    /// <summary>Creates the exception for a read on <paramref name="deviceName"/> with a buffer of <paramref name="bufferLength"/> bytes.</summary>
    /// <param name="deviceName">The interface name.</param>
    /// <param name="bufferLength">The size of the buffer that was too small.</param>
    public TunFrameTooLargeException(string deviceName, int bufferLength)
        : base(
            Errno.EMSGSIZE,
            $"read() on TUN device '{deviceName}'",
            $"A frame read from '{deviceName}' was longer than the {bufferLength}-byte buffer; the kernel truncates such frames, so it was dropped. Read with a buffer of TunDevice.MaxFrameSize bytes.")
    {
        BufferLength = bufferLength;
    }

    /// <summary>The size of the buffer that was too small.</summary>
    public int BufferLength { get; }
}
