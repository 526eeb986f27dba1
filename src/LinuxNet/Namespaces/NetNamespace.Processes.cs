using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Namespaces;

// ip netns attach | identify | pids: names and processes of namespaces, found by nsfs identity (device + inode).
public sealed partial class NetNamespace
{
    /// <summary>
    /// Gives the network namespace of a running process a name, exactly as <c>ip netns attach NAME PID</c> does: the
    /// namespace is bind-mounted onto <c>/run/netns/NAME</c>, so it outlives the process and works with
    /// <c>ip netns exec NAME …</c>.
    /// </summary>
    /// <param name="name">The new name (the rules of <see cref="Create"/>).</param>
    /// <param name="processId">The process whose namespace is named.</param>
    /// <param name="options">Logging options, or <see langword="null"/>.</param>
    /// <returns>The namespace, named. Disposing it does not remove the name: call <see cref="Delete"/>.</returns>
    /// <remarks>
    /// The process's namespace is opened first and the bind mount is made from that open descriptor, not from
    /// <c>/proc/PID/ns/net</c> again, so a process that exits and whose id is reused meanwhile cannot get some other
    /// namespace named. If a step fails, the file is removed again. Needs <c>CAP_SYS_ADMIN</c>.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks the naming rules (checked before any system call).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processId"/> is not positive.</exception>
    /// <exception cref="LinuxNetException">
    /// No such process (<see cref="LinuxNetException.IsNotFound"/>), the name exists already
    /// (<see cref="LinuxNetException.IsAlreadyExists"/>), or no permission.
    /// </exception>
    public static NetNamespace Attach(string name, int processId, NetNamespaceOptions? options = null)
    {
        ValidateName(name, nameof(name));
        ILogger logger = CreateLogger(options);
        NetNamespace source = OpenForProcess(processId, options);
        string path = RunDirectory + "/" + name;
        bool created = false;
        bool mounted = false;
        try
        {
            EnsureRunDirectoryShared(logger);
            CreateEmptyFile(path, name);
            created = true;
            BindMount($"/proc/self/fd/{source._fd.DangerousGetFd().ToString(CultureInfo.InvariantCulture)}", path);
            mounted = true;
            NetNamespace named = OpenDescriptor(path, name, keepPath: true, logger);
            if (named != source)
            {
                named.Dispose();
                throw new LinuxNetException(Errno.EINVAL, $"attach network namespace '{name}'", $"'{path}' does not refer to the namespace of process {processId} after the bind mount: EINVAL (22).");
            }

            NamespaceLog.Attached(logger, processId, named.Inode, name);
            return named;
        }
        catch
        {
            if (created)
            {
                RemoveNamespaceFile(path, mounted, logger);
            }

            throw;
        }
        finally
        {
            source.Dispose();
        }
    }

    /// <summary>
    /// The names under <see cref="RunDirectory"/> that refer to the network namespace of a process, as
    /// <c>ip netns identify PID</c> finds them (ip prints only the first it meets in the directory; this lists every one).
    /// </summary>
    /// <param name="processId">The process.</param>
    /// <returns>The names in ordinal order; empty when the namespace has no name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processId"/> is not positive.</exception>
    /// <exception cref="LinuxNetException">No such process (<see cref="LinuxNetException.IsNotFound"/>), or no permission.</exception>
    public static IReadOnlyList<string> Identify(int processId)
    {
        using NetNamespace ns = OpenForProcess(processId);
        return ns.GetNames();
    }

    /// <summary>The names under <see cref="RunDirectory"/> that refer to this namespace (a namespace can have several, or none).</summary>
    /// <returns>The names in ordinal order.</returns>
    /// <remarks>Compares the nsfs identity (device and inode) of every entry with this namespace's.</remarks>
    public IReadOnlyList<string> GetNames()
    {
        var names = new List<string>();
        foreach (string name in List())
        {
            if (TryGetIdentity(RunDirectory + "/" + name, out ulong device, out ulong inode) && device == Device && inode == Inode)
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>
    /// The processes whose network namespace (that of their main thread, <c>/proc/PID/ns/net</c>) is this one, as
    /// <c>ip netns pids NAME</c> prints them.
    /// </summary>
    /// <returns>The process ids in ascending order. Processes that end while the list is made may or may not be in it.</returns>
    /// <remarks>
    /// Reads <c>/proc</c>: without <c>CAP_SYS_PTRACE</c> (or as another user), processes whose namespace cannot be read
    /// are left out, as with <c>ip</c>. Threads of a process that entered another namespace are not listed.
    /// </remarks>
    public IReadOnlyList<int> GetProcessIds()
    {
        var ids = new List<int>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            string file = System.IO.Path.GetFileName(entry);
            if (file.Length == 0 || file[0] < '1' || file[0] > '9' || !int.TryParse(file, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                continue;
            }

            if (TryGetIdentity(entry + "/ns/net", out ulong device, out ulong inode) && device == Device && inode == Inode)
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        return ids;
    }

    // stat(2) follows the /proc/PID/ns/net magic link and a bind mount alike to the nsfs inode, as ip netns does.
    private static unsafe bool TryGetIdentity(string path, out ulong device, out ulong inode)
    {
        Utf8Z z = new(path);
        StatxBuffer buffer;
        fixed (byte* p = z.Bytes)
        {
            if (Interop.Libc.Statx(LinuxFile.AT_FDCWD, p, 0, LinuxFile.STATX_INO, &buffer) != 0)
            {
                device = 0;
                inode = 0;
                return false;
            }
        }

        device = buffer.Dev;
        inode = buffer.Ino;
        return true;
    }
}
