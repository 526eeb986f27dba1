using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.ControlPlane;

/// <summary>Adds and deletes 10,000 IPv6 /128 routes (2001:db8:3::1 …) via br0: the five rows of <see cref="ModifyBenchmarks"/>.</summary>
[MemoryDiagnoser]
[Config(typeof(ControlPlaneConfig))]
[BenchmarkCategory("Routes")]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 60, iterationCount: 15, invocationCount: 1)]
public class RouteModifyBenchmarks : ModifyBenchmarks
{
    private RouteSpec[] _specs = null!;

    /// <summary>Routes per invocation (read by the op/s column).</summary>
    public static int OperationCount => 10_000;

    protected override int Count => OperationCount;

    private protected override LibmnlPeer.Operation PeerAdd => LibmnlPeer.Operation.RouteAdd;

    protected override string[] IpOptions => ["-6"];

    protected override void Prepare(int i, RtnetlinkBatch add, RtnetlinkBatch delete, TextWriter ipAdd, TextWriter ipDelete)
    {
        _specs ??= new RouteSpec[Count];
        (var address, string text) = AddressOf(3, i);
        _specs[i] = new RouteSpec(new IPPrefix(address, 128)) { Link = Bridge };
        add.AddRoute(_specs[i]);
        delete.DeleteRoute(_specs[i]);
        ipAdd.WriteLine($"route add {text}/128 dev br0");
        ipDelete.WriteLine($"route del {text}/128 dev br0");
    }

    protected override void AddOne(int i) => Rt.Routes.Add(_specs[i]);

    protected override void DeleteOne(int i) => Rt.Routes.Delete(_specs[i]);
}
