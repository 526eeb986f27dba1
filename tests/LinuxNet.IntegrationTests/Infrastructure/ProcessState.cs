namespace LinuxNet.IntegrationTests.Infrastructure;

/// <summary>Reads the test process's own resources from /proc, for leak checks.</summary>
internal static class ProcessState
{
    /// <summary>Open descriptors, not counting assemblies the runtime maps lazily (they are not LinuxNet's).</summary>
    public static int CountFds()
        => Directory.GetFileSystemEntries("/proc/self/fd").Count(f =>
        {
            try
            {
                return new FileInfo(f).LinkTarget?.EndsWith(".dll", StringComparison.Ordinal) != true;
            }
            catch (IOException)
            {
                return true;
            }
        });

    public static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>fd number → link target, for messages.</summary>
    public static Dictionary<string, string> DescribeFds()
        => Directory.GetFileSystemEntries("/proc/self/fd").ToDictionary(f => Path.GetFileName(f), f =>
        {
            try
            {
                return new FileInfo(f).LinkTarget ?? "?";
            }
            catch (IOException)
            {
                return "?";
            }
        });

    public static string DiffFds(Dictionary<string, string> before)
    {
        Dictionary<string, string> after = DescribeFds();
        return "added: " + string.Join(", ", after.Where(kv => !before.TryGetValue(kv.Key, out string? v) || v != kv.Value).Select(kv => kv.Key + "->" + kv.Value))
            + "; removed: " + string.Join(", ", before.Where(kv => !after.TryGetValue(kv.Key, out string? v) || v != kv.Value).Select(kv => kv.Key + "->" + kv.Value));
    }

    public static int CountThreads() => Directory.GetDirectories("/proc/self/task").Length;

    /// <remarks>
    /// Bind mounts of named namespaces under /run/netns are shared by every process, so another test run in parallel
    /// (another test assembly, a sample) would change the count; only those whose name starts with
    /// <paramref name="ownPrefix"/> are counted.
    /// </remarks>
    public static int CountMountInfoLines(string? ownPrefix = null)
        => File.ReadAllLines("/proc/self/mountinfo").Count(line =>
        {
            string[] fields = line.Split(' ');
            string mountPoint = fields.Length > 4 ? fields[4] : string.Empty;
            return !mountPoint.StartsWith("/run/netns/", StringComparison.Ordinal)
                || (ownPrefix is not null && mountPoint.StartsWith("/run/netns/" + ownPrefix, StringComparison.Ordinal));
        });

    /// <summary>Thread names (comm) of the process, sorted.</summary>
    public static string DescribeThreads()
        => string.Join(", ", Tasks().Select(t => ReadOrEmpty(t + "/comm").Trim()).Order());

    /// <summary>Threads whose network namespace differs from the process's main thread's.</summary>
    public static IReadOnlyList<string> ThreadsOutsideMainNamespace()
    {
        string main = ReadLinkOrEmpty("/proc/self/ns/net");
        return Tasks()
            .Where(t => ReadLinkOrEmpty(t + "/ns/net") is { Length: > 0 } ns && ns != main)
            .Select(t => $"{Path.GetFileName(t)} {ReadOrEmpty(t + "/comm").Trim()} {ReadLinkOrEmpty(t + "/ns/net")}")
            .ToList();
    }

    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="max"/> elapses (an exiting OS thread outlives Thread.Join briefly).</summary>
    public static bool Settle(Func<bool> condition, TimeSpan? max = null)
    {
        DateTime end = DateTime.UtcNow + (max ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    private static string[] Tasks() => Directory.GetDirectories("/proc/self/task");

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static string ReadLinkOrEmpty(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
