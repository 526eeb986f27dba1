using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.ControlPlane;

/// <summary>
/// Adds and deletes 1,000 IPv6 rules (<c>from 2001:db8:5::X/128 lookup 100 priority 1000+i</c>): the five rows of
/// <see cref="ModifyBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ControlPlaneConfig))]
[BenchmarkCategory("Rules")]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 400, iterationCount: 30, invocationCount: 1)]
public class RuleModifyBenchmarks : ModifyBenchmarks
{
    private RuleSpec[] _specs = null!;

    /// <summary>Rules per invocation (read by the op/s column).</summary>
    public static int OperationCount => 1_000;

    protected override int Count => OperationCount;

    private protected override LibmnlPeer.Operation PeerAdd => LibmnlPeer.Operation.RuleAdd;

    protected override string[] IpOptions => ["-6"];

    protected override void Prepare(int i, RtnetlinkBatch add, RtnetlinkBatch delete, TextWriter ipAdd, TextWriter ipDelete)
    {
        _specs ??= new RuleSpec[Count];
        (var address, string text) = AddressOf(5, i);
        _specs[i] = new RuleSpec
        {
            Family = AddressFamily.InterNetworkV6,
            Source = new IPPrefix(address, 128),
            Table = 100,
            Priority = (uint)(1000 + i),
        };
        add.AddRule(_specs[i]);
        delete.DeleteRule(_specs[i]);
        ipAdd.WriteLine($"rule add from {text}/128 lookup 100 priority {1000 + i}");
        ipDelete.WriteLine($"rule del from {text}/128 lookup 100 priority {1000 + i}");
    }

    protected override void AddOne(int i) => Rt.Rules.Add(_specs[i]);

    protected override void DeleteOne(int i) => Rt.Rules.Delete(_specs[i]);
}
