using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Samples.TunVpn;

namespace LinuxNet.Benchmarks.Samples;

/// <summary>
/// TCP throughput through a tunnel between two namespaces joined by a veth pair, in one run: wireguard-go (the peer
/// to beat, encrypted), the TunVpn sample (encrypted, ChaCha20-Poly1305 over UDP) and a raw TUN-to-TUN forwarder on
/// LinuxNet's frame API (no UDP, no crypto: the ceiling of a userspace tunnel), without and with offloads
/// (IFF_VNET_HDR + TUNSETOFFLOAD: the kernel hands over 64 KiB GSO super-frames, which pass through whole). Each operation sends
/// <see cref="Bytes"/> over one TCP connection; the Gbit/s column is what the receiver got per second.
/// </summary>
/// <remarks>
/// Needs root and wireguard-go + wg (Debian: <c>apt-get install wireguard-go wireguard-tools</c>).
/// Run: <c>sudo dotnet run -c Release --project benchmarks/LinuxNet.Benchmarks -- --filter '*VpnThroughput*'</c>.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class VpnThroughputBenchmarks
{
    /// <summary>Bytes sent per operation.</summary>
    public const long Bytes = 128L << 20;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private VpnLab? _lab;

    [GlobalSetup(Target = nameof(WireguardGo))]
    public void SetUpWireguard() => Build(lab => lab.StartWireguardGo());

    [GlobalSetup(Target = nameof(TunVpnSample))]
    public void SetUpVpn() => Build(lab => lab.StartVpn());

    [GlobalSetup(Target = nameof(RawTunForwarder))]
    public void SetUpForwarder() => Build(lab => lab.StartRawForwarder());

    [GlobalSetup(Target = nameof(RawTunForwarderOffloads))]
    public void SetUpForwarderOffloads() => Build(lab => lab.StartRawForwarder(offloads: true));

    [GlobalCleanup]
    public void CleanUp()
    {
        _lab?.Dispose();
        _lab = null;
    }

    [Benchmark(Baseline = true, Description = "wireguard-go")]
    public long WireguardGo() => Send();

    [Benchmark(Description = "TunVpn sample (LinuxNet, encrypted)")]
    public long TunVpnSample() => Send();

    [Benchmark(Description = "raw TUN forwarder (LinuxNet, no crypto)")]
    public long RawTunForwarder() => Send();

    [Benchmark(Description = "raw TUN forwarder, virtio-net header + TSO (GSO super-frames passed whole)")]
    public long RawTunForwarderOffloads() => Send();

    private void Build(Action<VpnLab> start)
    {
        _lab = VpnLab.CreateUnderlay();
        try
        {
            start(_lab);
            Send(); // warm the path (ARP, TCP window)
        }
        catch
        {
            CleanUp();
            throw;
        }
    }

    private long Send()
    {
        (long received, TimeSpan _) = _lab!.Transfer(Bytes, Limit);
        if (received != Bytes)
        {
            throw new InvalidOperationException($"only {received} of {Bytes} bytes arrived");
        }

        return received;
    }

    private sealed class Config : InProcessMonitoringConfig
    {
        public Config() => AddColumn(new TunnelThroughputColumn(Bytes, "Gbps"));
    }
}
