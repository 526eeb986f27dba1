using System.Diagnostics;
using System.Runtime.InteropServices;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>Builds the C peers in benchmarks/native at setup, runs tools, and reads per-thread CPU time and context switches.</summary>
internal static class NativePeer
{
    /// <summary>Compiles benchmarks/native/<paramref name="source"/> with gcc -O2 into a temporary binary; returns its path.</summary>
    public static string Build(string source, params string[] flags) => Build(source, flags, [], shared: false);

    /// <summary>
    /// Compiles benchmarks/native/<paramref name="source"/> with gcc -O2, <paramref name="flags"/> before the source and
    /// <paramref name="libraries"/> (<c>-lmnl</c>) after it (the linker resolves left to right); with
    /// <paramref name="shared"/>, into a shared library (<c>-shared -fPIC</c>) to load in-process. Returns its path.
    /// </summary>
    public static string Build(string source, string[] flags, string[] libraries, bool shared)
    {
        string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "native", source));
        string name = $"linuxnet-{Path.GetFileNameWithoutExtension(source)}-{Environment.ProcessId}";
        if (shared)
        {
            name = "lib" + name + ".so";
        }
        else if (flags.Length > 0)
        {
            // Two executables of one source (the cold-process CLI and others) must not overwrite each other.
            name += "-" + string.Concat(flags).GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        }

        string binary = Path.Combine(Path.GetTempPath(), name);
        Run(null, "gcc", ["-O2", .. shared ? (string[])["-shared", "-fPIC"] : [], .. flags, "-o", binary, path, .. libraries]);
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

    /// <summary>The thread ids of a process.</summary>
    public static int[] Threads(int pid) => [.. Directory.GetDirectories($"/proc/{pid}/task").Select(d => int.Parse(Path.GetFileName(d)))];
}

/// <summary>
/// Reads threads' CPU time (<c>/proc/PID/task/TID/schedstat</c>, nanoseconds) and scheduler counters
/// (<c>/proc/PID/task/TID/sched</c>: voluntary and involuntary switches, migrations) without allocating: the files
/// are opened once and re-read from offset 0.
/// </summary>
internal sealed class ThreadCounters : IDisposable
{
    private readonly List<(Microsoft.Win32.SafeHandles.SafeFileHandle Schedstat, Microsoft.Win32.SafeHandles.SafeFileHandle Sched)> _files = [];
    private readonly byte[] _buffer = new byte[8192];

    public ThreadCounters(int pid, IEnumerable<int> tids)
    {
        foreach (int tid in tids)
        {
            _files.Add((File.OpenHandle($"/proc/{pid}/task/{tid}/schedstat"), File.OpenHandle($"/proc/{pid}/task/{tid}/sched")));
        }
    }

    public (double CpuSeconds, long Voluntary, long Involuntary, long Migrations) Read()
    {
        long nanoseconds = 0, voluntary = 0, involuntary = 0, migrations = 0;
        foreach ((var schedstat, var sched) in _files)
        {
            int n = RandomAccess.Read(schedstat, _buffer, 0);
            nanoseconds += ParseLeadingNumber(_buffer.AsSpan(0, n));
            n = RandomAccess.Read(sched, _buffer, 0);
            ReadOnlySpan<byte> text = _buffer.AsSpan(0, n);
            voluntary += Field(text, "nr_voluntary_switches"u8);
            involuntary += Field(text, "nr_involuntary_switches"u8);
            migrations += Field(text, "se.nr_migrations"u8);
        }

        return (nanoseconds / 1e9, voluntary, involuntary, migrations);
    }

    public void Dispose()
    {
        foreach ((var a, var b) in _files)
        {
            a.Dispose();
            b.Dispose();
        }
    }

    private static long Field(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name)
    {
        int at = text.IndexOf(name);
        if (at < 0)
        {
            return 0;
        }

        ReadOnlySpan<byte> rest = text[(at + name.Length)..];
        return ParseLeadingNumber(rest[(rest.IndexOf((byte)':') + 1)..]);
    }

    private static long ParseLeadingNumber(ReadOnlySpan<byte> text)
    {
        int i = 0;
        while (i < text.Length && (text[i] == ' ' || text[i] == '\t'))
        {
            i++;
        }

        long value = 0;
        while (i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (text[i] - '0');
            i++;
        }

        return value;
    }
}
