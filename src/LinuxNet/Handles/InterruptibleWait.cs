using System;

namespace LinuxNet;

/// <summary>
/// A blocking wait in <c>poll()</c> for one descriptor that its owner can end from another thread at once, through an
/// eventfd: closing a descriptor does not wake a thread blocked on it, so <see cref="Close"/> signals the eventfd instead.
/// </summary>
/// <remarks>
/// The waiting thread holds a reference on both descriptors during <c>poll()</c>, so a concurrent dispose of the owner
/// cannot close (and the kernel reuse) either number mid-wait; the close happens when the wait returns.
/// </remarks>
internal sealed unsafe class InterruptibleWait : IDisposable
{
    private readonly SafeFileDescriptorHandle _signal;
    private volatile bool _closed;

    /// <param name="ownerName">The public type the user holds, named by the <see cref="ObjectDisposedException"/> a closed wait throws.</param>
    internal InterruptibleWait(string ownerName)
    {
        OwnerName = ownerName;
        int fd = Interop.CheckIo(Interop.Libc.EventFd(0, LinuxFcntl.EFD_CLOEXEC | LinuxFcntl.EFD_NONBLOCK), "eventfd()");
        _signal = new SafeFileDescriptorHandle(fd) { OwnerName = ownerName };
    }

    internal bool IsClosed => _closed;

    /// <summary>The public type named by the <see cref="ObjectDisposedException"/> a closed wait throws.</summary>
    internal string OwnerName { get; set; }

    /// <summary>Waits until <paramref name="fd"/> is readable (or reports an error or hang-up) or the deadline passes.</summary>
    /// <returns><see langword="true"/> when the descriptor is ready; <see langword="false"/> when the deadline passed first.</returns>
    /// <exception cref="ObjectDisposedException"><see cref="Close"/> was called, before or during the wait.</exception>
    internal bool WaitReadable(SafeFileDescriptorHandle fd, Deadline deadline)
    {
        bool fdAdded = false;
        bool signalAdded = false;
        try
        {
            ThrowIfClosed();
            fd.AddRef(ref fdAdded);
            _signal.AddRef(ref signalAdded);
            PollFd* fds = stackalloc PollFd[2];
            fds[0] = new PollFd { Fd = fd.DangerousGetFd(), Events = LinuxFcntl.POLLIN };
            fds[1] = new PollFd { Fd = _signal.DangerousGetFd(), Events = LinuxFcntl.POLLIN };
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
                if (fds[0].ReturnedEvents != 0)
                {
                    return true;
                }

                if (rc == 0 || deadline.HasPassed)
                {
                    return false;
                }
            }
        }
        finally
        {
            if (signalAdded)
            {
                _signal.DangerousRelease();
            }

            if (fdAdded)
            {
                fd.DangerousRelease();
            }
        }
    }

    /// <summary>Ends the current wait and every later one with <see cref="ObjectDisposedException"/>.</summary>
    internal void Close()
    {
        _closed = true;
        bool added = false;
        try
        {
            _signal.DangerousAddRef(ref added);
            ulong one = 1;
            _ = Interop.Libc.Write(_signal.DangerousGetFd(), &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nobody can be waiting.
        }
        finally
        {
            if (added)
            {
                _signal.DangerousRelease();
            }
        }
    }

    /// <summary><see cref="Close"/>, then releases the eventfd (closed once no wait holds it).</summary>
    public void Dispose()
    {
        Close();
        _signal.Dispose();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(OwnerName);
        }
    }
}
