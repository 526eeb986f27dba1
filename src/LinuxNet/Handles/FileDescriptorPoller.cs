using System;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading;

namespace LinuxNet;

/// <summary>
/// One readiness loop for many non-blocking descriptors: a dedicated background thread (<c>"LinuxNet poller"</c>)
/// that sits in <c>epoll_wait</c> and completes the waits of <see cref="PollRegistration"/>s.
/// </summary>
/// <remarks>
/// <para>
/// Descriptors are registered once, <b>edge-triggered</b> (<c>EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET</c>), so a
/// wait costs no system call: the loop records every edge in the registration, and a wait that finds an edge
/// recorded since the previous wait returns at once. The caller's protocol is therefore "try the I/O; on
/// <c>EAGAIN</c>, wait; try again", and a wait may return spuriously (the retry then sees <c>EAGAIN</c> again and
/// waits again). <c>EPOLLERR</c>/<c>EPOLLHUP</c> wake both directions, so the retried I/O reports the error.
/// </para>
/// <para>
/// Completions are dispatched to the thread pool, never run on the poller thread, so user code cannot stall the
/// loop. The loop is woken through an eventfd only to stop a private (non-shared) poller; registration changes
/// need no wake because <c>epoll_ctl</c> is safe while another thread is in <c>epoll_wait</c>.
/// Events carry a registration id rather than a pointer, so an event that races with
/// <see cref="PollRegistration.Dispose"/> finds nothing and is dropped.
/// </para>
/// </remarks>
internal sealed unsafe class FileDescriptorPoller : IDisposable
{
    private const int MaxEvents = 64;
    private const ulong WakeId = 0;

    private static readonly Lazy<FileDescriptorPoller> s_shared = new(() => new FileDescriptorPoller(isShared: true), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SafeFileDescriptorHandle _epoll;
    private readonly SafeFileDescriptorHandle _wake;
    private readonly ConcurrentDictionary<ulong, PollRegistration> _registrations = new();
    private readonly Thread _thread;
    private readonly bool _isShared;
    private long _nextId;
    private volatile bool _disposed;

    /// <summary>Creates a private poller with its own thread. Most code uses <see cref="Shared"/>.</summary>
    internal FileDescriptorPoller()
        : this(isShared: false)
    {
    }

    private FileDescriptorPoller(bool isShared)
    {
        _isShared = isShared;
        int epfd = Interop.CheckIo(Interop.Libc.EpollCreate1(LinuxEpoll.EPOLL_CLOEXEC), "epoll_create1()");
        _epoll = new SafeFileDescriptorHandle(epfd);
        int efd = Interop.Libc.EventFd(0, LinuxFcntl.EFD_CLOEXEC | LinuxFcntl.EFD_NONBLOCK);
        if (efd < 0)
        {
            int errno = Interop.GetLastErrno();
            _epoll.Dispose();
            Interop.ThrowForErrno(errno, "eventfd()");
        }

        _wake = new SafeFileDescriptorHandle(efd);
        byte* ev = stackalloc byte[16];
        EpollEvent.Write(ev, LinuxEpoll.EPOLLIN, WakeId);
        if (Interop.Libc.EpollCtl(epfd, LinuxEpoll.EPOLL_CTL_ADD, efd, ev) < 0)
        {
            int errno = Interop.GetLastErrno();
            _wake.Dispose();
            _epoll.Dispose();
            Interop.ThrowForErrno(errno, "epoll_ctl(EPOLL_CTL_ADD) of the wake eventfd");
        }

        _thread = StartLoopThread();
    }

    /// <summary>The process-wide poller, started on first use; its thread lives as long as the process.</summary>
    /// <remarks>The first use may come from a namespace's pinned thread; see <see cref="StartLoopThread"/>.</remarks>
    internal static FileDescriptorPoller Shared => s_shared.Value;

    /// <summary>Starts watching <paramref name="fd"/>, which must be non-blocking.</summary>
    /// <exception cref="ObjectDisposedException">The poller or the descriptor is disposed.</exception>
    internal PollRegistration Register(SafeFileDescriptorHandle fd)
    {
        if (fd is null)
        {
            throw new ArgumentNullException(nameof(fd));
        }

        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(FileDescriptorPoller));
        }

        ulong id = (ulong)Interlocked.Increment(ref _nextId);
        var registration = new PollRegistration(this, fd, id);
        _registrations[id] = registration;
        bool added = false;
        fd.AddRef(ref added);
        try
        {
            byte* ev = stackalloc byte[16];
            EpollEvent.Write(ev, LinuxEpoll.EPOLLIN | LinuxEpoll.EPOLLOUT | LinuxEpoll.EPOLLRDHUP | LinuxEpoll.EPOLLET, id);
            if (Interop.Libc.EpollCtl(_epoll.DangerousGetFd(), LinuxEpoll.EPOLL_CTL_ADD, fd.DangerousGetFd(), ev) < 0)
            {
                int errno = Interop.GetLastErrno();
                _registrations.TryRemove(id, out _);
                Interop.ThrowForErrno(errno, "epoll_ctl(EPOLL_CTL_ADD)");
            }
        }
        finally
        {
            fd.DangerousRelease();
        }

        return registration;
    }

    /// <summary>
    /// Registers <paramref name="fd"/> on first use: returns the registration in <paramref name="slot"/>, or registers
    /// and publishes one there (when two threads race, the loser's registration is undone).
    /// </summary>
    /// <remarks>
    /// Owners register lazily because an edge-triggered registration wakes the loop thread on every readiness edge,
    /// also when nobody waits: a descriptor used only synchronously would pay a thread wake-up per frame or message.
    /// An owner that can be disposed concurrently checks its disposed flag after this call (the publication is a
    /// full fence) and disposes the registration itself if it lost that race.
    /// </remarks>
    internal PollRegistration RegisterOnce(ref PollRegistration? slot, SafeFileDescriptorHandle fd)
    {
        PollRegistration? existing = Volatile.Read(ref slot);
        if (existing is not null)
        {
            return existing;
        }

        PollRegistration created = Register(fd);
        existing = Interlocked.CompareExchange(ref slot, created, null);
        if (existing is null)
        {
            return created;
        }

        created.Dispose();
        return existing;
    }

    internal void Unregister(PollRegistration registration, SafeFileDescriptorHandle fd)
    {
        _registrations.TryRemove(registration.Id, out _);
        if (_disposed)
        {
            return;
        }

        // A descriptor that is already closed left the epoll set by itself (the kernel drops closed files).
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            byte* ev = stackalloc byte[16];
            EpollEvent.Write(ev, 0, 0);
            _ = Interop.Libc.EpollCtl(_epoll.DangerousGetFd(), LinuxEpoll.EPOLL_CTL_DEL, fd.DangerousGetFd(), ev);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    /// <summary>Stops a private poller: wakes its thread through the eventfd and fails every pending wait.</summary>
    public void Dispose()
    {
        if (_disposed || _isShared)
        {
            return;
        }

        _disposed = true;
        ulong one = 1;
        _ = Interop.Libc.Write(_wake.DangerousGetFd(), &one, sizeof(ulong));
        _thread.Join();
        foreach (PollRegistration registration in _registrations.Values)
        {
            registration.Dispose();
        }

        _wake.Dispose();
        _epoll.Dispose();
    }

    /// <summary>
    /// Starts the loop thread from a thread-pool thread. Linux starts a thread in the network namespace of the thread
    /// that creates it, and the first registration often comes from a namespace's pinned thread (a TUN device created
    /// there): a poller born there would keep that namespace alive for the life of the process. Thread-pool threads
    /// are never inside a namespace (LinuxNet starts the pool outside before the first pinned thread).
    /// </summary>
    private Thread StartLoopThread()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "LinuxNet poller" };
        if (Thread.CurrentThread.IsThreadPoolThread)
        {
            StartThread(thread);
            return thread;
        }

        using var started = new ManualResetEventSlim();
        Exception? failure = null;
        ThreadPool.UnsafeQueueUserWorkItem(
            _ =>
            {
                try
                {
                    StartThread(thread);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    started.Set();
                }
            },
            null);
        started.Wait();
        if (failure is not null)
        {
            throw new InvalidOperationException("Could not start the LinuxNet poller thread.", failure);
        }

        return thread;
    }

    private static void StartThread(Thread thread)
    {
#if NET
        thread.UnsafeStart();
#else
        thread.Start();
#endif
    }

    private void Loop()
    {
        int slot = EpollEvent.Size;
        byte* events = (byte*)Marshal.AllocHGlobal(MaxEvents * slot);
        try
        {
            int epfd = _epoll.DangerousGetFd();
            while (!_disposed)
            {
                int count = Interop.Libc.EpollWait(epfd, events, MaxEvents, -1);
                if (count < 0)
                {
                    int errno = Interop.GetLastErrno();
                    if (errno == (int)Errno.EINTR)
                    {
                        continue;
                    }

                    // Nothing sensible to do but stop: every waiter would hang, so fail them all.
                    FailAll(LinuxNetException.FromErrno(errno, "epoll_wait()", null));
                    return;
                }

                for (int i = 0; i < count; i++)
                {
                    byte* e = events + (i * slot);
                    ulong id = EpollEvent.ReadData(e);
                    if (id == WakeId)
                    {
                        continue;
                    }

                    if (_registrations.TryGetValue(id, out PollRegistration? registration))
                    {
                        registration.OnEvents(EpollEvent.ReadEvents(e));
                    }
                }
            }
        }
        finally
        {
            Marshal.FreeHGlobal((IntPtr)events);
        }
    }

    private void FailAll(Exception exception)
    {
        foreach (PollRegistration registration in _registrations.Values)
        {
            registration.Fail(exception);
        }
    }
}
