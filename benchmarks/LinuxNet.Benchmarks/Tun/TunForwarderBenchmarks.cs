using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Tun;

namespace LinuxNet.Benchmarks.Tun;

/// <summary>
/// A TUN-to-TUN forwarder between two namespaces. A UDP sender in namespace A sends into tunA (a bounded count per
/// invocation, at most <see cref="Window"/> datagrams ahead of the receiver, so nothing is dropped), the forwarder
/// moves every frame from tunA to tunB, and a UDP receiver in namespace B counts them. One operation = one frame
/// forwarded. Compared: LinuxNet's frame API (sync ReadFrame/WriteFrame on one thread, and the async twins in one
/// async loop), LinuxNet's pipe
/// (AsPipe on both devices, frames copied from A's input to B's output; once with the default thread-pool scheduling
/// and once with PipeScheduler.Inline, where the loop runs on the pumps' thread), and a C forwarder with blocking
/// read/write (benchmarks/native/tun_forward.c, the baseline). Runs in-process so that the cleanup can print
/// frames/s, Gbit/s of payload, CPU time per frame and the LinuxNet/C ratios of one run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessMonitoringConfig))]
public class TunForwarderBenchmarks
{
    private const int FramesPerInvocation = 40_000;
    private const int Window = 128;
    private static readonly Dictionary<string, (long Frames, double Seconds, double CpuSeconds)> s_results = [];

    private NetNamespace _nsA = null!;
    private NetNamespace _nsB = null!;
    private TunDevice? _tunA;
    private TunDevice? _tunB;
    private IDuplexPipe? _pipeA;
    private IDuplexPipe? _pipeB;
    private Process? _cForwarder;
    private string? _cBinary;
    private Socket _sender = null!;
    private Socket[] _flowSenders = [];
    private Thread[] _queueForwarders = [];
    private SemaphoreSlim _queueGo = null!;
    private CountdownEvent _queueDone = null!;
    private CancellationTokenSource? _queueStop;
    private double[] _queueCpu = [];
    private Socket _receiver = null!;
    private Thread _senderThread = null!;
    private Thread _receiverThread = null!;
    private readonly SemaphoreSlim _window = new(Window);
    private readonly SemaphoreSlim _startSending = new(0);
    private readonly ManualResetEventSlim _allReceived = new();
    private readonly byte[] _frame = new byte[70_000];
    private volatile bool _stopping;
    private int _target;
    private int _received;
    private double _senderCpu;
    private double _receiverCpuMark;
    private double _receiverCpuAtTarget;
    private string _case = string.Empty;

    [Params(64, 1400)]
    public int PayloadSize { get; set; }

    [GlobalSetup(Target = nameof(FrameApi))]
    public void SetupFrameApi() => Setup(nameof(FrameApi));

    [GlobalSetup(Target = nameof(FrameApiAsync))]
    public void SetupFrameApiAsync() => Setup(nameof(FrameApiAsync));

    /// <summary>A 2-queue device on both sides, one <see cref="FrameApi"/> thread per queue, four UDP flows spread over the queues.</summary>
    [GlobalSetup(Target = nameof(FrameApiTwoQueues))]
    public void SetupFrameApiTwoQueues()
    {
        Setup(nameof(FrameApiTwoQueues), queues: 2);
        _queueGo = new SemaphoreSlim(0);
        _queueDone = new CountdownEvent(2);
        _queueCpu = new double[2];
        _queueForwarders = new Thread[2];
        for (int q = 0; q < 2; q++)
        {
            int queue = q;
            _queueForwarders[q] = new Thread(() => QueueForwarder(queue)) { IsBackground = true, Name = "bench queue forwarder" };
            _queueForwarders[q].Start();
        }
    }

    [GlobalSetup(Target = nameof(Pipe))]
    public void SetupPipe()
    {
        Setup(nameof(Pipe));
        _pipeA = _tunA!.AsPipe();
        _pipeB = _tunB!.AsPipe();
    }

    [GlobalSetup(Target = nameof(PipeInline))]
    public void SetupPipeInline()
    {
        Setup(nameof(PipeInline));
        var inline = new TunPipeOptions { ApplicationScheduler = PipeScheduler.Inline };
        _pipeA = _tunA!.AsPipe(inline);
        _pipeB = _tunB!.AsPipe(inline);
    }

    [GlobalSetup(Target = nameof(CForwarder))]
    public void SetupC()
    {
        Setup(nameof(CForwarder));
        string binary = _cBinary = BuildC();

        // The devices are persistent: close LinuxNet's descriptors so that the C program can attach to both.
        _tunA!.Dispose();
        _tunB!.Dispose();
        _tunA = _tunB = null;
        var psi = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("bta");
        psi.ArgumentList.Add(_nsB.Path);
        psi.ArgumentList.Add("btb");
        _cForwarder = _nsA.StartProcess(psi);
        string? ready = _cForwarder.StandardOutput.ReadLine();
        if (ready != "ready")
        {
            throw new InvalidOperationException($"tun_forward did not start: {ready}");
        }
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvocation)]
    public void FrameApi()
    {
        double cpu = ThreadCpu();
        long start = Stopwatch.GetTimestamp();
        StartBatch();
        TunQueue a = _tunA!.Queues[0];
        TunQueue b = _tunB!.Queues[0];
        Span<byte> buffer = _frame;
        for (int i = 0; i < FramesPerInvocation; i++)
        {
            int n = a.ReadFrame(buffer);
            b.WriteFrame(buffer[..n]);
        }

        cpu = ThreadCpu() - cpu;
        WaitBatch();
        Record(Stopwatch.GetElapsedTime(start).TotalSeconds, cpu);
    }

    /// <summary>The frame API on a 2-queue device, one forwarding thread per queue (both run until every datagram has arrived).</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvocation)]
    public void FrameApiTwoQueues()
    {
        long start = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource();
        _queueStop = stop;
        _queueDone.Reset(2);
        StartBatch();
        _queueGo.Release(2);
        WaitBatch();
        stop.Cancel();
        _queueDone.Wait();
        Record(Stopwatch.GetElapsedTime(start).TotalSeconds, _queueCpu[0] + _queueCpu[1]);
    }

    private void QueueForwarder(int queue)
    {
        byte[] frame = new byte[70_000];
        while (true)
        {
            _queueGo.Wait();
            if (_stopping)
            {
                return;
            }

            double cpu = ThreadCpu();
            TunQueue a = _tunA!.Queues[queue];
            TunQueue b = _tunB!.Queues[queue];
            try
            {
                while (true)
                {
                    int n = a.ReadFrame(frame, _queueStop!.Token);
                    b.WriteFrame(frame.AsSpan(0, n));
                }
            }
            catch (OperationCanceledException)
            {
            }

            _queueCpu[queue] = ThreadCpu() - cpu;
            _queueDone.Signal();
        }
    }

    /// <summary>The frame API's async twins: a frame already queued completes synchronously, a wait goes to the epoll loop.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvocation)]
    public async Task FrameApiAsync()
    {
        double cpu = ProcessCpu();
        long start = Stopwatch.GetTimestamp();
        double receiverMark = _receiverCpuMark;
        StartBatch();
        TunQueue a = _tunA!.Queues[0];
        TunQueue b = _tunB!.Queues[0];
        Memory<byte> buffer = _frame;
        for (int i = 0; i < FramesPerInvocation; i++)
        {
            int n = await a.ReadFrameAsync(buffer);
            await b.WriteFrameAsync(buffer[..n]);
        }

        WaitBatch();
        cpu = ProcessCpu() - cpu - _senderCpu - (_receiverCpuAtTarget - receiverMark);
        Record(Stopwatch.GetElapsedTime(start).TotalSeconds, cpu);
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvocation)]
    public Task Pipe() => ForwardPipeAsync();

    /// <summary>The pipe with <see cref="PipeScheduler.Inline"/>: the forwarding loop runs on the pumps' threads, no hop.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvocation)]
    public Task PipeInline() => ForwardPipeAsync();

    private async Task ForwardPipeAsync()
    {
        double cpu = ProcessCpu();
        long start = Stopwatch.GetTimestamp();
        double receiverMark = _receiverCpuMark;
        StartBatch();
        PipeReader input = _pipeA!.Input;
        PipeWriter output = _pipeB!.Output;
        int done = 0;
        while (done < FramesPerInvocation)
        {
            ReadResult result = await input.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (done < FramesPerInvocation && TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> frame))
            {
                int length = (int)frame.Length;
                Span<byte> span = output.GetSpan(TunFrame.PrefixLength + length);
                TunFrame.WritePrefix(span, length);
                frame.CopyTo(span[TunFrame.PrefixLength..]);
                output.Advance(TunFrame.PrefixLength + length);
                done++;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            await output.FlushAsync();
        }

        WaitBatch();

        // Everything this process spent, minus the sender's and the receiver's threads: the pumps, the poller, the loop.
        cpu = ProcessCpu() - cpu - _senderCpu - (_receiverCpuAtTarget - receiverMark);
        Record(Stopwatch.GetElapsedTime(start).TotalSeconds, cpu);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvocation)]
    public void CForwarder()
    {
        long start = Stopwatch.GetTimestamp();
        StartBatch();
        _cForwarder!.StandardInput.WriteLine(FramesPerInvocation);
        _cForwarder.StandardInput.Flush();
        string line = _cForwarder.StandardOutput.ReadLine() ?? throw new InvalidOperationException("tun_forward exited");
        WaitBatch();
        Record(Stopwatch.GetElapsedTime(start).TotalSeconds, long.Parse(line.AsSpan(5)) / 1e6);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _startSending.Release();
        _queueGo?.Release(2);
        if (_cForwarder is not null)
        {
            _cForwarder.StandardInput.Close();
            if (!_cForwarder.WaitForExit(5000))
            {
                _cForwarder.Kill();
            }

            _cForwarder.Dispose();
            File.Delete(_cBinary!);
        }

        _sender.Dispose();
        foreach (Socket s in _flowSenders)
        {
            s.Dispose();
        }

        _receiver.Dispose();
        _senderThread.Join(5000);
        _receiverThread.Join(5000);
        _tunA?.Dispose();
        _tunB?.Dispose();
        _nsA.Dispose(); // deletes the persistent devices with the namespaces
        _nsB.Dispose();
        PrintSummary();
    }

    private void Setup(string benchmark, int queues = 1)
    {
        _case = $"{benchmark}/{PayloadSize}";
        _nsA = NetNamespace.CreateAnonymous();
        _nsB = NetNamespace.CreateAnonymous();
        foreach (NetNamespace ns in new[] { _nsA, _nsB })
        {
            Ip(ns, "link", "set", "lo", "up");
            Run(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        }

        _tunA = TunDevice.Create(new TunDeviceOptions { Name = "bta", Persistent = true, QueueCount = queues }, _nsA);
        _tunB = TunDevice.Create(new TunDeviceOptions { Name = "btb", Persistent = true, QueueCount = queues }, _nsB);
        Ip(_nsA, "addr", "add", "198.51.100.1/24", "dev", "bta");
        Ip(_nsA, "link", "set", "bta", "up");
        Ip(_nsA, "route", "add", "203.0.113.0/24", "dev", "bta");
        Ip(_nsB, "addr", "add", "203.0.113.1/24", "dev", "btb");
        Ip(_nsB, "link", "set", "btb", "up");
        Ip(_nsB, "route", "add", "198.51.100.0/24", "dev", "btb");

        _receiver = _nsB.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(8 << 20));
            s.Bind(new IPEndPoint(IPAddress.Parse("203.0.113.1"), 9000));
            return s;
        });
        _sender = _nsA.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Connect(new IPEndPoint(IPAddress.Parse("203.0.113.1"), 9000));
            return s;
        });
        if (queues > 1)
        {
            // Four flows (source ports): the TUN driver steers each flow to one queue by its hash.
            _flowSenders = [.. Enumerable.Range(0, 4).Select(_ => _nsA.Run(() =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Connect(new IPEndPoint(IPAddress.Parse("203.0.113.1"), 9000));
                return s;
            }))];
        }

        _senderThread = new Thread(SendLoop) { IsBackground = true, Name = "bench sender" };
        _receiverThread = new Thread(ReceiveLoop) { IsBackground = true, Name = "bench receiver" };
        _senderThread.Start();
        _receiverThread.Start();
    }

    private void StartBatch()
    {
        _allReceived.Reset();
        Volatile.Write(ref _received, 0);
        Volatile.Write(ref _target, FramesPerInvocation);
        _startSending.Release();
    }

    private void WaitBatch()
    {
        if (!_allReceived.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"the receiver got {_received} of {FramesPerInvocation} datagrams");
        }
    }

    private void SendLoop()
    {
        byte[] payload = new byte[PayloadSize];
        while (true)
        {
            _startSending.Wait();
            if (_stopping)
            {
                return;
            }

            double cpu = ThreadCpu();
            int target = Volatile.Read(ref _target);
            try
            {
                for (int i = 0; i < target; i++)
                {
                    _window.Wait();
                    (_flowSenders.Length == 0 ? _sender : _flowSenders[i & 3]).Send(payload);
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _senderCpu = ThreadCpu() - cpu;
        }
    }

    private void ReceiveLoop()
    {
        byte[] buffer = new byte[2048];
        try
        {
            while (!_stopping)
            {
                _receiver.Receive(buffer);
                _window.Release();
                if (Interlocked.Increment(ref _received) == Volatile.Read(ref _target))
                {
                    _receiverCpuAtTarget = ThreadCpu();
                    _receiverCpuMark = _receiverCpuAtTarget;
                    _allReceived.Set();
                }
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Record(double seconds, double cpuSeconds)
    {
        lock (s_results)
        {
            s_results.TryGetValue(_case, out var total);
            s_results[_case] = (total.Frames + FramesPerInvocation, total.Seconds + seconds, total.CpuSeconds + cpuSeconds);
        }
    }

    private static void PrintSummary()
    {
        lock (s_results)
        {
            Console.WriteLine("// TUN forwarder summary (all invocations so far, warmup included)");
            foreach ((string name, var r) in s_results.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                int payload = int.Parse(name[(name.IndexOf('/') + 1)..]);
                double fps = r.Frames / r.Seconds;
                Console.WriteLine($"//   {name,-16} {fps,12:N0} frames/s  {fps * payload * 8 / 1e9,6:F3} Gbit/s payload  {r.CpuSeconds / r.Frames * 1e6,6:F2} us CPU/frame");
            }

            foreach (int payload in new[] { 64, 1400 })
            {
                if (s_results.TryGetValue($"FrameApiTwoQueues/{payload}", out var two) && s_results.TryGetValue($"FrameApi/{payload}", out var one))
                {
                    Console.WriteLine($"//   ratio FrameApiTwoQueues/FrameApi, {payload} B: frames/s {two.Frames / two.Seconds / (one.Frames / one.Seconds):F2}x, CPU/frame {two.CpuSeconds / two.Frames / (one.CpuSeconds / one.Frames):F2}x");
                }

                if (!s_results.TryGetValue($"CForwarder/{payload}", out var c))
                {
                    continue;
                }

                foreach (string api in new[] { "FrameApi", "FrameApiTwoQueues", "FrameApiAsync", "Pipe", "PipeInline" })
                {
                    if (s_results.TryGetValue($"{api}/{payload}", out var l))
                    {
                        Console.WriteLine($"//   ratio LinuxNet {api}/C, {payload} B: frames/s {l.Frames / l.Seconds / (c.Frames / c.Seconds):F2}x, CPU/frame {l.CpuSeconds / l.Frames / (c.CpuSeconds / c.Frames):F2}x");
                    }
                }
            }
        }
    }

    private static string BuildC() => NativePeer.Build("tun_forward.c");

    private static void Ip(NetNamespace ns, params string[] args) => NativePeer.Run(ns, "ip", args);

    private static void Run(NetNamespace? ns, string file, params string[] args) => NativePeer.Run(ns, file, args);

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int getrusage(int who, long* usage);

    private static unsafe double Rusage(int who)
    {
        long* usage = stackalloc long[18];
        _ = getrusage(who, usage);
        return usage[0] + (usage[1] / 1e6) + usage[2] + (usage[3] / 1e6);
    }

    private static double ThreadCpu() => Rusage(1); // RUSAGE_THREAD

    private static double ProcessCpu() => Rusage(0); // RUSAGE_SELF
}
