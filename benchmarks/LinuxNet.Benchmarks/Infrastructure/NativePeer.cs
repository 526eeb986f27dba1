using System.Diagnostics;
using System.Runtime.InteropServices;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>Builds the C peers in benchmarks/native at setup, runs tools, and reads per-thread CPU time and context switches.</summary>
internal static class NativePeer
{
    /// <summary>Compiles benchmarks/native/<paramref name="source"/> with gcc -O2 into a temporary binary; returns its path.</summary>
    public static string Build(string source, params string[] flags)
    {
        string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "native", source));
        string binary = Path.Combine(Path.GetTempPath(), $"linuxnet-{Path.GetFileNameWithoutExtension(source)}-{Environment.ProcessId}");
        Run(null, "gcc", ["-O2", .. flags, "-o", binary, path]);
        return binary;
    }

    /// <summary>Runs a program (inside <paramref name="ns"/> when given), bounded to 30 s; throws with its stderr on failure.</summary>
    public static void Run(NetNamespace? ns, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process p = ns is null ? Process.Start(psi)! : ns.StartProcess(psi);
        string error = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(30_000) || p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    public static extern int GetTid();

    /// <summary>CPU time a thread has run, in seconds, from <c>/proc/PID/task/TID/schedstat</c> (nanosecond resolution).</summary>
    public static double ThreadCpuSeconds(int pid, int tid)
    {
        string text = File.ReadAllText($"/proc/{pid}/task/{tid}/schedstat");
        return long.Parse(text.AsSpan(0, text.IndexOf(' '))) / 1e9;
    }

    /// <summary>
    /// A thread's scheduler counters from <c>/proc/PID/task/TID/sched</c>: voluntary switches (it blocked),
    /// involuntary switches (it was preempted) and migrations to another CPU.
    /// </summary>
    public static (long Voluntary, long Involuntary, long Migrations) SchedCounters(int pid, int tid)
    {
        long voluntary = 0, involuntary = 0, migrations = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/task/{tid}/sched"))
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            if (key is "nr_voluntary_switches" or "nr_involuntary_switches" or "se.nr_migrations")
            {
                long value = long.Parse(line.AsSpan(colon + 1).Trim());
                _ = key switch
                {
                    "nr_voluntary_switches" => voluntary = value,
                    "nr_involuntary_switches" => involuntary = value,
                    _ => migrations = value,
                };
            }
        }

        return (voluntary, involuntary, migrations);
    }

    /// <summary>The thread ids of a process.</summary>
    public static int[] Threads(int pid) => [.. Directory.GetDirectories($"/proc/{pid}/task").Select(d => int.Parse(Path.GetFileName(d)))];
}
