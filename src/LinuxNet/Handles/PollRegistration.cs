using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace LinuxNet;

/// <summary>
/// One descriptor watched by a <see cref="FileDescriptorPoller"/>: waits for it to become readable or writable.
/// </summary>
/// <remarks>
/// At most one read wait and one write wait may be pending at a time (the usual one-reader, one-writer contract).
/// A wait returns when an edge was seen since the previous wait of the same direction, which may be spurious;
/// callers retry their I/O and wait again on <c>EAGAIN</c>. The two waits are reusable
/// <see cref="IValueTaskSource"/>s built on <see cref="ManualResetValueTaskSourceCore{TResult}"/>, so waiting
/// allocates nothing. <see cref="Dispose"/> unregisters and ends pending waits with
/// <see cref="ObjectDisposedException"/>; cancellation ends them with <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed class PollRegistration : IDisposable
{
    private readonly FileDescriptorPoller _poller;
    private readonly SafeFileDescriptorHandle _fd;
    private readonly Waiter _read;
    private readonly Waiter _write;
    private int _disposed;

    internal PollRegistration(FileDescriptorPoller poller, SafeFileDescriptorHandle fd, ulong id)
    {
        _poller = poller;
        _fd = fd;
        Id = id;
        _read = new Waiter(this);
        _write = new Waiter(this);
    }

    internal ulong Id { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Completes when the descriptor may be readable (or has an error or hang-up to report).</summary>
    internal ValueTask WaitReadableAsync(CancellationToken cancellationToken = default) => _read.WaitAsync(cancellationToken, inline: false);

    /// <summary>
    /// Like <see cref="WaitReadableAsync"/>, but a readiness edge runs the continuation on the poller thread itself,
    /// saving a thread-pool hop. Only for LinuxNet's own short, non-blocking continuations (the pipe pumps): anything
    /// slow there delays every other descriptor.
    /// </summary>
    internal ValueTask WaitReadableInlineAsync() => _read.WaitAsync(CancellationToken.None, inline: true);

    /// <summary>Completes when the descriptor may be writable (or has an error or hang-up to report).</summary>
    internal ValueTask WaitWritableAsync(CancellationToken cancellationToken = default) => _write.WaitAsync(cancellationToken, inline: false);

    /// <summary>
    /// Unregisters the descriptor; pending waits end with <see cref="ObjectDisposedException"/> naming the descriptor's
    /// owner (<see cref="SafeFileDescriptorHandle.OwnerName"/>). Does not close it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _poller.Unregister(this, _fd);
        _read.Abort(null);
        _write.Abort(null);
    }

    internal void OnEvents(uint events)
    {
        const uint errorOrHangup = LinuxEpoll.EPOLLERR | LinuxEpoll.EPOLLHUP;
        if ((events & (LinuxEpoll.EPOLLIN | LinuxEpoll.EPOLLRDHUP | LinuxEpoll.EPOLLPRI | errorOrHangup)) != 0)
        {
            _read.Notify();
        }

        if ((events & (LinuxEpoll.EPOLLOUT | errorOrHangup)) != 0)
        {
            _write.Notify();
        }
    }

    internal void Fail(Exception exception)
    {
        _read.Abort(exception);
        _write.Abort(exception);
    }

    private sealed class Waiter : IValueTaskSource
#if NET
        , IThreadPoolWorkItem
#endif
    {
        private const int Idle = 0;
        private const int Notified = 1;
        private const int Waiting = 2;

        private static readonly Action<object?, CancellationToken> s_onCanceled = static (state, token) =>
            ((Waiter)state!).Complete(new OperationCanceledException(token));

#if !NET
        private static readonly WaitCallback s_execute = static state => ((Waiter)state!).Execute();
#endif

        private readonly PollRegistration _owner;
        private ManualResetValueTaskSourceCore<bool> _core; // mutable struct: never readonly
        private CancellationTokenRegistration _cancellation;
        private Exception? _pendingException;
        private Exception? _failure;
        private int _state;
        private bool _inline;

        internal Waiter(PollRegistration owner)
        {
            _owner = owner;
            _core.RunContinuationsAsynchronously = false; // completions already run on the thread pool
        }

        internal ValueTask WaitAsync(CancellationToken cancellationToken, bool inline)
        {
            if (_owner.IsDisposed)
            {
                return new ValueTask(Task.FromException(_owner._fd.CreateDisposedException()));
            }

            if (_failure is not null)
            {
                return new ValueTask(Task.FromException(_failure));
            }

            if (Interlocked.CompareExchange(ref _state, Idle, Notified) == Notified)
            {
                return default;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return new ValueTask(Task.FromCanceled(cancellationToken));
            }

            _core.Reset();
            _pendingException = null;
            _inline = inline;

            // Registered before the state change, so that Execute (which can only follow Waiting) always sees it.
            if (cancellationToken.CanBeCanceled)
            {
#if NET
                _cancellation = cancellationToken.UnsafeRegister(s_onCanceled, this);
#else
                _cancellation = cancellationToken.Register(static s => ((Waiter)s!).Complete(new OperationCanceledException()), this);
#endif
            }

            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
            {
                // An edge arrived between the check above and now: consume it.
                Volatile.Write(ref _state, Idle);
                _cancellation.Dispose();
                _cancellation = default;
                return default;
            }

            // A cancellation or Dispose that ran before the state change found nobody waiting.
            if (cancellationToken.IsCancellationRequested)
            {
                Complete(new OperationCanceledException(cancellationToken));
            }
            else if (_owner.IsDisposed)
            {
                Complete(_owner._fd.CreateDisposedException());
            }

            return new ValueTask(this, _core.Version);
        }

        internal void Notify()
        {
            while (true)
            {
                int state = Volatile.Read(ref _state);
                if (state == Waiting)
                {
                    if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
                    {
                        if (_inline)
                        {
                            _pendingException = null;
                            Execute();
                        }
                        else
                        {
                            Dispatch(null);
                        }

                        return;
                    }
                }
                else if (state == Notified || Interlocked.CompareExchange(ref _state, Notified, Idle) == Idle)
                {
                    return;
                }
            }
        }

        internal void Abort(Exception? failure)
        {
            if (failure is not null)
            {
                _failure = failure;
            }

            Complete(failure ?? _owner._fd.CreateDisposedException());
        }

        private void Complete(Exception exception)
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                Dispatch(exception);
            }
        }

        private void Dispatch(Exception? exception)
        {
            _pendingException = exception;
#if NET
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
#else
            ThreadPool.UnsafeQueueUserWorkItem(s_execute, this);
#endif
        }

        public void Execute()
        {
            // Dispose the registration before completing: the continuation may start the next wait at once.
            _cancellation.Dispose();
            _cancellation = default;
            Exception? exception = _pendingException;
            if (exception is null)
            {
                _core.SetResult(true);
            }
            else
            {
                _core.SetException(exception);
            }
        }

        void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }
}
