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
        PollRegistration registration = Volatile.Read(ref _registration) ?? Register();
        return registration.WaitReadableAsync(cancellationToken);
    }

    private PollRegistration Register()
    {
        PollRegistration created = FileDescriptorPoller.Shared.Register(_handle);
        PollRegistration? existing = Interlocked.CompareExchange(ref _registration, created, null);
        if (existing is null)
        {
            return created;
        }

        created.Dispose();
        return existing;
    }

    private void DisposeRegistration() => Interlocked.Exchange(ref _registration, null)?.Dispose();
}
