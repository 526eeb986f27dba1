using System;

namespace LinuxNet.Netlink;

public sealed partial class NetlinkSocket
{
    /// <summary>
    /// Receives one datagram of multicast events without blocking, into <paramref name="buffer"/>. Datagrams from any
    /// sender but the kernel (<c>nl_pid</c> ≠ 0) are dropped, so no local process can forge events.
    /// </summary>
    /// <param name="buffer">Where the datagram goes.</param>
    /// <param name="error">
    /// When the result is negative: <see cref="Errno.EAGAIN"/> (nothing queued), <see cref="Errno.ENOBUFS"/> (the
    /// kernel dropped events because the receive buffer overflowed), or <see cref="Errno.EMSGSIZE"/> (the datagram was
    /// larger than <paramref name="buffer"/> and was lost; grow the buffer).
    /// </param>
    /// <returns>The datagram's length, or -1 with <paramref name="error"/> set.</returns>
    /// <exception cref="LinuxNetException">Any other receive failure.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    internal int TryReceiveEvent(byte[] buffer, out Errno error)
    {
        bool added = false;
        try
        {
            _handle.AddRef(ref added);
            int fd = _handle.DangerousGetFd();
            while (true)
            {
                nint received = ReceiveFrom(fd, buffer, LinuxSocket.MSG_DONTWAIT, out SockAddrNetlink sender);

                if (received < 0)
                {
                    int errno = Interop.GetLastErrno();
                    switch ((Errno)errno)
                    {
                        case Errno.EINTR:
                            continue;
                        case Errno.EAGAIN:
                            error = Errno.EAGAIN;
                            return -1;
                        case Errno.ENOBUFS:
                            RecordOverrun("event");
                            error = Errno.ENOBUFS;
                            return -1;
                        default:
                            Interop.ThrowForErrno(errno, "recvmsg(netlink events)");
                            break;
                    }
                }

                if (sender.PortId != 0)
                {
                    NetlinkLog.ForeignSenderDropped(_logger, sender.PortId);
                    continue;
                }

                if (received > buffer.Length)
                {
                    NetlinkLog.ReplyTruncated(_logger, (int)received, buffer.Length);
                    error = Errno.EMSGSIZE;
                    return -1;
                }

                if (LinuxNetMetrics.NetlinkEvents.Enabled)
                {
                    RecordMessages(LinuxNetMetrics.NetlinkEvents, buffer.AsSpan(0, (int)received));
                }

                error = 0;
                return (int)received;
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }
}
