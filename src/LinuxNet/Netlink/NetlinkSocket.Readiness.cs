using System.Threading;
using System.Threading.Tasks;

namespace LinuxNet.Netlink;

public sealed partial class NetlinkSocket
{
    private PollRegistration? _registration;

    // rtnetlink answers requests inside sendmsg and produces dump parts inside recvmsg, so request replies are almost
    // always queued already; this wait only matters for other protocols and for event sockets. It parks no thread:
    // the shared epoll loop completes it.
    private ValueTask WaitReadableAsync(CancellationToken cancellationToken)
    {
        PollRegistration registration = FileDescriptorPoller.Shared.RegisterOnce(ref _registration, _handle);
        if (_handle.IsClosed)
        {
            // Disposed while registering: make sure the registration does not outlive the socket.
            registration.Dispose();
        }

        return registration.WaitReadableAsync(cancellationToken);
    }

    private void DisposeRegistration() => Interlocked.Exchange(ref _registration, null)?.Dispose();
}
