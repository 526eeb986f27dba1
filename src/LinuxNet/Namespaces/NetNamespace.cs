using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxNet.Namespaces;

/// <summary>
/// A Linux network namespace — named (as <c>ip netns</c> keeps them, under <c>/run/netns</c>) or anonymous — and a
/// way to run code, create sockets and start processes inside it.
/// </summary>
/// <remarks>
/// <para>
/// <b>The thread rule.</b> A network namespace belongs to an OS thread, not to a process, and .NET moves work between
/// threads, so LinuxNet never switches the namespace of a thread it does not own: <see cref="Run(Action, CancellationToken)"/>
/// and <see cref="RunAsync(Func{Task}, CancellationToken)"/> run your code on one dedicated thread that lives inside this
/// namespace, and every <c>await</c> inside comes back to that thread. Whatever is created there — a socket, a TUN
/// device, a child process — stays in this namespace for its whole life and may then be used from any thread.
/// </para>
/// <para>
/// An instance holds an open descriptor of the namespace (so even an anonymous namespace lives as long as the instance)
/// and, once first used, one pinned thread that is reused by every call and ends on <see cref="Dispose"/>. Two instances
/// that refer to the same namespace compare equal (same nsfs device and inode).
/// </para>
/// <para>
/// Creating, entering, mounting and deleting namespaces needs <c>CAP_SYS_ADMIN</c> (run as root). Thread safety: all
/// members are safe for concurrent use.
/// </para>
/// </remarks>
public sealed partial class NetNamespace : IDisposable, IEquatable<NetNamespace>
{
    /// <summary>The directory where named namespaces live, as with <c>ip netns</c>: <c>/run/netns</c>.</summary>
    public const string RunDirectory = "/run/netns";

    /// <summary>The longest name, in UTF-8 bytes: a file name (<c>NAME_MAX</c>).</summary>
    public const int MaxNameLength = 255;

    internal const string Capability = "CAP_SYS_ADMIN";
    private const string ThreadSelfNet = "/proc/thread-self/ns/net";

    /// <summary><c>/proc/thread-self/ns/net</c>, NUL-terminated.</summary>
    internal static readonly byte[] ThreadSelfNetZ = Encoding.ASCII.GetBytes(ThreadSelfNet + "\0");

    private static readonly byte[] s_runDirectoryZ = Encoding.ASCII.GetBytes(RunDirectory + "\0");
    private static readonly byte[] s_noneZ = Encoding.ASCII.GetBytes("none\0");

    // The unique mount id (STATX_MNT_ID_UNIQUE) of the /run/netns mount last made shared (0: none yet).
    private static long s_sharedRunDirectoryMount;

    /// <summary>Test hook: called on the new namespace's thread after the bind mount in <see cref="Create"/>.</summary>
    internal static Action<string>? CreateFaultHook;

    private readonly SafeFileDescriptorHandle _fd;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private NamespaceThread? _thread;
    private volatile bool _disposed;

    private NetNamespace(SafeFileDescriptorHandle fd, string? name, string? path, NamespaceThread? thread, ILogger logger)
    {
        _fd = fd;
        Name = name;
        _thread = thread;
        _logger = logger;
        (Device, Inode) = GetIdentity(fd);
        Path = path ?? $"/proc/{Interop.Libc.GetPid()}/fd/{fd.DangerousGetFd()}";
    }

    /// <summary>The name under <see cref="RunDirectory"/>, or <see langword="null"/> for a namespace that has none there.</summary>
    public string? Name { get; }

    /// <summary>
    /// A path that refers to this namespace: <c>/run/netns/NAME</c> for a named one, the path it was opened from, or
    /// for anonymous and <see cref="Current"/> namespaces <c>/proc/PID/fd/N</c>, which refers to it while this
    /// instance is not disposed (usable with <c>nsenter --net=PATH</c>).
    /// </summary>
    public string Path { get; }

    /// <summary>The device number of the nsfs file (with <see cref="Inode"/>, the namespace's identity).</summary>
    public ulong Device { get; }

    /// <summary>The inode number of the namespace, as <c>readlink /proc/PID/ns/net</c> shows it (<c>net:[INODE]</c>).</summary>
    public ulong Inode { get; }

    /// <summary>
    /// Opens the network namespace of the calling thread (read from <c>/proc/thread-self/ns/net</c>, not
    /// <c>/proc/self</c>, which names the main thread's). Each read returns a new instance the caller must dispose.
    /// </summary>
    /// <exception cref="LinuxNetException">The namespace file could not be opened.</exception>
    public static NetNamespace Current => OpenDescriptor(ThreadSelfNet, name: null, keepPath: false, NullLogger.Instance);

    /// <summary>
    /// Creates a named network namespace, exactly as <c>ip netns add NAME</c> does, and returns it. Its pinned thread
    /// starts on first use, as with <see cref="Open(string, NetNamespaceOptions?)"/>.
    /// </summary>
    /// <param name="name">The name: not empty, no <c>/</c> or NUL, not <c>.</c> or <c>..</c>, at most 255 UTF-8 bytes.</param>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <returns>The new namespace. Disposing it does not delete it: call <see cref="Delete"/>.</returns>
    /// <remarks>
    /// Makes <c>/run/netns</c> a shared mount point (binding it onto itself if it is not one yet, under the same
    /// <c>flock</c> that <c>ip netns add</c> takes, so concurrent first-time creators make exactly one self-mount),
    /// creates the empty file <c>/run/netns/NAME</c> (<c>O_EXCL</c>), <c>unshare(CLONE_NEWNET)</c>s a LinuxNet thread
    /// and bind-mounts that thread's namespace onto the file. If any step fails, the mount and the file are removed
    /// again. The result works with <c>ip netns exec NAME …</c> and shows in <c>ip netns list</c>. Needs
    /// <c>CAP_SYS_ADMIN</c> on the calling thread.
    /// <para>
    /// The thread is one reused creator thread that returns to the main thread's namespace with <c>setns</c> after each
    /// namespace (and is retired, never reused, if that fails), so no thread starts per namespace; the shared-mount
    /// check of <c>/run/netns</c> is made once per mount (while <c>statx</c> shows the same mount, by its unique id,
    /// it is not repeated). A caller in another mount namespace than the main thread, or on a kernel before 6.8,
    /// gets a new thread born from it instead, which stays as the namespace's pinned thread.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks the naming rules (checked before any system call).</exception>
    /// <exception cref="LinuxNetException">
    /// The name exists already (<see cref="LinuxNetException.IsAlreadyExists"/>; the existing namespace is untouched),
    /// the caller lacks <c>CAP_SYS_ADMIN</c> (<see cref="LinuxNetException.IsPermissionDenied"/>), or another step failed.
    /// </exception>
    public static NetNamespace Create(string name, NetNamespaceOptions? options = null)
    {
        ValidateName(name, nameof(name));
        ILogger logger = CreateLogger(options);
        string path = RunDirectory + "/" + name;

        ulong runDirectoryMount = EnsureRunDirectoryShared(logger);
        CreateEmptyFile(path, name);

        // Usually on the reused creator thread: no thread starts or ends per namespace.
        SafeFileDescriptorHandle? fd = null;
        try
        {
            if (NamespaceCreator.TryCreate(name, path, runDirectoryMount, out fd))
            {
                var created = new NetNamespace(fd!, name, path, thread: null, logger);
                NamespaceLog.Created(logger, name, path, created.Inode);
                return created;
            }
        }
        catch
        {
            fd?.Dispose();
            RemoveNamespaceFile(path, mounted: false, logger);
            NamespaceLog.CreateRolledBack(logger, name, path);
            throw;
        }

        // Otherwise on a new thread born from the caller (same mount namespace), which stays as the pinned thread.
        NamespaceThread? thread = null;
        bool mounted = false;
        try
        {
            thread = NamespaceThread.Start(
                ThreadName(name),
                _ =>
                {
                    Interop.CheckIo(Interop.Libc.Unshare(LinuxSched.CLONE_NEWNET), $"unshare(CLONE_NEWNET) for network namespace '{name}'", Capability);
                    BindMount(ThreadSelfNetZ, path);
                    mounted = true;
                    CreateFaultHook?.Invoke(name);
                    fd = Interop.Libc.Open(ThreadSelfNet, LinuxFcntl.O_RDONLY, operation: $"open('{ThreadSelfNet}')", capability: Capability);
                },
                logger);
            var ns = new NetNamespace(fd!, name, path, thread, logger);
            NamespaceLog.Created(logger, name, path, ns.Inode);
            return ns;
        }
        catch
        {
            thread?.Close();
            fd?.Dispose();
            RemoveNamespaceFile(path, mounted, logger);
            NamespaceLog.CreateRolledBack(logger, name, path);
            throw;
        }
    }

    /// <summary>
    /// Creates a network namespace without a name. It lives as long as this instance (or a socket, device or process
    /// made inside it) refers to it, so nothing outlives a test that disposes it.
    /// </summary>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <returns>The new namespace, with its pinned thread already inside.</returns>
    /// <remarks>Equivalent to <c>unshare --net</c> on a dedicated thread. Needs <c>CAP_SYS_ADMIN</c>.</remarks>
    /// <exception cref="LinuxNetException">The namespace could not be created (for example without <c>CAP_SYS_ADMIN</c>).</exception>
    public static NetNamespace CreateAnonymous(NetNamespaceOptions? options = null)
    {
        ILogger logger = CreateLogger(options);
        SafeFileDescriptorHandle? fd = null;
        NamespaceThread? thread = null;
        try
        {
            thread = NamespaceThread.Start(
                ThreadName(null),
                _ =>
                {
                    Interop.CheckIo(Interop.Libc.Unshare(LinuxSched.CLONE_NEWNET), "unshare(CLONE_NEWNET)", Capability);
                    fd = Interop.Libc.Open(ThreadSelfNet, LinuxFcntl.O_RDONLY, operation: $"open('{ThreadSelfNet}')", capability: Capability);
                },
                logger);
            var ns = new NetNamespace(fd!, null, null, thread, logger);
            NamespaceLog.CreatedAnonymous(logger, ns.Inode);
            return ns;
        }
        catch
        {
            thread?.Close();
            fd?.Dispose();
            throw;
        }
    }

    /// <summary>Opens the named namespace <c>/run/netns/NAME</c> (made by LinuxNet or by <c>ip netns add</c>).</summary>
    /// <param name="name">The name, as <c>ip netns list</c> shows it.</param>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <returns>The namespace. Its pinned thread starts on first use.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks the naming rules.</exception>
    /// <exception cref="LinuxNetException">No such namespace (<see cref="LinuxNetException.IsNotFound"/>), or it could not be opened.</exception>
    public static NetNamespace Open(string name, NetNamespaceOptions? options = null)
    {
        ValidateName(name, nameof(name));
        string path = RunDirectory + "/" + name;
        try
        {
            return OpenDescriptor(path, name, keepPath: true, CreateLogger(options));
        }
        catch (LinuxNetException e) when (e.Errno == Errno.ENOENT)
        {
            throw NotFound(name, path, e);
        }
    }

    /// <summary>
    /// Opens the network namespace that a file refers to: an nsfs file such as <c>/proc/PID/ns/net</c>,
    /// <c>/proc/PID/task/TID/ns/net</c>, or a bind mount of one anywhere (e.g. <c>/run/netns/NAME</c>).
    /// </summary>
    /// <param name="path">The path of the namespace file.</param>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <returns>The namespace. <see cref="Name"/> is set when <paramref name="path"/> is <c>/run/netns/NAME</c>.</returns>
    /// <remarks>
    /// A separate method rather than an <see cref="Open(string, NetNamespaceOptions?)"/> overload, because names and
    /// paths are both strings: a name can never be taken for a path or the other way round.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="LinuxNetException">The file is missing, or is not a network namespace (<see cref="Errno.EINVAL"/>).</exception>
    public static NetNamespace OpenPath(string path, NetNamespaceOptions? options = null)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (path.Length == 0 || path.IndexOf('\0') >= 0)
        {
            throw new ArgumentException("The path must be non-empty and must not contain NUL.", nameof(path));
        }

        string? name = null;
        if (path.StartsWith(RunDirectory + "/", StringComparison.Ordinal))
        {
            string candidate = path.Substring(RunDirectory.Length + 1);
            if (IsValidName(candidate))
            {
                name = candidate;
            }
        }

        return OpenDescriptor(path, name, keepPath: true, CreateLogger(options));
    }

    /// <summary>Opens the network namespace of a process (its main thread's: <c>/proc/PID/ns/net</c>).</summary>
    /// <param name="processId">The process id.</param>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <returns>The namespace.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processId"/> is not positive.</exception>
    /// <exception cref="LinuxNetException">No such process (<see cref="LinuxNetException.IsNotFound"/>), or no permission.</exception>
    public static NetNamespace OpenForProcess(int processId, NetNamespaceOptions? options = null)
    {
        if (processId <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(processId), processId, "A process id is positive.");
        }

        string path = $"/proc/{processId}/ns/net";
        try
        {
            return OpenDescriptor(path, null, keepPath: true, CreateLogger(options));
        }
        catch (LinuxNetException e) when (e.Errno == Errno.ENOENT)
        {
            throw new LinuxNetException(Errno.ENOENT, $"open('{path}')", $"Process {processId} does not exist ({path}): ENOENT (2).", e);
        }
    }

    /// <summary>
    /// Deletes a named namespace, exactly as <c>ip netns del NAME</c> does: detaches the bind mount
    /// (<c>umount2(MNT_DETACH)</c>) and removes the file.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <remarks>
    /// Works while the namespace is in use: it only loses its name, and lives on while a process, thread, socket or
    /// open <see cref="NetNamespace"/> still refers to it. Needs <c>CAP_SYS_ADMIN</c>.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks the naming rules (checked before any system call).</exception>
    /// <exception cref="LinuxNetException">No such namespace (<see cref="LinuxNetException.IsNotFound"/>), or no permission.</exception>
    public static void Delete(string name, NetNamespaceOptions? options = null)
    {
        ValidateName(name, nameof(name));
        unsafe
        {
            // "/run/netns/" + name + NUL on the stack: the name is at most 255 UTF-8 bytes (validated above).
            byte* p = stackalloc byte[RunDirectory.Length + 1 + MaxNameLength + 1];
            WritePath(name, p);
            if (Interop.Libc.Umount2(p, LinuxMount.MNT_DETACH) != 0)
            {
                int errno = Interop.GetLastErrno();
                if (errno == (int)Errno.ENOENT)
                {
                    throw NotFound(name, RunDirectory + "/" + name, null);
                }

                // EINVAL: the file exists but is not a mount point (a half-made namespace): remove it anyway, as ip does.
                if (errno != (int)Errno.EINVAL)
                {
                    Interop.ThrowForErrno(errno, $"umount2('{RunDirectory}/{name}', MNT_DETACH)", Capability);
                }
            }

            if (Interop.Libc.Unlink(p) != 0)
            {
                int errno = Interop.GetLastErrno();
                if (errno == (int)Errno.ENOENT)
                {
                    throw NotFound(name, RunDirectory + "/" + name, null);
                }

                Interop.ThrowForErrno(errno, $"unlink('{RunDirectory}/{name}')", Capability);
            }
        }

        if (options?.LoggerFactory is not null)
        {
            NamespaceLog.Deleted(CreateLogger(options), name);
        }
    }

    private static unsafe void WritePath(string name, byte* destination)
    {
        for (int i = 0; i < RunDirectory.Length; i++)
        {
            destination[i] = (byte)RunDirectory[i];
        }

        destination[RunDirectory.Length] = (byte)'/';
        byte* rest = destination + RunDirectory.Length + 1;
        int written;
        fixed (char* c = name)
        {
            written = Encoding.UTF8.GetBytes(c, name.Length, rest, MaxNameLength);
        }

        rest[written] = 0;
    }

    /// <summary>The names of the named namespaces, as <c>ip netns list</c> shows them, in ordinal order.</summary>
    /// <returns>The names; empty when <c>/run/netns</c> does not exist.</returns>
    public static IReadOnlyList<string> List()
    {
        var names = new List<string>();
        try
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(RunDirectory))
            {
                names.Add(System.IO.Path.GetFileName(entry));
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Whether <c>/run/netns/NAME</c> exists (as <see cref="List"/> would show it).</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when the namespace file exists.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks the naming rules.</exception>
    public static bool Exists(string name)
    {
        ValidateName(name, nameof(name));
        Utf8Z z = new(RunDirectory + "/" + name);
        unsafe
        {
            StatxBuffer buffer;
            fixed (byte* p = z.Bytes)
            {
                return Interop.Libc.Statx(LinuxFile.AT_FDCWD, p, LinuxFile.AT_SYMLINK_NOFOLLOW, LinuxFile.STATX_TYPE, &buffer) == 0;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> on this namespace's pinned thread, inside the namespace, and waits for it.</summary>
    /// <param name="action">The code to run.</param>
    /// <param name="cancellationToken">Cancels the call if the action has not started yet; a started action runs to its end.</param>
    /// <remarks>Called on the pinned thread itself (nested), the action runs inline. An exception from the action is rethrown unchanged.</remarks>
    /// <exception cref="ObjectDisposedException">This instance has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled before the action started.</exception>
    /// <exception cref="LinuxNetException">The pinned thread could not enter the namespace.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by delegate type (like Task.Run); the optional token cannot make a call ambiguous.")]
    public void Run(Action action, CancellationToken cancellationToken = default)
    {
        if (action is null)
        {
            throw new ArgumentNullException(nameof(action));
        }

        GetThread().Invoke(
            static a =>
            {
                a();
                return true;
            },
            action,
            cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> on this namespace's pinned thread, inside the namespace, and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="func">The code to run.</param>
    /// <param name="cancellationToken">Cancels the call if the function has not started yet; a started function runs to its end.</param>
    /// <returns>What <paramref name="func"/> returned.</returns>
    /// <remarks>Called on the pinned thread itself (nested), the function runs inline. An exception from it is rethrown unchanged.</remarks>
    /// <exception cref="ObjectDisposedException">This instance has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled before the function started.</exception>
    /// <exception cref="LinuxNetException">The pinned thread could not enter the namespace.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by delegate type (like Task.Run); the optional token cannot make a call ambiguous.")]
    public T Run<T>(Func<T> func, CancellationToken cancellationToken = default)
    {
        if (func is null)
        {
            throw new ArgumentNullException(nameof(func));
        }

        return GetThread().Invoke(static f => f(), func, cancellationToken);
    }

    /// <summary>
    /// Runs an asynchronous function on this namespace's pinned thread. Every <c>await</c> inside it resumes on that
    /// thread (through its single-threaded <see cref="SynchronizationContext"/>), so all of it runs inside the namespace.
    /// </summary>
    /// <param name="func">The code to run. Do not use <c>ConfigureAwait(false)</c> inside: it would leave the pinned thread.</param>
    /// <param name="cancellationToken">Cancels the call if the function has not started yet; pass it into the function to cancel its work.</param>
    /// <returns>
    /// A task that completes as the function's task does (same result, same exception objects), on the thread pool
    /// or the caller's context — never inline on the pinned thread. It is a <see cref="Task"/> rather than a
    /// <c>ValueTask</c> because the hop to another thread allocates one anyway, and a <see cref="Task"/> can be
    /// combined (<c>Task.WhenAll</c> over several namespaces) and awaited more than once.
    /// </returns>
    /// <exception cref="ObjectDisposedException">This instance has been disposed.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by delegate type (like Task.Run); the optional token cannot make a call ambiguous.")]
    public Task RunAsync(Func<Task> func, CancellationToken cancellationToken = default)
    {
        if (func is null)
        {
            throw new ArgumentNullException(nameof(func));
        }

        return GetThread().InvokeAsync<bool>(func, null, cancellationToken);
    }

    /// <summary>
    /// Runs an asynchronous function on this namespace's pinned thread and returns its result. Every <c>await</c>
    /// inside resumes on that thread, inside the namespace.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="func">The code to run. Do not use <c>ConfigureAwait(false)</c> inside: it would leave the pinned thread.</param>
    /// <param name="cancellationToken">Cancels the call if the function has not started yet; pass it into the function to cancel its work.</param>
    /// <returns>A task with the function's result or its exception, unchanged; never completed inline on the pinned thread.</returns>
    /// <exception cref="ObjectDisposedException">This instance has been disposed.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by delegate type (like Task.Run); the optional token cannot make a call ambiguous.")]
    public Task<T> RunAsync<T>(Func<Task<T>> func, CancellationToken cancellationToken = default)
    {
        if (func is null)
        {
            throw new ArgumentNullException(nameof(func));
        }

        return GetThread().InvokeAsync(null, func, cancellationToken);
    }

    /// <summary>
    /// Starts a process inside this namespace: it is forked from the pinned thread and inherits the thread's network
    /// namespace. The program is executed directly, with the argument list given, never through a shell.
    /// </summary>
    /// <param name="startInfo">What to start. <see cref="ProcessStartInfo.UseShellExecute"/> must be <see langword="false"/>.</param>
    /// <returns>The started process.</returns>
    /// <remarks>
    /// Unlike <c>ip netns exec NAME</c>, the child keeps the caller's mount namespace: <c>/sys</c> is not remounted
    /// (so <c>/sys/class/net</c> still shows the namespace of whoever mounted it) and the files in
    /// <c>/etc/netns/NAME/</c> are not bind-mounted over <c>/etc</c>. Tools that read the netlink or <c>/proc/net</c>
    /// (such as <c>ip</c>, <c>ss</c>, servers) see this namespace.
    /// </remarks>
    /// <exception cref="ArgumentException"><see cref="ProcessStartInfo.UseShellExecute"/> is <see langword="true"/>.</exception>
    /// <exception cref="ObjectDisposedException">This instance has been disposed.</exception>
    public Process StartProcess(ProcessStartInfo startInfo)
    {
        if (startInfo is null)
        {
            throw new ArgumentNullException(nameof(startInfo));
        }

        if (startInfo.UseShellExecute)
        {
            throw new ArgumentException("UseShellExecute must be false: the program is started directly from the namespace's pinned thread.", nameof(startInfo));
        }

        Process process = Invoke(static psi => Process.Start(psi) ?? throw new InvalidOperationException("No process was started."), startInfo);
        NamespaceLog.ProcessStarted(_logger, process.Id, startInfo.FileName, Inode);
        return process;
    }

    /// <summary>Runs <paramref name="func"/> inside the namespace and returns its result (for other LinuxNet layers).</summary>
    internal T Invoke<T>(Func<T> func) => GetThread().Invoke(static f => f(), func, CancellationToken.None);

    /// <summary>
    /// Runs <paramref name="func"/> with <paramref name="state"/> inside the namespace: allocation-free on a warm caller
    /// with a static lambda. Other layers open their netlink sockets and TUN descriptors through this.
    /// </summary>
    internal TResult Invoke<TState, TResult>(Func<TState, TResult> func, TState state) => GetThread().Invoke(func, state, CancellationToken.None);

    /// <summary>Ends the pinned thread (after its queued work) and closes the namespace descriptor.</summary>
    /// <remarks>
    /// A named namespace stays (use <see cref="Delete"/>); an anonymous one disappears when nothing else refers to it.
    /// If <see cref="RunAsync(Func{Task}, CancellationToken)"/> operations are still pending (queued or awaiting), the thread keeps running
    /// until they complete and <see cref="Dispose"/> does not wait for it; otherwise it waits for the thread to end.
    /// </remarks>
    public void Dispose()
    {
        NamespaceThread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread = _thread;
        }

        thread?.Close();
        _fd.Dispose();
    }

    /// <summary>
    /// Holds this namespace's descriptor for a request that passes it to the kernel (for example
    /// <c>IFLA_NET_NS_FD</c>). The descriptor cannot close until the lease is disposed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This instance is disposed: its descriptor number may already name another file.</exception>
    internal NamespaceDescriptor Lease()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(NetNamespace), $"The {this} instance is disposed; a disposed namespace cannot be the target of a request.");
        }

        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(NetNamespace), $"The {this} instance is disposed; a disposed namespace cannot be the target of a request.");
        }

        return new NamespaceDescriptor(_fd);
    }

    /// <summary>Whether <paramref name="other"/> refers to the same namespace (same nsfs device and inode).</summary>
    /// <param name="other">The other namespace.</param>
    /// <returns><see langword="true"/> for the same namespace.</returns>
    public bool Equals(NetNamespace? other) => other is not null && other.Device == Device && other.Inode == Inode;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NetNamespace);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Device, Inode);

    /// <summary>Whether two instances refer to the same namespace.</summary>
    /// <param name="left">One namespace.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when both are null or both refer to the same namespace.</returns>
    public static bool operator ==(NetNamespace? left, NetNamespace? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two instances refer to different namespaces.</summary>
    /// <param name="left">One namespace.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(NetNamespace? left, NetNamespace? right) => !(left == right);

    /// <summary>A short description, e.g. <c>netns lab0 (net:[4026532281])</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"netns {Name ?? Path} (net:[{Inode}])";

    internal static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == "." || name == ".." || name!.IndexOf('/') >= 0 || name.IndexOf('\0') >= 0)
        {
            return false;
        }

        return Encoding.UTF8.GetByteCount(name) <= MaxNameLength;
    }

    // iproute2 (ip/ipnetns.c, is_valid_netns_name) refuses empty names, '/', "." and ".."; NUL and names longer than
    // NAME_MAX could not be a file in /run/netns either. Checked before any system call, so no path outside
    // /run/netns can ever be created or removed.
    internal static void ValidateName(string name, string paramName)
    {
        if (name is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (name.Length == 0)
        {
            throw new ArgumentException("A namespace name must not be empty.", paramName);
        }

        if (name == "." || name == "..")
        {
            throw new ArgumentException($"'{name}' is not a valid namespace name.", paramName);
        }

        if (name.IndexOf('/') >= 0 || name.IndexOf('\0') >= 0)
        {
            throw new ArgumentException($"A namespace name must not contain '/' or NUL: '{name}'.", paramName);
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameLength)
        {
            throw new ArgumentException($"A namespace name is at most {MaxNameLength} bytes in UTF-8.", paramName);
        }
    }

    private NamespaceThread GetThread()
    {
        NamespaceThread? thread = Volatile.Read(ref _thread);
        if (thread is not null && !_disposed)
        {
            return thread;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(NetNamespace));
            }

            return _thread ??= NamespaceThread.Start(ThreadName(Name), _ => Enter(), _logger);
        }
    }

    private void Enter()
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            if (Interop.Libc.SetNs(_fd.DangerousGetFd(), LinuxSched.CLONE_NEWNET) != 0)
            {
                // Read errno before formatting the message: the first culture-aware formatting on a new thread
                // calls into ICU, which overwrites the saved errno.
                int errno = Interop.GetLastErrno();
                Interop.ThrowForErrno(errno, $"setns() into {this}", Capability);
            }
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    private static string ThreadName(string? name) => name is null ? "LinuxNet netns (anonymous)" : "LinuxNet netns " + name;

    private static ILogger CreateLogger(NetNamespaceOptions? options)
        => options?.LoggerFactory?.CreateLogger("LinuxNet.Namespaces.NetNamespace") ?? NullLogger.Instance;

    /// <summary>
    /// Wraps a network namespace descriptor that the kernel handed out (<c>TUNGETDEVNETNS</c>, <c>SIOCGSKNS</c>), taking
    /// ownership of it; <see cref="Path"/> is then <c>/proc/PID/fd/N</c>, like <see cref="Current"/>'s.
    /// </summary>
    internal static NetNamespace FromDescriptor(SafeFileDescriptorHandle fd)
    {
        try
        {
            return new NetNamespace(fd, name: null, path: null, thread: null, NullLogger.Instance);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    private static NetNamespace OpenDescriptor(string path, string? name, bool keepPath, ILogger logger)
    {
        SafeFileDescriptorHandle fd = Interop.Libc.Open(path, LinuxFcntl.O_RDONLY, operation: $"open network namespace '{path}'", capability: Capability);
        try
        {
            int type = Interop.Libc.Ioctl(fd.DangerousGetFd(), LinuxNsfs.NS_GET_NSTYPE, 0);
            if (type != LinuxSched.CLONE_NEWNET)
            {
                string what = type < 0 ? "not a namespace file (nsfs)" : "a namespace, but not a network namespace";
                throw new LinuxNetException(Errno.EINVAL, $"open network namespace '{path}'", $"'{path}' is {what}: EINVAL (22).");
            }

            var ns = new NetNamespace(fd, name, keepPath ? path : null, null, logger);
            NamespaceLog.Opened(logger, ns.Path, ns.Inode);
            return ns;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    private static unsafe (ulong Device, ulong Inode) GetIdentity(SafeFileDescriptorHandle fd)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            StatxBuffer buffer;
            byte empty = 0;
            Interop.CheckIo(Interop.Libc.Statx(fd.DangerousGetFd(), &empty, LinuxFile.AT_EMPTY_PATH, LinuxFile.STATX_INO, &buffer), "statx() of a network namespace");
            return (buffer.Dev, buffer.Ino);
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    private static LinuxNetException NotFound(string name, string path, Exception? inner)
        => new(Errno.ENOENT, $"open network namespace '{name}'", $"Network namespace '{name}' does not exist ({path}): ENOENT (2).", inner);

    /// <summary>
    /// The unique mount id of <c>/run/netns</c> as the calling thread sees it (<c>statx</c>, <c>STATX_MNT_ID_UNIQUE</c>),
    /// or 0 when it is missing, not a mount point, or the kernel (before 6.8) gives no unique id.
    /// </summary>
    internal static unsafe ulong RunDirectoryMountId()
    {
        StatxBuffer buffer;
        fixed (byte* d = s_runDirectoryZ)
        {
            if (Interop.Libc.Statx(LinuxFile.AT_FDCWD, d, 0, LinuxFile.STATX_MNT_ID_UNIQUE, &buffer) != 0
                || (buffer.Mask & LinuxFile.STATX_MNT_ID_UNIQUE) == 0
                || (buffer.AttributesMask & LinuxFile.STATX_ATTR_MOUNT_ROOT) == 0
                || (buffer.Attributes & LinuxFile.STATX_ATTR_MOUNT_ROOT) == 0)
            {
                return 0;
            }

            return buffer.MntId;
        }
    }

    /// <summary>
    /// Makes sure <c>/run/netns</c> exists and is a shared mount, as <c>ip netns add</c> does before every namespace,
    /// and returns its unique mount id (0 if the kernel gives none). The full check runs once per mount: while
    /// <c>/run/netns</c> is still the very mount LinuxNet made shared (one <c>statx</c>), it is skipped.
    /// </summary>
    private static ulong EnsureRunDirectoryShared(ILogger logger)
    {
        ulong id = RunDirectoryMountId();
        if (id != 0 && (long)id == Interlocked.Read(ref s_sharedRunDirectoryMount))
        {
            return id;
        }

        MakeRunDirectoryShared(logger);
        id = RunDirectoryMountId();
        if (id != 0)
        {
            Interlocked.Exchange(ref s_sharedRunDirectoryMount, (long)id);
        }

        return id;
    }

    private static unsafe void MakeRunDirectoryShared(ILogger logger)
    {
        fixed (byte* d = s_runDirectoryZ)
        fixed (byte* n = s_noneZ)
        {
            // 0755, as ip netns's create_netns_dir.
            if (Interop.Libc.Mkdir(d, 0x1ED) != 0 && Interop.GetLastErrno() != (int)Errno.EEXIST)
            {
                Interop.ThrowForErrno(Interop.GetLastErrno(), $"mkdir('{RunDirectory}')", Capability);
            }

            // The same lock ip netns add takes (https://bugs.debian.org/949235): concurrent first-time creators,
            // LinuxNet or ip, must not stack several self bind mounts on /run/netns.
            using SafeFileDescriptorHandle lockFd = Interop.Libc.Open(RunDirectory, LinuxFcntl.O_RDONLY, operation: $"open('{RunDirectory}')", capability: Capability);
            int fdNumber = lockFd.DangerousGetFd();
            int rc;
            do
            {
                rc = Interop.Libc.Flock(fdNumber, LinuxFile.LOCK_EX);
            }
            while (rc != 0 && Interop.GetLastErrno() == (int)Errno.EINTR);

            bool locked = rc == 0;
            if (!locked)
            {
                NamespaceLog.RunDirectoryLockFailed(logger, RunDirectory, ErrnoNames.GetName((Errno)Interop.GetLastErrno()));
            }

            try
            {
                bool madeMount = false;
                byte empty = 0;
                while (Interop.Libc.Mount(&empty, d, n, LinuxMount.MS_SHARED | LinuxMount.MS_REC, null) != 0)
                {
                    int errno = Interop.GetLastErrno();

                    // EINVAL: /run/netns is not a mount point yet. Upgrade it, once.
                    if (errno != (int)Errno.EINVAL || madeMount)
                    {
                        Interop.ThrowForErrno(errno, $"mount --make-shared {RunDirectory}", Capability);
                    }

                    Interop.CheckIo(Interop.Libc.Mount(d, d, n, LinuxMount.MS_BIND | LinuxMount.MS_REC, null), $"mount --bind {RunDirectory} {RunDirectory}", Capability);
                    madeMount = true;
                    NamespaceLog.RunDirectoryMounted(logger, RunDirectory);
                }
            }
            finally
            {
                if (locked)
                {
                    Interop.Libc.Flock(fdNumber, LinuxFile.LOCK_UN);
                }
            }
        }
    }

    private static void CreateEmptyFile(string path, string name)
    {
        try
        {
            Interop.Libc.Open(path, LinuxFcntl.O_RDONLY | LinuxFcntl.O_CREAT | LinuxFcntl.O_EXCL, 0, operation: $"create namespace file '{path}'", capability: Capability).Dispose();
        }
        catch (LinuxNetException e) when (e.Errno == Errno.EEXIST)
        {
            throw new LinuxNetException(Errno.EEXIST, $"create network namespace '{name}'", $"Network namespace '{name}' already exists ({path}): EEXIST (17).", e);
        }
    }

    private static void BindMount(string source, string target) => BindMount(new Utf8Z(source).Bytes, target);

    /// <summary><c>mount --bind SOURCE TARGET</c>, with <paramref name="source"/> NUL-terminated.</summary>
    internal static unsafe void BindMount(byte[] source, string target)
    {
        Utf8Z t = new(target);
        fixed (byte* sp = source)
        fixed (byte* tp = t.Bytes)
        fixed (byte* np = s_noneZ)
        {
            if (Interop.Libc.Mount(sp, tp, np, LinuxMount.MS_BIND, null) != 0)
            {
                Interop.ThrowForErrno(Interop.GetLastErrno(), $"mount --bind {Encoding.ASCII.GetString(source, 0, source.Length - 1)} {target}", Capability);
            }
        }
    }

    /// <summary>Detaches the mount on <paramref name="path"/> after a failed create; a failure is only logged by the caller's cleanup.</summary>
    internal static unsafe void Unmount(string path)
    {
        Utf8Z z = new(path);
        fixed (byte* p = z.Bytes)
        {
            Interop.Libc.Umount2(p, LinuxMount.MNT_DETACH);
        }
    }

    private static unsafe void RemoveNamespaceFile(string path, bool mounted, ILogger logger)
    {
        Utf8Z z = new(path);
        fixed (byte* p = z.Bytes)
        {
            if (mounted && Interop.Libc.Umount2(p, LinuxMount.MNT_DETACH) != 0)
            {
                NamespaceLog.CleanupFailed(logger, path, ErrnoNames.GetName((Errno)Interop.GetLastErrno()));
            }

            if (Interop.Libc.Unlink(p) != 0)
            {
                NamespaceLog.CleanupFailed(logger, path, ErrnoNames.GetName((Errno)Interop.GetLastErrno()));
            }
        }
    }
}
