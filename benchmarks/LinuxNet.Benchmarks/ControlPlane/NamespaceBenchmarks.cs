using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.ControlPlane;

/// <summary>
/// Creates, and separately deletes, 100 named namespaces per invocation: LinuxNet <c>NetNamespace.Create(name).Dispose()</c>
/// / <c>NetNamespace.Delete(name)</c>, the C loop (nlpeer.c's <c>create_n</c>/<c>delete_n</c>: unshare + bind mount +
/// setns back / umount2 + unlink, in-process; baseline), one <c>ip netns add|del</c> process per namespace, and one
/// <c>ip -batch FILE</c> with 100 <c>netns add</c>/<c>netns del</c> lines.
/// </summary>
/// <remarks>
/// Names are <c>lncp-PID-i</c>; the state for the next invocation is made outside the measurement with the C loop, and
/// every name with the prefix is deleted in the global cleanup, also after a failure. Needs root.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ControlPlaneConfig))]
[BenchmarkCategory("Namespaces")]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 15, invocationCount: 1)]
public class NamespaceBenchmarks
{
    private const int Count = 100;

    private readonly string _prefix = $"lncp-{Environment.ProcessId}-";
    private string[] _names = null!;
    private string _directory = null!;
    private NetNamespace _root = null!;

    /// <summary>Namespaces per invocation (read by the op/s column).</summary>
    public static int OperationCount => Count;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _names = [.. Enumerable.Range(0, Count).Select(i => _prefix + i)];
        _directory = Directory.CreateTempSubdirectory("linuxnet-cpns-").FullName;
        File.WriteAllLines(Path.Combine(_directory, "add"), _names.Select(n => "netns add " + n));
        File.WriteAllLines(Path.Combine(_directory, "del"), _names.Select(n => "netns del " + n));
        _root = NetNamespace.Current;
        LibmnlPeer.CreateNamespaces(_prefix + "warm", 1); // builds and loads the peer, makes /run/netns shared
        LibmnlPeer.DeleteNamespaces(_prefix + "warm", 1);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        foreach (string name in NetNamespace.List().Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)))
        {
            try
            {
                NetNamespace.Delete(name);
            }
            catch (LinuxNetException)
            {
                // Keep deleting the others.
            }
        }

        _root?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [IterationSetup(Targets = [nameof(Delete_LinuxNet), nameof(Delete_Libmnl), nameof(Delete_IpProcesses), nameof(Delete_Ip)])]
    public void CreateAll() => LibmnlPeer.CreateNamespaces(_prefix, Count);

    [IterationCleanup(Targets = [nameof(Create_LinuxNet), nameof(Create_Libmnl), nameof(Create_IpProcesses), nameof(Create_Ip)])]
    public void DeleteAll() => LibmnlPeer.DeleteNamespaces(_prefix, Count);

    // ---- create

    [Benchmark(Description = "NetNamespace.Create(name).Dispose()"), BenchmarkCategory("Create")]
    public void Create_LinuxNet()
    {
        foreach (string name in _names)
        {
            NetNamespace.Create(name).Dispose();
        }
    }

    [Benchmark(Baseline = true, Description = "C: unshare + bind mount + setns back"), BenchmarkCategory("Create")]
    public void Create_Libmnl() => LibmnlPeer.CreateNamespaces(_prefix, Count);

    [Benchmark(Description = "ip netns add (one process each)"), BenchmarkCategory("Create")]
    public void Create_IpProcesses()
    {
        foreach (string name in _names)
        {
            IpProcess.Run(_root, "netns", "add", name);
        }
    }

    [Benchmark(Description = "ip -batch FILE, netns add lines"), BenchmarkCategory("Create")]
    public void Create_Ip() => IpProcess.Run(_root, "-batch", Path.Combine(_directory, "add"));

    // ---- delete

    [Benchmark(Description = "NetNamespace.Delete(name)"), BenchmarkCategory("Delete")]
    public void Delete_LinuxNet()
    {
        foreach (string name in _names)
        {
            NetNamespace.Delete(name);
        }
    }

    [Benchmark(Baseline = true, Description = "C: umount2(MNT_DETACH) + unlink"), BenchmarkCategory("Delete")]
    public void Delete_Libmnl() => LibmnlPeer.DeleteNamespaces(_prefix, Count);

    [Benchmark(Description = "ip netns del (one process each)"), BenchmarkCategory("Delete")]
    public void Delete_IpProcesses()
    {
        foreach (string name in _names)
        {
            IpProcess.Run(_root, "netns", "del", name);
        }
    }

    [Benchmark(Description = "ip -batch FILE, netns del lines"), BenchmarkCategory("Delete")]
    public void Delete_Ip() => IpProcess.Run(_root, "-batch", Path.Combine(_directory, "del"));
}
