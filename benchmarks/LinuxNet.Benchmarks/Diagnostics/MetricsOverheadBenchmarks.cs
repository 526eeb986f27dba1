using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.Benchmarks.Diagnostics;

/// <summary>
/// What <see cref="LinuxNetMetrics"/> costs on the hot paths it instruments: a TUN frame write (one counted frame and
/// its bytes) and a netlink request (<c>RTM_GETLINK</c> for <c>lo</c>: one counted request), with nobody listening and
/// with a <see cref="MeterListener"/> that takes every measurement (as dotnet-counters or OpenTelemetry would).
/// Run it on the commit before the metrics and on this one to see the "nobody listens" cost: it must be within noise,
/// and 0 B allocated either way.
/// </summary>
/// <remarks>
/// Needs root (an anonymous namespace with a TUN device). Run:
/// <c>dotnet run -c Release --project benchmarks/LinuxNet.Benchmarks -- --filter '*MetricsOverhead*'</c>.
/// </remarks>
[MemoryDiagnoser]
public class MetricsOverheadBenchmarks
{
    private NetNamespace? _ns;
    private TunDevice? _tun;
    private RtnetlinkSession? _session;
    private MeterListener? _listener;
    private long _observed;
    private byte[] _frame = [];

    /// <summary>Whether a listener takes LinuxNet's measurements.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ns = NetNamespace.CreateAnonymous();
        _tun = TunDevice.Create(new TunDeviceOptions { Name = "lnb0" }, _ns);
        _tun.BringUp([IPPrefix.Parse("198.51.100.1/24")]);
        _session = RtnetlinkSession.Open(_ns);

        // An IPv4/UDP packet from 198.51.100.2 to 203.0.113.9 (no route: the kernel counts and drops it).
        _frame = new byte[64];
        _frame[0] = 0x45;
        _frame[3] = 64;
        _frame[8] = 64;
        _frame[9] = 17;
        byte[] source = [198, 51, 100, 2];
        byte[] destination = [203, 0, 113, 9];
        source.CopyTo(_frame, 12);
        destination.CopyTo(_frame, 16);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += (_frame[i] << 8) | _frame[i + 1];
        }

        sum = (sum & 0xFFFF) + (sum >> 16);
        ushort checksum = (ushort)~sum;
        _frame[10] = (byte)(checksum >> 8);
        _frame[11] = (byte)checksum;

        if (Listening)
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == LinuxNetMetrics.MeterName)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _observed, value));
            _listener.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _session?.Dispose();
        _tun?.Dispose();
        _ns?.Dispose();
    }

    /// <summary>One frame written to the TUN queue (a <c>write()</c>; counted as one transmitted frame and its bytes).</summary>
    [Benchmark]
    public void TunWriteFrame() => _tun!.Queues[0].WriteFrame(_frame);

    /// <summary>One netlink request and its reply (<c>ip link show lo</c>; counted as one request).</summary>
    [Benchmark]
    public int NetlinkGetLink() => _session!.Links.Get("lo").Index;
}
