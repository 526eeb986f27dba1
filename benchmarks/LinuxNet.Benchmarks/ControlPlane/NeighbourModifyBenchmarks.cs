using System.Net.NetworkInformation;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.ControlPlane;

/// <summary>
/// Adds and deletes 1,000 permanent IPv6 neighbours (2001:db8:6::X, lladdr 02:00:00:…) on br0: the five rows of
/// <see cref="ModifyBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ControlPlaneConfig))]
[BenchmarkCategory("Neighbours")]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 400, iterationCount: 30, invocationCount: 1)]
public class NeighbourModifyBenchmarks : ModifyBenchmarks
{
    private NeighbourSpec[] _specs = null!;

    /// <summary>Neighbours per invocation (read by the op/s column).</summary>
    public static int OperationCount => 1_000;

    protected override int Count => OperationCount;

    private protected override LibmnlPeer.Operation PeerAdd => LibmnlPeer.Operation.NeighbourAdd;

    protected override void Prepare(int i, RtnetlinkBatch add, RtnetlinkBatch delete, TextWriter ipAdd, TextWriter ipDelete)
    {
        _specs ??= new NeighbourSpec[Count];
        (var address, string text) = AddressOf(6, i);
        int v = i + 1;
        byte[] mac = [0x02, 0x00, 0x00, (byte)(v >> 16), (byte)(v >> 8), (byte)v];
        _specs[i] = new NeighbourSpec(address, Bridge) { State = NeighbourStates.Permanent, LinkLayerAddress = new PhysicalAddress(mac) };
        add.AddNeighbour(_specs[i]);
        delete.DeleteNeighbour(_specs[i]);
        ipAdd.WriteLine($"neigh add {text} lladdr {string.Join(':', mac.Select(b => b.ToString("x2")))} dev br0 nud permanent");
        ipDelete.WriteLine($"neigh del {text} dev br0");
    }

    protected override void AddOne(int i) => Rt.Neighbours.Add(_specs[i]);

    protected override void DeleteOne(int i) => Rt.Neighbours.Delete(_specs[i]);
}
