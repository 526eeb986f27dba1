using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.ControlPlane;

/// <summary>
/// The five rows every add/delete category of the control-plane benchmarks has (issue 18), in a fresh anonymous
/// namespace with a bridge <c>br0</c> up: LinuxNet one request at a time through the public API (one
/// <see cref="RtnetlinkSession"/> reused, link by index, specs built in setup), LinuxNet <see cref="RtnetlinkBatch"/>
/// (built in setup, <c>Execute()</c>), libmnl one request per ACK (baseline), libmnl batched (1,024 per sendmsg, ACKs
/// read in bulk) — both loaded in-process from benchmarks/native/nlpeer.c — and <c>ip -batch FILE</c> as a whole
/// process (file written in setup).
/// </summary>
/// <remarks>
/// Each invocation is one full pass of <see cref="Count"/> operations; the state for the next is prepared outside the
/// measurement (IterationSetup / IterationCleanup, with LinuxNet's batch, checked). Needs root.
/// </remarks>
public abstract class ModifyBenchmarks
{
    private string _directory = null!;
    private LibmnlPeer _peer = null!;
    private RtnetlinkBatch _add = null!;
    private RtnetlinkBatch _delete = null!;

    /// <summary>The namespace everything runs in.</summary>
    protected NetNamespace Namespace { get; private set; } = null!;

    /// <summary>The LinuxNet session reused by every request.</summary>
    protected RtnetlinkSession Rt { get; private set; } = null!;

    /// <summary>br0's index.</summary>
    protected int Bridge { get; private set; }

    /// <summary>Operations per invocation.</summary>
    protected abstract int Count { get; }

    /// <summary>The C peer's add operation (its delete is the next number).</summary>
    private protected abstract LibmnlPeer.Operation PeerAdd { get; }

    /// <summary>ip's global options before <c>-batch</c> (e.g. <c>-6</c>).</summary>
    protected virtual string[] IpOptions => [];

    [GlobalSetup]
    public void GlobalSetup()
    {
        Namespace = NetNamespace.CreateAnonymous();
        IpProcess.Run(Namespace, "link", "add", "br0", "type", "bridge");
        IpProcess.Run(Namespace, "link", "set", "br0", "up");
        Rt = RtnetlinkSession.Open(Namespace);
        Bridge = Rt.Links.Get("br0").Index;
        _peer = new LibmnlPeer(Namespace);
        _add = Rt.CreateBatch();
        _delete = Rt.CreateBatch();
        _directory = Directory.CreateTempSubdirectory("linuxnet-cpbench-").FullName;
        using var ipAdd = new StreamWriter(Path.Combine(_directory, "add"));
        using var ipDelete = new StreamWriter(Path.Combine(_directory, "del"));
        for (int i = 0; i < Count; i++)
        {
            Prepare(i, _add, _delete, ipAdd, ipDelete);
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _add?.Dispose();
        _delete?.Dispose();
        _peer?.Dispose();
        Rt?.Dispose();
        Namespace?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // ---- state for the next invocation (not measured)

    [IterationSetup(Targets = [nameof(Delete_LinuxNet), nameof(Delete_LinuxNetBatch), nameof(Delete_Libmnl), nameof(Delete_LibmnlBatch), nameof(Delete_Ip)])]
    public void AddAll()
    {
        AfterDeleting();
        Check(_add.Execute());
    }

    [IterationCleanup(Targets = [nameof(Add_LinuxNet), nameof(Add_LinuxNetBatch), nameof(Add_Libmnl), nameof(Add_LibmnlBatch), nameof(Add_Ip)])]
    public void DeleteAll()
    {
        Check(_delete.Execute());
        AfterDeleting();
    }

    // ---- add

    [Benchmark(Description = "LinuxNet, one at a time"), BenchmarkCategory("Add")]
    public void Add_LinuxNet()
    {
        for (int i = 0; i < Count; i++)
        {
            AddOne(i);
        }
    }

    [Benchmark(Description = "LinuxNet, RtnetlinkBatch"), BenchmarkCategory("Add")]
    public int Add_LinuxNetBatch() => Check(_add.Execute());

    [Benchmark(Baseline = true, Description = "libmnl, one per ACK"), BenchmarkCategory("Add")]
    public void Add_Libmnl() => _peer.Run(PeerAdd, Count, Bridge);

    [Benchmark(Description = "libmnl, 1,024 per sendmsg"), BenchmarkCategory("Add")]
    public void Add_LibmnlBatch() => _peer.RunBatch(PeerAdd, Count, Bridge);

    [Benchmark(Description = "ip -batch FILE (process)"), BenchmarkCategory("Add")]
    public void Add_Ip() => IpProcess.Run(Namespace, [.. IpOptions, "-batch", Path.Combine(_directory, "add")]);

    // ---- delete

    [Benchmark(Description = "LinuxNet, one at a time"), BenchmarkCategory("Delete")]
    public void Delete_LinuxNet()
    {
        for (int i = 0; i < Count; i++)
        {
            DeleteOne(i);
        }
    }

    [Benchmark(Description = "LinuxNet, RtnetlinkBatch"), BenchmarkCategory("Delete")]
    public int Delete_LinuxNetBatch() => Check(_delete.Execute());

    [Benchmark(Baseline = true, Description = "libmnl, one per ACK"), BenchmarkCategory("Delete")]
    public void Delete_Libmnl() => _peer.Run(PeerAdd + 1, Count, Bridge);

    [Benchmark(Description = "libmnl, 1,024 per sendmsg"), BenchmarkCategory("Delete")]
    public void Delete_LibmnlBatch() => _peer.RunBatch(PeerAdd + 1, Count, Bridge);

    [Benchmark(Description = "ip -batch FILE (process)"), BenchmarkCategory("Delete")]
    public void Delete_Ip() => IpProcess.Run(Namespace, [.. IpOptions, "-batch", Path.Combine(_directory, "del")]);

    /// <summary>Builds object number <paramref name="i"/>'s spec, its batch entries and its ip lines (global setup).</summary>
    protected abstract void Prepare(int i, RtnetlinkBatch add, RtnetlinkBatch delete, TextWriter ipAdd, TextWriter ipDelete);

    /// <summary>Adds object <paramref name="i"/> through the public API (spec built in setup).</summary>
    protected abstract void AddOne(int i);

    /// <summary>Deletes object <paramref name="i"/> through the public API.</summary>
    protected abstract void DeleteOne(int i);

    /// <summary>Called (unmeasured) after every full delete before the next adds: addresses let MLD settle.</summary>
    protected virtual void AfterDeleting()
    {
    }

    /// <summary>2001:db8:<paramref name="block"/>::(i+1), as nlpeer.c's <c>address_of</c> numbers them.</summary>
    protected static (IPAddress Address, string Text) AddressOf(int block, int i)
    {
        string text = $"2001:db8:{block.ToString("x", CultureInfo.InvariantCulture)}::{(i + 1).ToString("x", CultureInfo.InvariantCulture)}";
        return (IPAddress.Parse(text), text);
    }

    private static int Check(RtnetlinkBatchResult result)
        => result.AllSucceeded ? result.Count : throw new InvalidOperationException(result.Failures.First().ToString());
}
