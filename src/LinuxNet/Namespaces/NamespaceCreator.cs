using System;
using System.Threading;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxNet.Namespaces;

/// <summary>
/// Makes named network namespaces on one reused thread, as <c>ip -batch</c> and a C loop do: <c>unshare(CLONE_NEWNET)</c>,
/// bind mount of <c>/proc/thread-self/ns/net</c>, then <c>setns</c> back to the thread's home namespace. This saves
/// starting (and later ending) one OS thread per namespace, which cost more than the kernel's own work.
/// </summary>
/// <remarks>
/// <para>
/// Thread hygiene: the creator is LinuxNet's own thread (never a pool or caller thread), its home is the main
/// thread's network and mount namespaces (it is only started from a thread that is in both), and if the
/// <c>setns</c> back ever fails it is retired at once: it runs nothing more, ends, and the next <see cref="TryCreate"/>
/// starts a new one. So no thread stays in a namespace it was not made for.
/// </para>
/// <para>
/// The mount namespace matters too: the bind mount must be made in the caller's. The caller passes the unique mount id
/// (<c>STATX_MNT_ID_UNIQUE</c>) of <c>/run/netns</c> as it sees it; the creator is used only when it sees the same
/// mount, which can only be in the same mount namespace. Otherwise (a caller that unshared its mount namespace, a
/// kernel before 6.8, a pinned caller with no creator yet) <see cref="TryCreate"/> returns <see langword="false"/>
/// and <see cref="NetNamespace.Create"/> uses a new thread born from the caller, as before.
/// </para>
/// </remarks>
internal sealed class NamespaceCreator
{
    internal const string ThreadName = "LinuxNet ns creator";

    private static readonly object s_gate = new();
    private static NamespaceCreator? s_current;

    private readonly NamespaceThread _thread;
    private readonly SafeFileDescriptorHandle _home;
    private ulong _runDirectoryMount;
    private volatile bool _retired;

    private NamespaceCreator(NamespaceThread thread, SafeFileDescriptorHandle home, ulong runDirectoryMount)
    {
        _thread = thread;
        _home = home;
        _runDirectoryMount = runDirectoryMount;
    }

    /// <summary>Test hook: replaces the <c>setns</c> back home (returns its result) to simulate a failure.</summary>
    internal static Func<int>? ReturnHomeHook;

    /// <summary>The live creator thread's kernel id, or 0 (for tests).</summary>
    internal static int CurrentTid => Volatile.Read(ref s_current) is { _retired: false } c ? c._thread.Tid : 0;

    /// <summary>
    /// Makes the namespace on the creator thread and bind-mounts it onto <paramref name="path"/> (which must exist).
    /// Returns <see langword="false"/>, having done nothing, when the creator cannot serve this caller.
    /// On an exception the mount (if made) is already removed; the caller removes the file.
    /// </summary>
    internal static bool TryCreate(string name, string path, ulong runDirectoryMount, out SafeFileDescriptorHandle? fd)
    {
        fd = null;

        // Capabilities are per thread: the creator must never make a namespace the caller could not make itself.
        // A caller without CAP_SYS_ADMIN goes the old way and meets its own EPERM.
        if (runDirectoryMount == 0 || !Interop.Libc.HasEffectiveCapability(Interop.Libc.CAP_SYS_ADMIN))
        {
            return false;
        }

        for (int attempt = 0; attempt < 3; attempt++)
        {
            NamespaceCreator? creator = Get(runDirectoryMount);
            if (creator is null)
            {
                return false;
            }

            Result result;
            try
            {
                result = creator._thread.Invoke(static s => s.Creator.CreateHere(s.Name, s.Path), (Creator: creator, Name: name, Path: path), CancellationToken.None);
            }
            catch (ObjectDisposedException) when (creator._retired)
            {
                // The creator was retired and has ended before the request was queued: nothing was done; take a new one.
                continue;
            }

            if (!result.Retired)
            {
                fd = result.Fd;
                return true;
            }
        }

        return false;
    }

    private static NamespaceCreator? Get(ulong runDirectoryMount)
    {
        NamespaceCreator? creator = Volatile.Read(ref s_current);
        if (creator is not null && !creator._retired && Volatile.Read(ref creator._runDirectoryMount) == runDirectoryMount)
        {
            return creator;
        }

        lock (s_gate)
        {
            creator = s_current;
            if (creator is not null && !creator._retired)
            {
                if (creator.Refresh() == runDirectoryMount)
                {
                    return creator;
                }

                // The caller sees another /run/netns mount than the creator: it is in another mount namespace (the
                // creator lives in the main thread's) or /run/netns is changing under us. Not ours to serve.
                return null;
            }

            // No thread born in a pinned namespace, or in another mount or network namespace than the main
            // thread's, becomes the creator: it would keep that namespace alive for the life of the process.
            if (NamespaceThread.IsPinnedThread || !InMainThreadNamespaces())
            {
                return null;
            }

            SafeFileDescriptorHandle? home = null;
            ulong seen = 0;
            NamespaceThread thread;
            try
            {
                thread = NamespaceThread.Start(
                    ThreadName,
                    _ =>
                    {
                        home = Interop.Libc.Open(ThreadSelfNet, LinuxFcntl.O_RDONLY, operation: $"open('{ThreadSelfNet}')");
                        seen = NetNamespace.RunDirectoryMountId();
                    },
                    NullLogger.Instance);
            }
            catch (LinuxNetException)
            {
                home?.Dispose();
                return null;
            }

            creator = new NamespaceCreator(thread, home!, seen);
            Volatile.Write(ref s_current, creator);
            return seen == runDirectoryMount ? creator : null;
        }
    }

    private const string ThreadSelfNet = "/proc/thread-self/ns/net";

    private static bool InMainThreadNamespaces()
        => SameNamespace("/proc/thread-self/ns/net", "/proc/self/ns/net") && SameNamespace("/proc/thread-self/ns/mnt", "/proc/self/ns/mnt");

    private static unsafe bool SameNamespace(string a, string b)
    {
        Utf8Z za = new(a);
        Utf8Z zb = new(b);
        StatxBuffer sa;
        StatxBuffer sb;
        fixed (byte* pa = za.Bytes)
        fixed (byte* pb = zb.Bytes)
        {
            return Interop.Libc.Statx(LinuxFile.AT_FDCWD, pa, 0, LinuxFile.STATX_INO, &sa) == 0
                && Interop.Libc.Statx(LinuxFile.AT_FDCWD, pb, 0, LinuxFile.STATX_INO, &sb) == 0
                && sa.Ino == sb.Ino && sa.Dev == sb.Dev;
        }
    }

    // /run/netns may have been unmounted and mounted again in the creator's mount namespace: look again, on its thread.
    private ulong Refresh()
    {
        try
        {
            ulong seen = _thread.Invoke(static _ => NetNamespace.RunDirectoryMountId(), 0, CancellationToken.None);
            Volatile.Write(ref _runDirectoryMount, seen);
            return seen;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    private Result CreateHere(string name, string path)
    {
        if (_retired)
        {
            return new Result(null, retired: true);
        }

        if (Interop.Libc.Unshare(LinuxSched.CLONE_NEWNET) != 0)
        {
            // unshare failed: the thread is still at home.
            int errno = Interop.GetLastErrno();
            if (errno == (int)Errno.EPERM)
            {
                // The creator lost a capability the caller has: retire it, and let the caller's own thread try.
                _retired = true;
                _thread.Close();
                _home.Dispose();
                return new Result(null, retired: true);
            }

            Interop.ThrowForErrno(errno, $"unshare(CLONE_NEWNET) for network namespace '{name}'", NetNamespace.Capability);
        }

        SafeFileDescriptorHandle? fd = null;
        bool mounted = false;
        try
        {
            fd = Interop.Libc.Open(ThreadSelfNet, LinuxFcntl.O_RDONLY, operation: $"open('{ThreadSelfNet}')", capability: NetNamespace.Capability);
            NetNamespace.BindMount(NetNamespace.ThreadSelfNetZ, path);
            mounted = true;
            NetNamespace.CreateFaultHook?.Invoke(name);
            return new Result(fd, retired: false);
        }
        catch
        {
            if (mounted)
            {
                NetNamespace.Unmount(path);
            }

            fd?.Dispose();
            throw;
        }
        finally
        {
            ReturnHome();
        }
    }

    private void ReturnHome()
    {
        bool added = false;
        int rc;
        try
        {
            _home.DangerousAddRef(ref added);
            rc = ReturnHomeHook is { } hook ? hook() : Interop.Libc.SetNs(_home.DangerousGetFd(), LinuxSched.CLONE_NEWNET);
        }
        finally
        {
            if (added)
            {
                _home.DangerousRelease();
            }
        }

        if (rc != 0)
        {
            // Still inside the namespace just made: this thread must never run another request. It ends after its
            // queue, whose items see _retired and do nothing; its descriptor of home goes with it.
            _retired = true;
            _thread.Close();
            _home.Dispose();
        }
    }

    private readonly struct Result
    {
        internal Result(SafeFileDescriptorHandle? fd, bool retired)
        {
            Fd = fd;
            Retired = retired;
        }

        internal SafeFileDescriptorHandle? Fd { get; }

        internal bool Retired { get; }
    }
}
