using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxNet.Namespaces;

/// <summary>
/// Reports named network namespaces as they appear and go away under <see cref="NetNamespace.RunDirectory"/>, as
/// <c>ip netns monitor</c> does — for names made by LinuxNet, by <c>ip netns add</c> or by any other tool.
/// </summary>
/// <remarks>
/// <para>
/// An inotify watch on <c>/run/netns</c> (created, as <c>ip netns monitor</c> does, when missing), set up by
/// <see cref="Open"/>: every change after <see cref="Open"/> returns is reported, none before it, so "open the monitor,
/// then <see cref="NetNamespace.List"/>" gives a snapshot and every change after it.
/// </para>
/// <para>
/// <see cref="NetNamespaceNameChangeKind.Added"/> is reported when the name's file is created, which
/// <c>ip netns add</c> does just before it bind-mounts the namespace onto it: opening the namespace at once may find
/// the empty file (<see cref="NetNamespace.Open(string, NetNamespaceOptions?)"/> then fails with <c>EINVAL</c>); retry
/// briefly. Renames into and out of the directory count as added and deleted. If the kernel's queue overflows, one
/// <see cref="NetNamespaceNameChangeKind.Overflow"/> says so.
/// </para>
/// <para>
/// Waiting is asynchronous, on LinuxNet's shared readiness loop; no thread is blocked. One reader at a time:
/// concurrent calls to <see cref="ReadAsync"/> are not supported. <see cref="Dispose"/> ends a pending read with
/// <see cref="ObjectDisposedException"/>.
/// </para>
/// </remarks>
public sealed class NetNamespaceMonitor : IDisposable
{
    private const uint Mask = LinuxInotify.IN_CREATE | LinuxInotify.IN_DELETE | LinuxInotify.IN_MOVED_FROM | LinuxInotify.IN_MOVED_TO
        | LinuxInotify.IN_DELETE_SELF | LinuxInotify.IN_MOVE_SELF | LinuxInotify.IN_ONLYDIR;

    // Room for many events of the longest name: struct inotify_event + NAME_MAX + 1, rounded up by the kernel.
    private const int BufferSize = 16 * (LinuxInotify.EventHeaderSize + NetNamespace.MaxNameLength + 1);

    private readonly SafeFileDescriptorHandle _fd;
    private readonly ILogger _logger;
    private readonly Queue<NetNamespaceNameChange> _pending = new();
    private readonly byte[] _buffer = new byte[BufferSize];
    private PollRegistration? _registration;
    private bool _ended;
    private volatile bool _disposed;

    private NetNamespaceMonitor(SafeFileDescriptorHandle fd, ILogger logger)
    {
        _fd = fd;
        _logger = logger;
    }

    /// <summary>Starts watching <see cref="NetNamespace.RunDirectory"/>; changes from now on are reported.</summary>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <returns>The monitor; dispose it to stop watching.</returns>
    /// <remarks>Equivalent to <c>ip netns monitor</c>. Creating a missing <c>/run/netns</c> needs write access to <c>/run</c>.</remarks>
    /// <exception cref="LinuxNetException">The directory could not be created or watched (for example, the inotify watch limit is reached: <c>ENOSPC</c>).</exception>
    public static NetNamespaceMonitor Open(NetNamespaceOptions? options = null)
    {
        ILogger logger = options?.LoggerFactory?.CreateLogger("LinuxNet.Namespaces.NetNamespaceMonitor") ?? NullLogger.Instance;
        EnsureDirectory();
        var fd = new SafeFileDescriptorHandle(
            Interop.CheckIo(Interop.Libc.InotifyInit1(LinuxInotify.IN_NONBLOCK | LinuxInotify.IN_CLOEXEC), "inotify_init1()"));
        try
        {
            Utf8Z path = new(NetNamespace.RunDirectory);
            unsafe
            {
                fixed (byte* p = path.Bytes)
                {
                    Interop.CheckIo(Interop.Libc.InotifyAddWatch(fd.DangerousGetFd(), p, Mask), $"inotify_add_watch('{NetNamespace.RunDirectory}')");
                }
            }

            NamespaceLog.MonitorStarted(logger, NetNamespace.RunDirectory);
            return new NetNamespaceMonitor(fd, logger);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next change.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The change.</returns>
    /// <exception cref="ObjectDisposedException">The monitor is disposed, also while waiting.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="InvalidOperationException"><see cref="NetNamespace.RunDirectory"/> was removed or unmounted: no further change can come.</exception>
    public async ValueTask<NetNamespaceNameChange> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ThrowIfDisposed();
            if (_pending.Count > 0)
            {
                return _pending.Dequeue();
            }

            if (_ended)
            {
                throw new InvalidOperationException($"{NetNamespace.RunDirectory} was removed or unmounted; the monitor cannot report further changes.");
            }

            if (!TryReadEvents())
            {
                PollRegistration registration = FileDescriptorPoller.Shared.RegisterOnce(ref _registration, _fd);
                if (_disposed)
                {
                    DisposeRegistration();
                    ThrowIfDisposed();
                }

                try
                {
                    await registration.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) when (_disposed)
                {
                    ThrowIfDisposed();
                }
            }
        }
    }

    /// <summary>The changes as a stream, until <paramref name="cancellationToken"/> is canceled or the monitor is disposed.</summary>
    /// <param name="cancellationToken">Ends the stream (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The changes, in the order they happened.</returns>
    public async IAsyncEnumerable<NetNamespaceNameChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            yield return await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops watching; a pending <see cref="ReadAsync"/> ends with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeRegistration();
        _fd.Dispose();
    }

    private static void EnsureDirectory()
    {
        Utf8Z dir = new(NetNamespace.RunDirectory);
        unsafe
        {
            fixed (byte* d = dir.Bytes)
            {
                // 0755, as ip netns's create_netns_dir.
                if (Interop.Libc.Mkdir(d, 0x1ED) != 0 && Interop.GetLastErrno() != (int)Errno.EEXIST)
                {
                    Interop.ThrowForErrno(Interop.GetLastErrno(), $"mkdir('{NetNamespace.RunDirectory}')");
                }
            }
        }
    }

    // Reads what the kernel has queued; false when nothing is (EAGAIN).
    private unsafe bool TryReadEvents()
    {
        nint read;
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            fixed (byte* buffer = _buffer)
            {
                do
                {
                    read = Interop.Libc.Read(_fd.DangerousGetFd(), buffer, (nuint)_buffer.Length);
                }
                while (read < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);
            }

            if (read < 0)
            {
                int errno = Interop.GetLastErrno();
                if (errno == (int)Errno.EAGAIN)
                {
                    return false;
                }

                Interop.ThrowForErrno(errno, "read() of the namespace monitor's inotify descriptor");
            }
        }
        catch (ObjectDisposedException) when (_disposed)
        {
            throw new ObjectDisposedException(nameof(NetNamespaceMonitor));
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }

        Parse(_buffer.AsSpan(0, (int)read));
        return true;
    }

    private void Parse(ReadOnlySpan<byte> events)
    {
        while (events.Length >= LinuxInotify.EventHeaderSize)
        {
            uint mask = System.Runtime.InteropServices.MemoryMarshal.Read<uint>(events.Slice(4));
            int length = System.Runtime.InteropServices.MemoryMarshal.Read<int>(events.Slice(12));
            int size = LinuxInotify.EventHeaderSize + length;
            if (length < 0 || size > events.Length)
            {
                break;
            }

            ReadOnlySpan<byte> name = events.Slice(LinuxInotify.EventHeaderSize, length);
            int nul = name.IndexOf((byte)0);
            string? text = nul == 0 || length == 0 ? null : Decode(nul < 0 ? name : name.Slice(0, nul));
            if ((mask & LinuxInotify.IN_Q_OVERFLOW) != 0)
            {
                NamespaceLog.MonitorOverflowed(_logger);
                _pending.Enqueue(new NetNamespaceNameChange(NetNamespaceNameChangeKind.Overflow, null));
            }
            else if ((mask & (LinuxInotify.IN_DELETE_SELF | LinuxInotify.IN_MOVE_SELF | LinuxInotify.IN_IGNORED | LinuxInotify.IN_UNMOUNT)) != 0)
            {
                _ended = true;
            }
            else if (text is not null && (mask & (LinuxInotify.IN_CREATE | LinuxInotify.IN_MOVED_TO)) != 0)
            {
                _pending.Enqueue(new NetNamespaceNameChange(NetNamespaceNameChangeKind.Added, text));
            }
            else if (text is not null && (mask & (LinuxInotify.IN_DELETE | LinuxInotify.IN_MOVED_FROM)) != 0)
            {
                _pending.Enqueue(new NetNamespaceNameChange(NetNamespaceNameChangeKind.Deleted, text));
            }

            events = events.Slice(size);
        }
    }

    private static unsafe string Decode(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            return Encoding.UTF8.GetString(p, bytes.Length);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(NetNamespaceMonitor));
        }
    }

    private void DisposeRegistration() => Interlocked.Exchange(ref _registration, null)?.Dispose();
}
