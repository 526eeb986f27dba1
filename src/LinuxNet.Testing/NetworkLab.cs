using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using LinuxNet.Namespaces;

namespace LinuxNet.Testing;

/// <summary>
/// A throwaway network topology made by <see cref="NetworkLabBuilder.Build"/>: its namespaces (<c>lab["a"]</c>), each
/// with an rtnetlink session and the TUN/TAP devices made there. <see cref="Dispose"/> removes all of it.
/// </summary>
/// <remarks>
/// <para>
/// Nothing outlives the lab: anonymous namespaces (the default) vanish with their last descriptor, so even a killed
/// process leaves none behind, and every link, address and route the lab made lives inside one of them. Named
/// namespaces carry a per-run prefix (<c>lnlab-PID-START-N-NAME</c>: the process id and its start time); a lab that
/// is not disposed because its process died is swept by the next lab's <see cref="SweepLeftovers"/> (run once per
/// process, by the first <see cref="NetworkLabBuilder.Build"/>).
/// </para>
/// <para>
/// Independent of the test framework: create it in a test or a fixture's setup, dispose it in teardown (or with
/// <c>using</c>). Labs in parallel tests never collide: each has its own namespaces, and named ones unique names.
/// </para>
/// </remarks>
public sealed class NetworkLab : IDisposable
{
    /// <summary>The prefix of every named namespace a lab mounts under <c>/run/netns</c>.</summary>
    public const string NamePrefix = "lnlab-";

    private static int s_swept;
    private static int s_sequence;
    private static string? s_runPrefix;
    private readonly List<LabNamespace> _namespaces = new();
    private readonly Dictionary<string, LabNamespace> _byName = new(StringComparer.Ordinal);
    private int _disposed;

    internal NetworkLab()
    {
    }

    /// <summary>The lab's namespaces, in the order they were added.</summary>
    public IReadOnlyList<LabNamespace> Namespaces => _namespaces;

    /// <summary>This process's prefix for named namespaces: <c>lnlab-PID-START-</c>.</summary>
    public static string RunPrefix => s_runPrefix ??= MakeRunPrefix();

    /// <summary>The namespace the builder called <paramref name="name"/>.</summary>
    /// <param name="name">The builder's name.</param>
    /// <returns>The namespace.</returns>
    /// <exception cref="KeyNotFoundException">The lab has no such namespace.</exception>
    public LabNamespace this[string name]
        => _byName.TryGetValue(name, out LabNamespace? ns) ? ns : throw new KeyNotFoundException($"The lab has no namespace '{name}'.");

    /// <summary>
    /// Deletes the named namespaces of labs whose process is gone (the process id no longer runs, or runs a process
    /// started at another time). Namespaces of live processes, and any not made by a lab, are left alone.
    /// </summary>
    /// <returns>How many it deleted.</returns>
    public static int SweepLeftovers()
    {
        if (!Directory.Exists(NetNamespace.RunDirectory))
        {
            return 0;
        }

        int deleted = 0;
        foreach (string path in Directory.GetFiles(NetNamespace.RunDirectory, NamePrefix + "*"))
        {
            string name = Path.GetFileName(path);
            string[] parts = name.Substring(NamePrefix.Length).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            if (StartTime(pid) == parts[1])
            {
                continue; // its process still runs
            }

            try
            {
                NetNamespace.Delete(name);
                deleted++;
            }
            catch (LinuxNetException)
            {
                // Another sweeper got there first, or it is busy; the next sweep tries again.
            }
        }

        return deleted;
    }

    /// <summary>Removes everything the lab made: TUN/TAP devices and sessions closed, namespaces released (named ones deleted).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<Exception>? errors = null;
        for (int i = _namespaces.Count - 1; i >= 0; i--)
        {
            LabNamespace ns = _namespaces[i];
            try
            {
                ns.Close();
                string? mount = ns.MountName;
                ns.Namespace.Dispose();
                if (mount is not null && NetNamespace.Exists(mount))
                {
                    NetNamespace.Delete(mount);
                }
            }
            catch (Exception e) when (e is LinuxNetException or IOException or UnauthorizedAccessException)
            {
                (errors ??= new List<Exception>()).Add(e);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("The lab could not remove everything it made.", errors);
        }
    }

    internal static void SweepOnce()
    {
        if (Interlocked.Exchange(ref s_swept, 1) == 0)
        {
            _ = SweepLeftovers();
        }
    }

    internal void AddNamespace(string name, bool named)
    {
        NetNamespace ns = named
            ? NetNamespace.Create(RunPrefix + Interlocked.Increment(ref s_sequence).ToString(CultureInfo.InvariantCulture) + "-" + name)
            : NetNamespace.CreateAnonymous();
        var labNamespace = new LabNamespace(name, ns);
        _namespaces.Add(labNamespace);
        _byName.Add(name, labNamespace);
        labNamespace.Open();
    }

    private static string MakeRunPrefix()
    {
        using Process self = Process.GetCurrentProcess();
        return NamePrefix + self.Id.ToString(CultureInfo.InvariantCulture) + "-" + StartTime(self.Id) + "-";
    }

    /// <summary>A process's start time (<c>/proc/PID/stat</c> field 22, clock ticks since boot), or "" when it does not run.</summary>
    private static string StartTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            string[] fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            return fields.Length > 19 ? fields[19] : string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
