using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Genl;

/// <summary>
/// A socket joined to one multicast group of a generic netlink family, in the namespace of the session that opened it
/// (<see cref="GenericNetlinkSession.OpenEvents(string, string)"/>). Like <c>genl monitor</c> or <c>ip mptcp monitor</c>.
/// </summary>
/// <remarks>
/// Reads wait on the shared epoll loop, parking no thread. One reader at a time; <see cref="Dispose"/> ends a pending read.
/// Events from senders other than the kernel are dropped.
/// </remarks>
public sealed class GenericNetlinkEventReader : IDisposable
{
    private const int DatagramBuffer = 64 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly PollRegistration _registration;
    private readonly byte[] _buffer = new byte[DatagramBuffer];
    private int _position;
    private int _end;

    internal GenericNetlinkEventReader(NetlinkSocket socket, GenericNetlinkFamily family, GenericNetlinkMulticastGroup group)
    {
        _socket = socket;
        Family = family;
        Group = group;
        _registration = FileDescriptorPoller.Shared.Register(socket.Handle);
    }

    /// <summary>The family whose events are read.</summary>
    public GenericNetlinkFamily Family { get; }

    /// <summary>The group joined.</summary>
    public GenericNetlinkMulticastGroup Group { get; }

    /// <summary>Waits for the next event of the group.</summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The event, or an overrun notice when the kernel dropped events.</returns>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    /// <exception cref="LinuxNetException">The receive failed.</exception>
    public async ValueTask<GenericNetlinkEvent> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryRead() is { } next)
            {
                return next;
            }

            int length = _socket.TryReceiveEvent(_buffer, out Errno error);
            if (length >= 0)
            {
                _position = 0;
                _end = length;
                continue;
            }

            if (error == Errno.ENOBUFS)
            {
                return new GenericNetlinkEvent(0, 0, Array.Empty<byte>(), isOverrun: true);
            }

            await _registration.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Leaves the group and closes the socket.</summary>
    public void Dispose()
    {
        _registration.Dispose();
        _socket.Dispose();
    }

    private GenericNetlinkEvent? TryRead()
    {
        while (_end - _position >= NetlinkHeader.Size)
        {
            NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(_buffer.AsSpan(_position));
            int length = (int)header.Length;
            int start = _position;
            if (length < NetlinkHeader.Size || length > _end - _position)
            {
                // Never parse past a malformed header: drop the rest of the datagram.
                _position = _end;
                return null;
            }

            _position += NetlinkMessageWriter.Align(length);
            int payload = length - NetlinkHeader.Size;
            if (header.Type != Family.Id || payload < LinuxGenetlink.GENL_HDRLEN)
            {
                continue;
            }

            ReadOnlySpan<byte> body = _buffer.AsSpan(start + NetlinkHeader.Size, payload);
            return new GenericNetlinkEvent(body[0], body[1], body.Slice(LinuxGenetlink.GENL_HDRLEN).ToArray(), isOverrun: false);
        }

        return null;
    }
}
