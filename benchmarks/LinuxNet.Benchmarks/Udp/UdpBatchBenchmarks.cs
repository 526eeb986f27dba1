using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Udp;

namespace LinuxNet.Benchmarks.Udp;

/// <summary>
/// UDP between two namespaces over veth, 1,400-byte datagrams. One operation = one datagram. Send side: 64 KiB runs
/// sent as 1,400-byte GSO segments (<see cref="UdpBatchSocket"/>, 8 runs per <c>sendmmsg</c>) against one
/// <see cref="Socket.SendTo(byte[], EndPoint)"/> per datagram. Receive side: <c>UDP_GRO</c> + <c>recvmmsg</c>
/// against one <see cref="Socket.ReceiveFrom(byte[], ref EndPoint)"/> per datagram, both fed by the same GSO sender
/// in windows the receive buffer holds, so nothing is dropped. The cleanup prints datagrams/s and the ratios of one run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessMonitoringConfig))]
public class UdpBatchBenchmarks
{
    private const int DatagramSize = 1400;
    private const int SegmentsPerRun = 46; // 46 x 1,400 = 64,400 bytes, under the 65,507-byte limit
    private const int RunsPerBatch = 8;
    private const int Datagrams = SegmentsPerRun * RunsPerBatch * 128; // 47,104 per invocation
    private const int Window = SegmentsPerRun * RunsPerBatch * 4;
    private static readonly Dictionary<string, (long Datagrams, double Seconds)> s_results = [];
    private static readonly IPEndPoint Target = new(IPAddress.Parse("198.51.100.2"), 9000);

    private NetNamespace _a = null!;
    private NetNamespace _b = null!;
    private Socket? _plainSender;
    private Socket? _plainReceiver;
    private UdpBatchSocket? _batchSender;
    private UdpBatchSocket? _batchReceiver;
    private UdpBatch _sendBatch = null!;
    private UdpBatch _receiveBatch = null!;
    private readonly byte[] _datagram = new byte[DatagramSize];
    private readonly byte[] _receiveBuffer = new byte[65536];
    private EndPoint _from = new IPEndPoint(IPAddress.Any, 0);
    private Thread? _helper;
    private SemaphoreSlim _credits = null!;
    private volatile bool _stopping;
    private string _case = string.Empty;

    [GlobalSetup(Target = nameof(SocketSendTo))]
    public void SetupSendTo() => Setup(nameof(SocketSendTo), plainSender: true, drain: true);

    [GlobalSetup(Target = nameof(GsoSend))]
    public void SetupGsoSend() => Setup(nameof(GsoSend), plainSender: false, drain: true);

    [GlobalSetup(Target = nameof(SocketReceiveFrom))]
    public void SetupReceiveFrom() => Setup(nameof(SocketReceiveFrom), plainSender: false, drain: false, plainReceiver: true);

    [GlobalSetup(Target = nameof(GroReceive))]
    public void SetupGroReceive() => Setup(nameof(GroReceive), plainSender: false, drain: false);

    [Benchmark(Baseline = true, OperationsPerInvoke = Datagrams)]
    public void SocketSendTo()
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Datagrams; i++)
        {
            _plainSender!.SendTo(_datagram, Target);
        }

        Record(Datagrams, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    [Benchmark(OperationsPerInvoke = Datagrams)]
    public void GsoSend()
    {
        long start = Stopwatch.GetTimestamp();
        for (int sent = 0; sent < Datagrams;)
        {
            sent += _batchSender!.Send(_sendBatch);
        }

        Record(Datagrams, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    [Benchmark(OperationsPerInvoke = Datagrams)]
    public void SocketReceiveFrom()
    {
        long start = Stopwatch.GetTimestamp();
        var credit = new Credit(_credits);
        for (int i = 0; i < Datagrams; i++)
        {
            _plainReceiver!.ReceiveFrom(_receiveBuffer, ref _from);
            credit.Received(i + 1);
        }

        Record(Datagrams, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    [Benchmark(OperationsPerInvoke = Datagrams)]
    public void GroReceive()
    {
        long start = Stopwatch.GetTimestamp();
        var credit = new Credit(_credits);
        for (int received = 0; received < Datagrams;)
        {
            int n = _batchReceiver!.Receive(_receiveBatch);
            for (int i = 0; i < n; i++)
            {
                received += _receiveBatch.GetSegmentCount(i);
            }

            credit.Received(received);
        }

        Record(Datagrams, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _credits?.Release(1000);
        _batchReceiver?.Dispose();
        _plainReceiver?.Dispose();
        _helper?.Join(5000);
        _batchSender?.Dispose();
        _plainSender?.Dispose();
        _sendBatch.Dispose();
        _receiveBatch.Dispose();
        _b.Dispose();
        _a.Dispose();
        lock (s_results)
        {
            Console.WriteLine("// UDP batch summary (all invocations so far, warmup included)");
            foreach ((string name, var r) in s_results.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"//   {name,-18} {r.Datagrams / r.Seconds,12:N0} datagrams/s  {r.Datagrams / r.Seconds * DatagramSize * 8 / 1e9,6:F2} Gbit/s");
            }

            Ratio("GsoSend", "SocketSendTo");
            Ratio("GroReceive", "SocketReceiveFrom");
        }
    }

    private static void Ratio(string subject, string peer)
    {
        if (s_results.TryGetValue(subject, out var s) && s_results.TryGetValue(peer, out var p))
        {
            Console.WriteLine($"//   ratio {subject}/{peer}: datagrams/s {s.Datagrams / s.Seconds / (p.Datagrams / p.Seconds):F2}x");
        }
    }

    private void Setup(string name, bool plainSender, bool drain, bool plainReceiver = false)
    {
        _case = name;
        _a = NetNamespace.CreateAnonymous();
        _b = NetNamespace.CreateAnonymous();
        NativePeer.Run(_a, "ip", "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", _b.Path);
        foreach ((NetNamespace ns, string dev, string address) in new[] { (_a, "va", "198.51.100.1/24"), (_b, "vb", "198.51.100.2/24") })
        {
            NativePeer.Run(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            NativePeer.Run(ns, "ip", "addr", "add", address, "dev", dev);
            NativePeer.Run(ns, "ip", "link", "set", dev, "up");
        }

        _sendBatch = new UdpBatch(RunsPerBatch);
        byte[] run = new byte[SegmentsPerRun * DatagramSize];
        for (int i = 0; i < RunsPerBatch; i++)
        {
            _sendBatch.Add(run, Target, DatagramSize);
        }

        _receiveBatch = new UdpBatch(16);
        var receiveOptions = new UdpBatchSocketOptions { ReceiveOffload = true, ReceiveBufferSize = 16 << 20 };
        if (plainReceiver)
        {
            _plainReceiver = _b.Run(() =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(16 << 20));
                s.Bind(Target);
                return s;
            });
        }
        else
        {
            _batchReceiver = UdpBatchSocket.Bind(Target, _b, receiveOptions);
        }

        if (plainSender)
        {
            _plainSender = _a.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        }
        else
        {
            _batchSender = UdpBatchSocket.Bind(new IPEndPoint(IPAddress.Parse("198.51.100.1"), 0), _a, new UdpBatchSocketOptions { SendBufferSize = 4 << 20 });
        }

        _credits = new SemaphoreSlim(0);
        _helper = drain
            ? new Thread(Drain) { IsBackground = true, Name = "bench udp drain" }
            : new Thread(Feed) { IsBackground = true, Name = "bench udp feed" };
        _helper.Start();
    }

    /// <summary>For the send benchmarks: empties the receiver so the path stays the same for both senders.</summary>
    private void Drain()
    {
        using var batch = new UdpBatch(16);
        try
        {
            while (!_stopping)
            {
                _batchReceiver!.Receive(batch);
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>For the receive benchmarks: one window of GSO runs per credit the receiver hands out.</summary>
    private void Feed()
    {
        try
        {
            while (true)
            {
                _credits.Wait();
                if (_stopping)
                {
                    return;
                }

                for (int sent = 0; sent < Window;)
                {
                    sent += _batchSender!.Send(_sendBatch);
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Flow control: two windows in flight (well under the 16 MiB receive buffer), one more per window received.</summary>
    private struct Credit
    {
        private readonly SemaphoreSlim _credits;
        private int _granted;

        public Credit(SemaphoreSlim credits)
        {
            _credits = credits;
            _granted = 2;
            credits.Release(2);
        }

        public void Received(int received)
        {
            if (received >= (_granted - 1) * Window && _granted < Datagrams / Window)
            {
                _granted++;
                _credits.Release();
            }
        }
    }

    private void Record(long datagrams, double seconds)
    {
        lock (s_results)
        {
            s_results.TryGetValue(_case, out var total);
            s_results[_case] = (total.Datagrams + datagrams, total.Seconds + seconds);
        }
    }
}
