using System;
using System.Threading;
using System.Threading.Tasks;

namespace LinuxNet.Netlink;

public sealed partial class NetlinkSocket
{
    // rtnetlink answers requests inside sendmsg and produces dump parts inside recvmsg, so request replies are almost
    // always queued already; this wait only matters for other protocols and for event sockets.
    private async ValueTask WaitReadableAsync(CancellationToken cancellationToken)
    {
        // TEMPORARY until the shared poller lands: short polls off the caller's thread.
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool ready = await Task.Run(PollOnce, cancellationToken).ConfigureAwait(false);
            if (ready)
            {
                return;
            }
        }
    }

    private unsafe bool PollOnce()
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            PollFd fd = new() { Fd = _handle.DangerousGetFd(), Events = LinuxFcntl.POLLIN };
            return Interop.Libc.Poll(&fd, 1, 50) > 0;
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
