using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Tun;

namespace LinuxNet.Benchmarks.Tun;

/// <summary>
/// An offloaded TUN-to-TUN forwarder between two namespaces (<c>IFF_VNET_HDR</c>, <c>TUNSETOFFLOAD</c> CSUM | TSO4 |
/// TSO6), carrying TCP streams from namespace A to B (what iperf3 measures, with .NET sockets as both ends). One
/// operation = 64 KiB of stream payload delivered. Compared in the same run:
/// <list type="bullet">
/// <item>C pass-through (benchmarks/native/tun_offload_forward.c: blocking read/write, super-frames passed whole, one thread per queue and direction) — the baseline;</item>
/// <item>LinuxNet pass-through: <see cref="TunQueue.ReadFrame(Span{byte})"/>/<see cref="TunQueue.WriteFrame(ReadOnlySpan{byte})"/> with the virtio-net header, one thread per direction;</item>
/// <item>LinuxNet split + coalesce: <see cref="TunQueue.ReadPackets"/> cuts every super-frame into MTU-sized packets
/// (what a VPN must do to seal packet by packet), <see cref="TunQueue.WritePackets"/> coalesces them again;</item>
/// <item>the same with 2-queue devices (C and LinuxNet pass-through, split + coalesce), one thread per queue and direction, and four TCP flows.</item>
/// </list>
/// The cleanup prints Gbit/s, forwarder CPU per super-frame read (from /proc/.../schedstat of the forwarder threads),
/// context switches per super-frame, and the ratios of one run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessMonitoringConfig))]
public class TunOffloadForwarderBenchmarks
{
    private const int BytesPerInvocation = 256 << 20;
    private const int OperationsPerInvocation = BytesPerInvocation / 65536;
    private const int Headroom = 16;
    private static readonly Dictionary<string, Totals> s_results = [];

    private readonly List<Thread> _forwarders = [];
    private readonly List<int> _forwarderTids = [];
    private readonly List<Socket> _sockets = [];
    private readonly List<Thread> _traffic = [];
    private NetNamespace _nsA = null!;
    private NetNamespace _nsB = null!;
    private TunDevice? _tunA;
    private TunDevice? _tunB;
    private Process? _c;
    private ThreadCounters? _counters;
    private string? _cBinary;
    private SemaphoreSlim _go = null!;
    private CountdownEvent _done = null!;
    private volatile bool _stopping;
    private long _framesForward;
    private int _flows;
    private string _case = string.Empty;

    private sealed class Totals
    {
        public long Bytes;
        public double Seconds;
        public double Cpu;
        public long Frames;
        public long Voluntary;
        public long Involuntary;
        public long Migrations;
    }

    [GlobalSetup(Target = nameof(CPassThrough))]
    public void SetupC() => SetupCPeer(nameof(CPassThrough), queues: 1);

    [GlobalSetup(Target = nameof(CPassThroughTwoQueues))]
    public void SetupCTwoQueues() => SetupCPeer(nameof(CPassThroughTwoQueues), queues: 2);

    [GlobalSetup(Target = nameof(PassThrough))]
    public void SetupPassThrough() => SetupManaged(nameof(PassThrough), queues: 1, split: false);

    [GlobalSetup(Target = nameof(PassThroughTwoQueues))]
    public void SetupPassThroughTwoQueues() => SetupManaged(nameof(PassThroughTwoQueues), queues: 2, split: false);

    [GlobalSetup(Target = nameof(SplitCoalesce))]
    public void SetupSplitCoalesce() => SetupManaged(nameof(SplitCoalesce), queues: 1, split: true);

    [GlobalSetup(Target = nameof(SplitCoalesceTwoQueues))]
    public void SetupSplitCoalesceTwoQueues() => SetupManaged(nameof(SplitCoalesceTwoQueues), queues: 2, split: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = OperationsPerInvocation)]
    public void CPassThrough() => Measure();

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void CPassThroughTwoQueues() => Measure();

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void PassThrough() => Measure();

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void PassThroughTwoQueues() => Measure();

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void SplitCoalesce() => Measure();

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void SplitCoalesceTwoQueues() => Measure();

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        foreach (Socket s in _sockets)
        {
            s.Dispose();
        }

        _go?.Release(_flows);
        if (_c is not null)
        {
            _c.StandardInput.Close();
            _c.Kill();
            _c.WaitForExit(5000);
            _c.Dispose();
            File.Delete(_cBinary!);
        }

        _counters?.Dispose();
        _tunA?.Dispose();
        _tunB?.Dispose();
        foreach (Thread t in _forwarders.Concat(_traffic))
        {
            t.Join(5000);
        }

        _nsA.Dispose();
        _nsB.Dispose();
        PrintSummary();
    }

    private void Measure()
    {
        Sample before = TakeSample();
        long start = Stopwatch.GetTimestamp();
        _done.Reset(_flows);
        _go.Release(_flows);
        if (!_done.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("the TCP streams did not finish within 60 s");
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Sample after = TakeSample();
        lock (s_results)
        {
            if (!s_results.TryGetValue(_case, out Totals? t))
            {
                s_results[_case] = t = new Totals();
            }

            t.Bytes += BytesPerInvocation;
            t.Seconds += seconds;
            t.Cpu += after.Cpu - before.Cpu;
            t.Frames += after.Frames - before.Frames;
            t.Voluntary += after.Voluntary - before.Voluntary;
            t.Involuntary += after.Involuntary - before.Involuntary;
            t.Migrations += after.Migrations - before.Migrations;
        }
    }

    private readonly record struct Sample(double Cpu, long Frames, long Voluntary, long Involuntary, long Migrations);

    /// <summary>Forwarder CPU seconds and scheduler counters (all forwarder threads), and super-frames read A→B.</summary>
    private Sample TakeSample()
    {
        if (_counters is null)
        {
            int pid = _c?.Id ?? Environment.ProcessId;
            lock (_forwarderTids)
            {
                _counters = new ThreadCounters(pid, _c is null ? [.. _forwarderTids] : NativePeer.Threads(pid).Where(t => t != pid));
            }
        }

        (double cpu, long voluntary, long involuntary, long migrations) = _counters.Read();
        long frames;
        if (_c is not null)
        {
            _c.StandardInput.WriteLine("stats");
            _c.StandardInput.Flush();
            string line = _c.StandardOutput.ReadLine() ?? throw new InvalidOperationException("tun_offload_forward exited");
            frames = long.Parse(line.AsSpan(7, line.IndexOf(' ', 7) - 7), System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            frames = Interlocked.Read(ref _framesForward);
        }

        return new Sample(cpu, frames, voluntary, involuntary, migrations);
    }

    private void SetupNamespaces(string name, int queues)
    {
        _case = name;

        // Flows stick to the queue that first carried them (the TUN driver's flow table); with two flows per queue
        // the chance that all of them share one queue is 1 in 8 rather than 1 in 2.
        _flows = queues == 1 ? 1 : 2 * queues;
        _nsA = NetNamespace.CreateAnonymous();
        _nsB = NetNamespace.CreateAnonymous();
        foreach (NetNamespace ns in new[] { _nsA, _nsB })
        {
            NativePeer.Run(ns, "ip", "link", "set", "lo", "up");
            NativePeer.Run(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        }

        TunDeviceOptions Options(string device) => new()
        {
            Name = device,
            VirtioNetHeader = true,
            Offloads = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6,
            QueueCount = queues,
            MultiQueue = queues > 1,
            Persistent = true,
        };
        _tunA = TunDevice.Create(Options("bta"), _nsA);
        _tunB = TunDevice.Create(Options("btb"), _nsB);
        NativePeer.Run(_nsA, "ip", "addr", "add", "198.51.100.1/24", "dev", "bta");
        NativePeer.Run(_nsA, "ip", "link", "set", "bta", "up");
        NativePeer.Run(_nsA, "ip", "route", "add", "203.0.113.0/24", "dev", "bta");
        NativePeer.Run(_nsB, "ip", "addr", "add", "203.0.113.1/24", "dev", "btb");
        NativePeer.Run(_nsB, "ip", "link", "set", "btb", "up");
        NativePeer.Run(_nsB, "ip", "route", "add", "198.51.100.0/24", "dev", "btb");
    }

    private void SetupCPeer(string name, int queues)
    {
        SetupNamespaces(name, queues);
        _cBinary = NativePeer.Build("tun_offload_forward.c", "-pthread");

        // The devices are persistent: close LinuxNet's descriptors so that the C program can attach to both.
        _tunA!.Dispose();
        _tunB!.Dispose();
        _tunA = _tunB = null;
        var psi = new ProcessStartInfo(_cBinary) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "bta", _nsB.Path, "btb", queues.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(arg);
        }

        _c = _nsA.StartProcess(psi);
        string? ready = _c.StandardOutput.ReadLine();
        if (ready != "ready")
        {
            throw new InvalidOperationException($"tun_offload_forward did not start: {ready}");
        }

        StartTraffic();
    }

    private void SetupManaged(string name, int queues, bool split)
    {
        SetupNamespaces(name, queues);
        for (int q = 0; q < queues; q++)
        {
            StartForwarder(_tunA!.Queues[q], _tunB!.Queues[q], split, countFrames: true);
            StartForwarder(_tunB!.Queues[q], _tunA!.Queues[q], split, countFrames: false);
        }

        StartTraffic();
    }

    private void StartForwarder(TunQueue from, TunQueue to, bool split, bool countFrames)
    {
        var thread = new Thread(() =>
        {
            lock (_forwarderTids)
            {
                _forwarderTids.Add(NativePeer.GetTid());
            }

            try
            {
                if (split)
                {
                    Split(from, to, countFrames);
                }
                else
                {
                    PassThroughLoop(from, to, countFrames);
                }
            }
            catch (ObjectDisposedException)
            {
            }
        })
        { IsBackground = true, Name = "bench forwarder" };
        _forwarders.Add(thread);
        thread.Start();
    }

    private void PassThroughLoop(TunQueue from, TunQueue to, bool countFrames)
    {
        byte[] frame = new byte[from.Device.MaxFrameSize];
        while (!_stopping)
        {
            int n = from.ReadFrame(frame);
            to.WriteFrame(frame.AsSpan(0, n));
            if (countFrames)
            {
                Interlocked.Increment(ref _framesForward);
            }
        }
    }

    private void Split(TunQueue from, TunQueue to, bool countFrames)
    {
        var buffers = new Memory<byte>[64];
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new byte[Headroom + 1500];
        }

        int[] sizes = new int[buffers.Length];
        while (!_stopping)
        {
            int n = from.ReadPackets(buffers, sizes, Headroom);
            to.WritePackets(buffers.AsSpan(0, n), sizes.AsSpan(0, n), Headroom);
            if (countFrames)
            {
                Interlocked.Increment(ref _framesForward); // a read hands out one super-frame's packets (all of them: 64 buffers hold 64 KiB at MTU 1500)
            }
        }
    }

    /// <summary>One TCP connection per flow, A → B through the forwarder, and a sender and a receiver thread for each.</summary>
    private void StartTraffic()
    {
        _go = new SemaphoreSlim(0);
        _done = new CountdownEvent(_flows);
        for (int f = 0; f < _flows; f++)
        {
            int port = 5201 + f;
            Socket listener = _nsB.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            listener.Bind(new IPEndPoint(IPAddress.Parse("203.0.113.1"), port));
            listener.Listen(1);
            Socket client = _nsA.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            client.Connect(new IPEndPoint(IPAddress.Parse("203.0.113.1"), port));
            Socket server = listener.Accept();
            listener.Dispose();
            _sockets.Add(client);
            _sockets.Add(server);
            int share = BytesPerInvocation / _flows;
            var sender = new Thread(() => SendLoop(client, share)) { IsBackground = true, Name = "bench tcp sender" };
            var receiver = new Thread(() => ReceiveLoop(server, share)) { IsBackground = true, Name = "bench tcp receiver" };
            _traffic.Add(sender);
            _traffic.Add(receiver);
            sender.Start();
            receiver.Start();
        }
    }

    private void SendLoop(Socket socket, int bytes)
    {
        byte[] chunk = new byte[65536];
        try
        {
            while (true)
            {
                _go.Wait();
                if (_stopping)
                {
                    return;
                }

                for (int sent = 0; sent < bytes;)
                {
                    sent += socket.Send(chunk, 0, Math.Min(chunk.Length, bytes - sent), SocketFlags.None);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void ReceiveLoop(Socket socket, int bytes)
    {
        byte[] buffer = new byte[1 << 20];
        long received = 0;
        try
        {
            while (!_stopping)
            {
                int n = socket.Receive(buffer);
                if (n == 0)
                {
                    return;
                }

                received += n;
                if (received >= bytes)
                {
                    received -= bytes;
                    _done.Signal();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static void PrintSummary()
    {
        lock (s_results)
        {
            Console.WriteLine("// Offloaded TUN forwarder summary (all invocations so far, warmup included)");
            foreach ((string name, Totals t) in s_results.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"//   {name,-24} {t.Bytes * 8 / t.Seconds / 1e9,7:F2} Gbit/s  {t.Cpu / t.Frames * 1e6,6:F2} us CPU/super-frame  {t.Bytes / (double)t.Frames / 1024,5:F1} KiB/super-frame  {t.Voluntary / (double)t.Frames,5:F2} voluntary + {t.Involuntary / (double)t.Frames,5:F2} involuntary switches and {t.Migrations / (double)t.Frames,5:F2} CPU migrations per super-frame");
            }

            Ratio("PassThrough", "CPassThrough", cpu: true);
            Ratio("SplitCoalesce", "PassThrough", cpu: true);
            Ratio("SplitCoalesce", "CPassThrough", cpu: false);
            Ratio("PassThroughTwoQueues", "CPassThroughTwoQueues", cpu: true);
            Ratio("PassThroughTwoQueues", "PassThrough", cpu: false);
            Ratio("SplitCoalesceTwoQueues", "SplitCoalesce", cpu: false);
            Ratio("CPassThroughTwoQueues", "CPassThrough", cpu: false);
        }
    }

    private static void Ratio(string subject, string peer, bool cpu)
    {
        if (s_results.TryGetValue(subject, out Totals? s) && s_results.TryGetValue(peer, out Totals? p))
        {
            double gbit = s.Bytes / s.Seconds / (p.Bytes / p.Seconds);
            string cpuText = cpu ? $", CPU/super-frame {s.Cpu / s.Frames / (p.Cpu / p.Frames):F2}x" : string.Empty;
            Console.WriteLine($"//   ratio {subject}/{peer}: Gbit/s {gbit:F2}x{cpuText}");
        }
    }
}
