using System;
using System.Threading;

namespace LinuxNet;

/// <summary>
/// The synchronous wait of a non-blocking descriptor: <c>poll()</c> on the descriptor and on an eventfd that
/// <see cref="Close"/> and cancellation signal, so a blocked caller always ends promptly — closing a descriptor does not
/// wake a thread blocked on it. One per descriptor owner (<c>NetlinkSocket</c>, <c>TunQueue</c>, <c>UdpBatchSocket</c>).
/// </summary>
/// <remarks>
/// The waiting thread holds a reference on both descriptors during <c>poll()</c>, so a concurrent dispose of the owner
/// cannot close (and the kernel reuse) either number mid-wait; the close happens when the wait returns.
/// </remarks>
internal sealed unsafe class DescriptorWaiter : IDisposable
{
    private readonly SafeFileDescriptorHandle _wake;
    private volatile bool _closed;

    /// <param name="ownerName">The public type the caller holds, named by <see cref="ObjectDisposedException"/>.</param>
    internal DescriptorWaiter(string ownerName)
    {
        OwnerName = ownerName;
        int wake = Interop.CheckIo(Interop.Libc.EventFd(0, LinuxFcntl.EFD_CLOEXEC | LinuxFcntl.EFD_NONBLOCK), "eventfd()");
        _wake = new SafeFileDescriptorHandle(wake) { OwnerName = ownerName };
    }

    internal bool IsClosed => _closed;

    /// <summary>The public type named by the <see cref="ObjectDisposedException"/> a closed wait throws.</summary>
    internal string OwnerName { get; set; }

    /// <summary>Waits in <c>poll()</c> for <paramref name="events"/> on <paramref name="fd"/>, without a deadline.</summary>
    /// <exception cref="ObjectDisposedException"><see cref="Close"/> was called, before or during the wait.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    internal void Wait(SafeFileDescriptorHandle fd, short events, CancellationToken cancellationToken)
        => Wait(fd, events, Deadline.Infinite, cancellationToken);

    /// <summary>Waits until <paramref name="fd"/> is readable (or reports an error or hang-up) or the deadline passes.</summary>
    /// <returns><see langword="true"/> when the descriptor is ready; <see langword="false"/> when the deadline passed first.</returns>
    /// <exception cref="ObjectDisposedException"><see cref="Close"/> was called, before or during the wait.</exception>
    internal bool WaitReadable(SafeFileDescriptorHandle fd, Deadline deadline) => Wait(fd, LinuxFcntl.POLLIN, deadline, default);

    /// <summary>Waits in <c>poll()</c> for <paramref name="events"/> on <paramref name="fd"/> until it is ready or the deadline passes.</summary>
    /// <returns><see langword="true"/> when the descriptor is ready (or has an error the retried I/O will report); <see langword="false"/> when the deadline passed first.</returns>
    /// <exception cref="ObjectDisposedException"><see cref="Close"/> was called, before or during the wait.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    internal bool Wait(SafeFileDescriptorHandle fd, short events, Deadline deadline, CancellationToken cancellationToken)
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
            fd.AddRef(ref fdAdded);
            _wake.AddRef(ref wakeAdded);
            PollFd* fds = stackalloc PollFd[2];
            fds[0] = new PollFd { Fd = fd.DangerousGetFd(), Events = events };
            fds[1] = new PollFd { Fd = _wake.DangerousGetFd(), Events = LinuxFcntl.POLLIN };
            while (true)
            {
                fds[0].ReturnedEvents = 0;
                fds[1].ReturnedEvents = 0;
                int rc = Interop.Libc.Poll(fds, 2, deadline.RemainingMilliseconds);
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
                    return true;
                }

                if (rc == 0 || deadline.HasPassed)
                {
                    return false;
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

    /// <summary><see cref="Close"/>, then releases the eventfd (closed once no wait holds it).</summary>
    public void Dispose()
    {
        Close();
        _wake.Dispose();
    }

    internal void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(OwnerName);
        }
    }

    private void Signal()
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
            // Already disposed: nobody can be waiting.
        }
        finally
        {
            if (added)
            {
                _wake.DangerousRelease();
            }
        }
    }

    private void Drain()
    {
        ulong value;
        _ = Interop.Libc.Read(_wake.DangerousGetFd(), &value, sizeof(ulong));
    }
}
