using System;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Namespaces;

/// <summary>
/// A dedicated OS thread that lives inside one network namespace for its whole life and runs work posted to it.
/// </summary>
/// <remarks>
/// <para>
/// The thread enters its namespace once, at start (<c>setns</c>, or <c>unshare</c> for a new namespace), and never
/// leaves it: it serves exactly one <see cref="NetNamespace"/> and ends when that is disposed. Because it never
/// switches back there is no "return to the original namespace" that could fail, so a thread is never reused in a
/// state it was not made for. Thread-pool threads never call <c>setns</c>.
/// </para>
/// <para>
/// While it runs work it installs a single-threaded <see cref="SynchronizationContext"/>, so every <c>await</c>
/// continuation inside <see cref="NetNamespace.RunAsync(Func{Task}, CancellationToken)"/> comes back to this
/// thread, inside the namespace.
/// </para>
/// </remarks>
internal sealed class NamespaceThread
{
    private static readonly SendOrPostCallback s_executeWorkItem = static state => ((WorkItem)state!).Execute();

    [ThreadStatic]
    private static bool t_isPinned;

    private static int s_runtimeThreadsWarmed;

    private readonly ConcurrentQueue<Entry> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly PinnedSynchronizationContext _context;
    private Action<NamespaceThread>? _enter;
    private ExceptionDispatchInfo? _startFailure;
    private readonly ManualResetEventSlim _started = new(false);
    private int _outstanding;
    private bool _closing;
    private bool _ended;

    private NamespaceThread(string threadName, Action<NamespaceThread> enter, ILogger logger)
    {
        _enter = enter;
        _logger = logger;
        _context = new PinnedSynchronizationContext(this);
        _thread = new Thread(ThreadMain)
        {
            IsBackground = true,
            Name = threadName,
        };
    }

    /// <summary><see langword="true"/> on a thread LinuxNet started for a namespace (pinned or creator).</summary>
    internal static bool IsPinnedThread => t_isPinned;

    /// <summary>The kernel thread id, valid once started.</summary>
    internal int Tid { get; private set; }

    /// <summary>The thread's name, e.g. <c>LinuxNet netns lab0</c>.</summary>
    internal string Name => _thread.Name ?? string.Empty;

    /// <summary><see langword="true"/> when the caller is this pinned thread.</summary>
    internal bool IsCurrentThread => Thread.CurrentThread == _thread;

    /// <summary>
    /// Starts the thread and runs <paramref name="enter"/> on it first (which must put the thread into its namespace,
    /// by <c>setns</c> or <c>unshare</c>). Returns once that has succeeded; if it throws, the thread ends and the
    /// exception is rethrown here unchanged.
    /// </summary>
    internal static NamespaceThread Start(string threadName, Action<NamespaceThread> enter, ILogger logger)
    {
        WarmRuntimeThreads();
        var thread = new NamespaceThread(threadName, enter, logger);
#if NET
        thread._thread.UnsafeStart();
#else
        thread._thread.Start();
#endif
        thread._started.Wait();
        if (thread._startFailure is { } failure)
        {
            thread._thread.Join();
            failure.Throw();
        }

        return thread;
    }

    // Linux starts a new thread in the namespaces of the thread that creates it, and the runtime creates its timer
    // and thread-pool threads lazily from whichever thread first needs them. Have them created here, outside any
    // namespace, rather than later from a pinned thread (e.g. by a first Task.Delay inside RunAsync), where they
    // would be born inside the namespace and keep it alive.
    private static void WarmRuntimeThreads()
    {
        if (t_isPinned || Interlocked.Exchange(ref s_runtimeThreadsWarmed, 1) != 0)
        {
            return;
        }

        new Timer(static _ => { }, null, TimeSpan.FromDays(1), Timeout.InfiniteTimeSpan).Dispose();
        ThreadPool.UnsafeQueueUserWorkItem(static _ => { }, null);
#if NET
        // The first Process.Start (e.g. StartProcess) starts the runtime's signal-handling thread; registering and
        // removing a handler for SIGCONT, which the runtime handles anyway, starts it here instead.
        if (OperatingSystem.IsLinux())
        {
            PosixSignalRegistration.Create(PosixSignal.SIGCONT, static _ => { }).Dispose();
        }
#else
        // The same through reflection, for the netstandard2.0 build running on .NET 6 or later.
        try
        {
            Type? registration = Type.GetType("System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices");
            Type? signal = Type.GetType("System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices");
            Type? context = Type.GetType("System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices");
            if (registration is not null && signal is not null && context is not null)
            {
                Type handlerType = typeof(Action<>).MakeGenericType(context);
                Delegate handler = Delegate.CreateDelegate(handlerType, typeof(NamespaceThread).GetMethod(nameof(IgnoreSignal), BindingFlags.NonPublic | BindingFlags.Static)!);
                MethodInfo? create = registration.GetMethod("Create", new[] { signal, handlerType });
                (create?.Invoke(null, new[] { Enum.Parse(signal, "SIGCONT"), handler }) as IDisposable)?.Dispose();
            }
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or MemberAccessException or PlatformNotSupportedException)
        {
        }
#endif
    }

#if !NET
    private static void IgnoreSignal(object context)
    {
    }
#endif

    private void ThreadMain()
    {
        t_isPinned = true;
        Tid = Interop.Libc.GetTid();
        try
        {
            _enter!(this);
        }
        catch (Exception e)
        {
            _startFailure = ExceptionDispatchInfo.Capture(e);
            lock (_gate)
            {
                _ended = true;
            }

            _started.Set();
            return;
        }

        _enter = null;
        _started.Set();
        NamespaceLog.ThreadStarted(_logger, Name, Tid);
        SynchronizationContext.SetSynchronizationContext(_context);
        Loop();
        NamespaceLog.ThreadEnded(_logger, Name, Tid);
    }

    private void Loop()
    {
        while (true)
        {
            while (_queue.TryDequeue(out Entry entry))
            {
                if (SynchronizationContext.Current != _context)
                {
                    // User code may have replaced it; continuations must keep coming back here.
                    SynchronizationContext.SetSynchronizationContext(_context);
                }

                // An exception from a posted continuation (e.g. async void) ends the process, as it would on the
                // thread pool; work items catch their own.
                entry.Callback(entry.State);
            }

            lock (_gate)
            {
                if (_closing && _outstanding == 0 && _queue.IsEmpty)
                {
                    _ended = true;
                    break;
                }
            }

            _signal.Wait();
            _signal.Reset();
        }

        // _signal is not disposed: a late TryPost may still Set it, and without a wait handle it holds no kernel object.
    }

    /// <summary>Queues a callback. Returns <see langword="false"/> when the thread has ended.</summary>
    internal bool TryPost(SendOrPostCallback callback, object? state)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            _queue.Enqueue(new Entry(callback, state));
        }

        _signal.Set();
        return true;
    }

    private void PostWorkItem(WorkItem item)
    {
        if (!TryPost(s_executeWorkItem, item))
        {
            throw new ObjectDisposedException(nameof(NetNamespace), "The namespace's pinned thread has ended.");
        }
    }

    /// <summary>
    /// Runs <paramref name="func"/> on this thread and waits for it. Runs inline when called on this thread.
    /// Allocation-free on a warm calling thread.
    /// </summary>
    internal TResult Invoke<TState, TResult>(Func<TState, TResult> func, TState state, CancellationToken cancellationToken)
    {
        if (IsCurrentThread)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return func(state);
        }

        cancellationToken.ThrowIfCancellationRequested();
        SyncWorkItem<TState, TResult> item = SyncWorkItem<TState, TResult>.Rent();
        item.Init(func, state);
        PostWorkItem(item);
        if (!cancellationToken.CanBeCanceled)
        {
            item.Done.Wait();
        }
        else
        {
            try
            {
                item.Done.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                if (item.TryCancel())
                {
                    // Never started and never will; the queued item is abandoned, not returned to the cache.
                    throw;
                }

                // Already running: it cannot be interrupted, so its outcome is the answer.
                item.Done.Wait();
            }
        }

        return item.TakeResultAndReturn();
    }

    /// <summary>Starts <paramref name="func"/> on this thread; the returned task completes on the thread pool.</summary>
    internal Task<TResult> InvokeAsync<TResult>(Func<Task>? func, Func<Task<TResult>>? funcT, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var item = new AsyncWorkItem<TResult>(this, func, funcT, cancellationToken);

        // Counted from the moment it is queued, so that Close never waits for a thread that will then wait for it.
        OperationStarted();
        try
        {
            PostWorkItem(item);
        }
        catch
        {
            OperationCompleted();
            throw;
        }

        return item.Task;
    }

    /// <summary>
    /// Asks the thread to end once queued work and outstanding asynchronous operations have finished, and waits for
    /// that unless called on the thread itself or while asynchronous operations are still outstanding.
    /// </summary>
    internal void Close()
    {
        bool wait;
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            wait = _outstanding == 0 && !IsCurrentThread && !_ended;
        }

        try
        {
            _signal.Set();
        }
        catch (ObjectDisposedException)
        {
        }

        if (wait)
        {
            _thread.Join();
        }
    }

    private void OperationStarted()
    {
        lock (_gate)
        {
            _outstanding++;
        }
    }

    private void OperationCompleted()
    {
        bool wake;
        lock (_gate)
        {
            _outstanding--;
            wake = _outstanding == 0 && _closing && !_ended;
        }

        if (wake)
        {
            _signal.Set();
        }
    }

    private readonly struct Entry
    {
        internal Entry(SendOrPostCallback callback, object? state)
        {
            Callback = callback;
            State = state;
        }

        internal SendOrPostCallback Callback { get; }

        internal object? State { get; }
    }

    private abstract class WorkItem
    {
        internal abstract void Execute();
    }

    private sealed class SyncWorkItem<TState, TResult> : WorkItem
    {
        [ThreadStatic]
        private static SyncWorkItem<TState, TResult>? t_cached;

        private Func<TState, TResult>? _func;
        private TState _state = default!;
        private TResult _result = default!;
        private ExceptionDispatchInfo? _error;
        private int _status; // 0 queued, 1 started, 2 canceled before start

        internal ManualResetEventSlim Done { get; } = new(false);

        internal static SyncWorkItem<TState, TResult> Rent()
        {
            SyncWorkItem<TState, TResult>? item = t_cached;
            t_cached = null;
            return item ?? new SyncWorkItem<TState, TResult>();
        }

        internal void Init(Func<TState, TResult> func, TState state)
        {
            _func = func;
            _state = state;
            _status = 0;
            Done.Reset();
        }

        internal bool TryCancel() => Interlocked.CompareExchange(ref _status, 2, 0) == 0;

        internal override void Execute()
        {
            if (Interlocked.CompareExchange(ref _status, 1, 0) != 0)
            {
                return;
            }

            try
            {
                _result = _func!(_state);
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }

            Done.Set();
        }

        internal TResult TakeResultAndReturn()
        {
            TResult result = _result;
            ExceptionDispatchInfo? error = _error;
            _func = null;
            _state = default!;
            _result = default!;
            _error = null;
            t_cached = this;
            error?.Throw();
            return result;
        }
    }

    private sealed class AsyncWorkItem<TResult> : WorkItem
    {
        private readonly NamespaceThread _owner;
        private readonly Func<Task>? _func;
        private readonly Func<Task<TResult>>? _funcT;
        private readonly CancellationToken _cancellationToken;

        // RunContinuationsAsynchronously: the caller's continuation must never run inline on the pinned thread,
        // which would put the caller's code inside the namespace.
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal AsyncWorkItem(NamespaceThread owner, Func<Task>? func, Func<Task<TResult>>? funcT, CancellationToken cancellationToken)
        {
            _owner = owner;
            _func = func;
            _funcT = funcT;
            _cancellationToken = cancellationToken;
        }

        internal Task<TResult> Task => _completion.Task;

        internal override void Execute()
        {
            if (_cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(_cancellationToken);
                _owner.OperationCompleted();
                return;
            }

            Task? task;
            try
            {
                task = _funcT is not null ? _funcT() : _func!();
            }
            catch (Exception e)
            {
                _completion.TrySetException(e);
                _owner.OperationCompleted();
                return;
            }

            if (task is null)
            {
                _completion.TrySetException(new InvalidOperationException("The function passed to RunAsync returned a null Task."));
                _owner.OperationCompleted();
                return;
            }

            if (task.IsCompleted)
            {
                Complete(task);
                _owner.OperationCompleted();
                return;
            }

            task.ContinueWith(
                static (t, s) =>
                {
                    var self = (AsyncWorkItem<TResult>)s!;
                    self.Complete(t);
                    self._owner.OperationCompleted();
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        private void Complete(Task task)
        {
            switch (task.Status)
            {
                case TaskStatus.RanToCompletion:
                    // The task has completed: reading Result does not block.
                    _completion.TrySetResult(task is Task<TResult> typed && _funcT is not null ? typed.Result : default!);
                    break;
                case TaskStatus.Faulted:
                    // The original exception objects, so `await` rethrows them unchanged with their stack traces.
                    _completion.TrySetException(task.Exception!.InnerExceptions);
                    break;
                default:
                    _completion.TrySetCanceled();
                    break;
            }
        }
    }

    private sealed class PinnedSynchronizationContext : SynchronizationContext
    {
        private readonly NamespaceThread _owner;

        internal PinnedSynchronizationContext(NamespaceThread owner) => _owner = owner;

        public override void Post(SendOrPostCallback d, object? state)
        {
            if (!_owner.TryPost(d, state))
            {
                // Running it anywhere else would run namespace code in the wrong namespace.
                NamespaceLog.ContinuationDropped(_owner._logger, _owner.Name);
            }
        }

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (_owner.IsCurrentThread)
            {
                d(state);
                return;
            }

            _owner.Invoke(
                static s =>
                {
                    s.d(s.state);
                    return true;
                },
                (d, state),
                CancellationToken.None);
        }

        public override SynchronizationContext CreateCopy() => this;

        public override void OperationStarted() => _owner.OperationStarted();

        public override void OperationCompleted() => _owner.OperationCompleted();
    }
}
