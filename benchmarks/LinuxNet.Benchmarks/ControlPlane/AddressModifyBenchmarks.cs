using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.ControlPlane;

/// <summary>
/// Adds and deletes 1,000 IPv6 /128 addresses (2001:db8:4::1 …) on br0: the five rows of <see cref="ModifyBenchmarks"/>.
/// Every full delete is followed (unmeasured) by <see cref="MldSettle"/>'s pause before the next adds.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ControlPlaneConfig))]
[BenchmarkCategory("Addresses")]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class AddressModifyBenchmarks : ModifyBenchmarks
{
    private AddressSpec[] _specs = null!;

    /// <summary>Addresses per invocation (read by the op/s column).</summary>
    public static int OperationCount => 1_000;

    protected override int Count => OperationCount;

    private protected override LibmnlPeer.Operation PeerAdd => LibmnlPeer.Operation.AddressAdd;

    protected override void Prepare(int i, RtnetlinkBatch add, RtnetlinkBatch delete, TextWriter ipAdd, TextWriter ipDelete)
    {
        _specs ??= new AddressSpec[Count];
        (var address, string text) = AddressOf(4, i);
        _specs[i] = new AddressSpec(Bridge, new IPPrefix(address, 128));
        add.AddAddress(_specs[i]);
        delete.DeleteAddress(_specs[i]);
        ipAdd.WriteLine($"addr add {text}/128 dev br0");
        ipDelete.WriteLine($"addr del {text}/128 dev br0");
    }

    protected override void AddOne(int i) => Rt.Addresses.Add(_specs[i]);

    protected override void DeleteOne(int i) => Rt.Addresses.Delete(_specs[i]);

    protected override void AfterDeleting() => MldSettle.AfterDeletingAddresses();
}
