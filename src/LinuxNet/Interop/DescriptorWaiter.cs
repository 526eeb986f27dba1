using System;
using System.Threading;

namespace LinuxNet;

/// <summary>
/// The synchronous wait of a non-blocking descriptor: <c>poll()</c> on the descriptor and on an eventfd that
/// <see cref="Close"/> and cancellation signal, so a blocked caller always ends promptly. One per descriptor owner.
/// </summary>
internal sealed class DescriptorWaiter : IDisposable
{
    private readonly SafeFileDescriptorHandle _wake;
    private readonly string _ownerName;
    private volatile bool _closed;

    /// <param name="ownerName">The public type the caller holds, named by <see cref="ObjectDisposedException"/>.</param>
    internal DescriptorWaiter(string ownerName)
    {
        _ownerName = ownerName;
        int wake = Interop.CheckIo(Interop.Libc.EventFd(0, LinuxFcntl.EFD_CLOEXEC | LinuxFcntl.EFD_NONBLOCK), "eventfd()");
        _wake = new SafeFileDescriptorHandle(wake);
    }

    internal bool IsClosed => _closed;

    /// <summary>Waits in <c>poll()</c> for <paramref name="events"/> on <paramref name="fd"/>.</summary>
    /// <exception cref="ObjectDisposedException"><see cref="Close"/> was called, before or during the wait.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    internal unsafe void Wait(SafeFileDescriptorHandle fd, short events, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static s => ((DescriptorWaiter)s!).Signal(), this)
            : default;
        bool fdAdded = false;
        bool wakeAdded = false;
        try
        {
            fd.DangerousAddRef(ref fdAdded);
            _wake.DangerousAddRef(ref wakeAdded);
            PollFd* fds = stackalloc PollFd[2];
            fds[0] = new PollFd { Fd = fd.DangerousGetFd(), Events = events };
            fds[1] = new PollFd { Fd = _wake.DangerousGetFd(), Events = LinuxFcntl.POLLIN };
            while (true)
            {
                int rc = Interop.Libc.Poll(fds, 2, -1);
                if (rc < 0)
                {
                    int errno = Interop.GetLastErrno();
                    if (errno == (int)Errno.EINTR)
                    {
                        continue;
                    }

                    Interop.ThrowForErrno(errno, "poll()");
                }

                ThrowIfClosed();
                if (cancellationToken.IsCancellationRequested)
                {
                    Drain();
                    throw new OperationCanceledException(cancellationToken);
                }

                if (fds[0].ReturnedEvents != 0)
                {
                    // Ready, or an error the retried I/O will report.
                    return;
                }

                // The eventfd was signaled for another waiter's cancellation; let it drain and poll again.
                Thread.Yield();
            }
        }
        finally
        {
            if (wakeAdded)
            {
                _wake.DangerousRelease();
            }

            if (fdAdded)
            {
                fd.DangerousRelease();
            }

            registration.Dispose();
        }
    }

    /// <summary>Ends every current and future wait with <see cref="ObjectDisposedException"/>.</summary>
    internal void Close()
    {
        _closed = true;
        Signal();
    }

    /// <summary>Closes the eventfd; a wait still in <c>poll()</c> keeps it alive until it returns.</summary>
    public void Dispose()
    {
        Close();
        _wake.Dispose();
    }

    internal void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(_ownerName);
        }
    }

    private unsafe void Signal()
    {
        bool added = false;
        try
        {
            _wake.DangerousAddRef(ref added);
            ulong one = 1;
            _ = Interop.Libc.Write(_wake.DangerousGetFd(), &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                _wake.DangerousRelease();
            }
        }
    }

    private unsafe void Drain()
    {
        ulong value;
        _ = Interop.Libc.Read(_wake.DangerousGetFd(), &value, sizeof(ulong));
    }
}
