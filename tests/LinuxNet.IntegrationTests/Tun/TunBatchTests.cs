using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;
using LinuxNet.Tun.Offload;
using LinuxNet.Udp;

namespace LinuxNet.IntegrationTests.Tun;

/// <summary>
/// <see cref="TunQueue.ReadPackets"/> and <see cref="TunQueue.WritePackets"/> against the kernel: two namespaces,
/// each with an offloaded TUN device, joined by a forwarder in the test that reads packets (super-frames split)
/// from one device and writes them (coalesced again) to the other, as a VPN does. The kernel is the oracle: a TCP
/// stream must arrive intact (the kernel takes the coalesced frames and the split packets' checksums are checked
/// by the coalescer before it takes them), and UDP datagrams one by one, byte for byte, at a plain socket.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class TunBatchTests
{
    private const int Headroom = 32;
    private const TunOffloads AllOffloads = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 | TunOffloads.Uso4 | TunOffloads.Uso6;

    private NetNamespace _a = null!;
    private NetNamespace _b = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _a = NetNamespace.CreateAnonymous();
        _b = NetNamespace.CreateAnonymous();
    }

    [TearDown]
    public void TearDown()
    {
        _b?.Dispose();
        _a?.Dispose();
    }

    private static IPAddress AddressA(bool v6) => IPAddress.Parse(v6 ? "2001:db8:a::1" : "198.51.100.1");

    private static IPAddress AddressB(bool v6) => IPAddress.Parse(v6 ? "2001:db8:b::1" : "203.0.113.1");

    /// <summary>lnt0 in A and in B, addressed and routed towards each other.</summary>
    private (TunDevice A, TunDevice B) CreatePair(TunOffloads offloads, bool virtioNetHeader = true)
    {
        TunDevice a = TunDevice.Create(new TunDeviceOptions { Name = "lnt0", VirtioNetHeader = virtioNetHeader, Offloads = virtioNetHeader ? offloads : TunOffloads.None }, _a);
        TunDevice b = TunDevice.Create(new TunDeviceOptions { Name = "lnt0", VirtioNetHeader = virtioNetHeader, Offloads = virtioNetHeader ? offloads : TunOffloads.None }, _b);
        foreach ((TunDevice tun, NetNamespace ns, string v4, string v6, string peer4, string peer6) in new[]
        {
            (a, _a, "198.51.100.1/24", "2001:db8:a::1/64", "203.0.113.0/24", "2001:db8:b::/64"),
            (b, _b, "203.0.113.1/24", "2001:db8:b::1/64", "198.51.100.0/24", "2001:db8:a::/64"),
        })
        {
            tun.BringUp([IPPrefix.Parse(v4), IPPrefix.Parse(v6)]);
            IpOracle.Run(ns, "link", "set", "lo", "up");
            IpOracle.Run(ns, "route", "add", peer4, "dev", "lnt0");
            IpOracle.Run(ns, "-6", "route", "add", peer6, "dev", "lnt0");
        }

        return (a, b);
    }

    /// <summary>Moves packets from one queue to another with the batch API until stopped; counts what it saw.</summary>
    private sealed class BatchForwarder(TunQueue from, TunQueue to, bool async)
    {
        public long Reads;
        public long Packets;
        public long FramesWritten;
        public int MaxPacketsPerRead;
        public readonly List<Exception> Errors = [];

        public void Run(CancellationToken stop)
        {
            var buffers = new Memory<byte>[64];
            for (int i = 0; i < buffers.Length; i++)
            {
                buffers[i] = new byte[Headroom + 1500];
            }

            int[] sizes = new int[buffers.Length];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    int n;
                    if (async)
                    {
                        n = from.ReadPacketsAsync(buffers, sizes, Headroom, stop).AsTask().GetAwaiter().GetResult();
                        FramesWritten += to.WritePacketsAsync(buffers.AsMemory(0, n), sizes.AsMemory(0, n), Headroom, stop).AsTask().GetAwaiter().GetResult();
                    }
                    else
                    {
                        n = from.ReadPackets(buffers, sizes, Headroom, stop);
                        FramesWritten += to.WritePackets(buffers.AsSpan(0, n), sizes.AsSpan(0, n), Headroom, stop);
                    }

                    Reads++;
                    Packets += n;
                    MaxPacketsPerRead = Math.Max(MaxPacketsPerRead, n);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            catch (Exception e)
            {
                lock (Errors)
                {
                    Errors.Add(e);
                }
            }
        }

        public override string ToString() => $"{Reads} reads, {Packets} packets (at most {MaxPacketsPerRead} per read), {FramesWritten} frames written";
    }

    private static (BatchForwarder Forward, BatchForwarder Backward, Action Stop) StartForwarders(TunDevice a, TunDevice b, bool async)
    {
        var forward = new BatchForwarder(a.Queues[0], b.Queues[0], async);
        var backward = new BatchForwarder(b.Queues[0], a.Queues[0], async);
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var threads = new[] { new Thread(() => forward.Run(stop.Token)), new Thread(() => backward.Run(stop.Token)) };
        foreach (Thread t in threads)
        {
            t.IsBackground = true;
            t.Start();
        }

        return (forward, backward, () =>
        {
            stop.Cancel();
            foreach (Thread t in threads)
            {
                t.Join(TimeSpan.FromSeconds(5));
            }

            stop.Dispose();
        });
    }

    private int SendTcpStream(bool v6, byte[] sent)
    {
        AddressFamily family = v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        using Socket listener = _b.Run(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(AddressB(v6), 5201));
        listener.Listen(1);
        using Socket client = _a.Run(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp));
        client.SendTimeout = 20_000;
        client.Connect(new IPEndPoint(AddressB(v6), 5201));
        using Socket server = listener.Accept();
        server.ReceiveTimeout = 20_000;
        var sender = new Thread(() =>
        {
            try
            {
                client.Send(sent);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The receiver's assertion reports the shortfall.
            }
        }) { IsBackground = true };
        sender.Start();
        byte[] received = new byte[sent.Length];
        int length = 0, n;
        while (length < received.Length && (n = server.Receive(received, length, received.Length - length, SocketFlags.None)) > 0)
        {
            length += n;
        }

        sender.Join(TimeSpan.FromSeconds(20));
        Assert.That(received.AsSpan(0, length).SequenceEqual(sent.AsSpan(0, length)), Is.True, "bytes arrive intact");
        return length;
    }

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void TcpStream_ThroughSplitAndCoalesceForwarder_ArrivesIntact(bool v6, bool async)
    {
        (TunDevice a, TunDevice b) = CreatePair(TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6);
        using TunDevice da = a, db = b;
        (BatchForwarder forward, BatchForwarder backward, Action stop) = StartForwarders(a, b, async);
        byte[] sent = new byte[8 << 20];
        new Random(7).NextBytes(sent);
        int length;
        try
        {
            length = SendTcpStream(v6, sent);
        }
        finally
        {
            stop();
        }

        TestContext.Out.WriteLine($"A->B: {forward}; B->A: {backward}");
        Assert.Multiple(() =>
        {
            Assert.That(forward.Errors, Is.Empty);
            Assert.That(backward.Errors, Is.Empty);
            Assert.That(length, Is.EqualTo(sent.Length));
            Assert.That(forward.MaxPacketsPerRead, Is.GreaterThan(1), "super-frames were read and split");
            Assert.That(forward.FramesWritten, Is.LessThan(forward.Packets / 2), "packets were coalesced into super-frames the kernel took");
        });
    }

    [Test]
    public void TcpStream_DeviceWithoutOffloads_ForwardsPacketByPacket()
    {
        (TunDevice a, TunDevice b) = CreatePair(TunOffloads.None);
        using TunDevice da = a, db = b;
        Assert.That(a.Offloads, Is.EqualTo(TunOffloads.None));
        (BatchForwarder forward, BatchForwarder backward, Action stop) = StartForwarders(a, b, async: false);
        byte[] sent = new byte[1 << 20];
        new Random(8).NextBytes(sent);
        int length;
        try
        {
            length = SendTcpStream(v6: false, sent);
        }
        finally
        {
            stop();
        }

        Assert.Multiple(() =>
        {
            Assert.That(forward.Errors, Is.Empty);
            Assert.That(length, Is.EqualTo(sent.Length));
            Assert.That(forward.MaxPacketsPerRead, Is.EqualTo(1));
            Assert.That(forward.FramesWritten, Is.EqualTo(forward.Packets));
        });
    }

    [Test]
    public void TcpStream_DeviceWithoutVirtioHeader_ForwardsPacketByPacket()
    {
        (TunDevice a, TunDevice b) = CreatePair(TunOffloads.None, virtioNetHeader: false);
        using TunDevice da = a, db = b;
        (BatchForwarder forward, BatchForwarder _, Action stop) = StartForwarders(a, b, async: true);
        byte[] sent = new byte[1 << 20];
        new Random(9).NextBytes(sent);
        int length;
        try
        {
            length = SendTcpStream(v6: true, sent);
        }
        finally
        {
            stop();
        }

        Assert.Multiple(() =>
        {
            Assert.That(forward.Errors, Is.Empty);
            Assert.That(length, Is.EqualTo(sent.Length));
            Assert.That(forward.FramesWritten, Is.EqualTo(forward.Packets));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void UdpFlow_WithUso_SplitAndCoalescedDatagramsArriveByteForByte(bool v6)
    {
        (TunDevice a, TunDevice b) = CreatePair(AllOffloads);
        using TunDevice da = a, db = b;
        if ((a.Offloads & (TunOffloads.Uso4 | TunOffloads.Uso6)) == 0)
        {
            Assert.Ignore("requires a kernel whose TUN driver accepts TUN_F_USO4/TUN_F_USO6 (6.2+)");
        }

        (BatchForwarder forward, BatchForwarder _, Action stop) = StartForwarders(a, b, async: false);
        const int segmentSize = 1200, perSend = 40, sends = 20;
        byte[] payload = new byte[segmentSize * perSend];
        var mismatches = new List<int>();
        int received = 0;
        try
        {
            AddressFamily family = v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            using Socket receiver = _b.Run(() => new Socket(family, SocketType.Dgram, ProtocolType.Udp));
            receiver.Bind(new IPEndPoint(AddressB(v6), 4789));
            receiver.ReceiveTimeout = 5_000;
            using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(AddressA(v6), 0), _a, null);
            using var batch = new UdpBatch(1);
            byte[] datagram = new byte[65536];
            for (int i = 0; i < sends; i++)
            {
                new Random(i).NextBytes(payload);
                batch.Clear();
                batch.Add(payload, (IPEndPoint)receiver.LocalEndPoint!, segmentSize);
                sender.Send(batch);
                for (int k = 0; k < perSend; k++)
                {
                    int n = receiver.Receive(datagram);
                    if (n != segmentSize || !datagram.AsSpan(0, n).SequenceEqual(payload.AsSpan(k * segmentSize, segmentSize)))
                    {
                        mismatches.Add(received);
                    }

                    received++;
                }
            }
        }
        finally
        {
            stop();
        }

        TestContext.Out.WriteLine($"A->B: {forward}");
        Assert.Multiple(() =>
        {
            Assert.That(forward.Errors, Is.Empty);
            Assert.That(received, Is.EqualTo(perSend * sends));
            Assert.That(mismatches, Is.Empty);
            Assert.That(forward.MaxPacketsPerRead, Is.GreaterThan(1), "USO super-frames were read and split");
            Assert.That(forward.FramesWritten, Is.LessThan(forward.Packets / 2), "datagrams were coalesced into USO frames the kernel took");
        });
    }

    [Test]
    public void ReadPackets_SuperFrameLongerThanTheBatch_HandedOutOverSeveralCalls()
    {
        (TunDevice a, TunDevice b) = CreatePair(AllOffloads);
        using TunDevice da = a, db = b;
        if ((a.Offloads & TunOffloads.Uso4) == 0)
        {
            Assert.Ignore("requires TUN_F_USO4 (6.2+)");
        }

        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(AddressA(false), 0), _a, null);
        using var batch = new UdpBatch(1);
        byte[] payload = new byte[10 * 1000 + 7];
        new Random(3).NextBytes(payload);
        batch.Add(payload, new IPEndPoint(AddressB(false), 9), 1000);
        sender.Send(batch);

        var buffers = new Memory<byte>[4];
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new byte[Headroom + 1100];
        }

        int[] sizes = new int[4];
        var payloads = new List<byte>();
        var counts = new List<int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (payloads.Count < payload.Length)
        {
            int n = a.Queues[0].ReadPackets(buffers, sizes, Headroom, timeout.Token);
            if (buffers[0].Span[Headroom] >> 4 == 4 && buffers[0].Span[Headroom + 9] == 17)
            {
                counts.Add(n); // not the IPv6 router solicitations the kernel sends on its own
            }

            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<byte> packet = buffers[i].Span.Slice(Headroom, sizes[i]);
                if (packet[0] >> 4 == 4 && packet[9] == 17)
                {
                    Assert.That(InternetChecksum.Sum(packet[..20]), Is.EqualTo(0xFFFF), "IPv4 header checksum");
                    payloads.AddRange(packet[28..].ToArray());
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(payloads.ToArray(), Is.EqualTo(payload));
            Assert.That(counts, Is.EqualTo(new[] { 4, 4, 3 }), "11 segments handed out over three calls of four buffers");
        });
    }

    [Test]
    public void MultiQueue_OneForwarderThreadPerQueue_EveryQueueCarriesTrafficAndEveryDatagramArrives()
    {
        TunDeviceOptions Options() => new() { Name = "lnt0", VirtioNetHeader = true, Offloads = AllOffloads, QueueCount = 2 };
        using TunDevice a = TunDevice.Create(Options(), _a);
        using TunDevice b = TunDevice.Create(Options(), _b);
        foreach ((TunDevice tun, NetNamespace ns, string v4, string peer4) in new[] { (a, _a, "198.51.100.1/24", "203.0.113.0/24"), (b, _b, "203.0.113.1/24", "198.51.100.0/24") })
        {
            tun.BringUp([IPPrefix.Parse(v4)]);
            IpOracle.Run(ns, "route", "add", peer4, "dev", "lnt0");
        }

        var forwarders = new List<BatchForwarder>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var threads = new List<Thread>();
        for (int q = 0; q < 2; q++)
        {
            foreach (BatchForwarder f in new[] { new BatchForwarder(a.Queues[q], b.Queues[q], async: false), new BatchForwarder(b.Queues[q], a.Queues[q], async: false) })
            {
                forwarders.Add(f);
                var t = new Thread(() => f.Run(stop.Token)) { IsBackground = true };
                threads.Add(t);
                t.Start();
            }
        }

        const int flows = 16, perFlow = 50;
        var received = new HashSet<(int Flow, int Index)>();
        try
        {
            using Socket receiver = _b.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
            receiver.Bind(new IPEndPoint(AddressB(false), 4789));
            receiver.ReceiveTimeout = 5_000;
            receiver.ReceiveBufferSize = 4 << 20;
            var senders = Enumerable.Range(0, flows).Select(_ => _a.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))).ToList();
            try
            {
                byte[] datagram = new byte[64];
                byte[] buffer = new byte[2048];
                for (int i = 0; i < perFlow; i++)
                {
                    for (int f = 0; f < flows; f++)
                    {
                        datagram[0] = (byte)f;
                        datagram[1] = (byte)i;
                        senders[f].SendTo(datagram, new IPEndPoint(AddressB(false), 4789)); // each socket its own source port: its own flow hash
                    }

                    // One round (16 datagrams) in flight at a time: a device's 500-frame queue never overflows while the
                    // forwarder threads wait for a core (a loaded CI machine dropped a burst of all 800 at once).
                    while (received.Count < (i + 1) * flows)
                    {
                        int n = receiver.Receive(buffer);
                        Assert.That(n, Is.EqualTo(64));
                        received.Add((buffer[0], buffer[1]));
                    }
                }
            }
            finally
            {
                senders.ForEach(s => s.Dispose());
            }
        }
        finally
        {
            stop.Cancel();
            threads.ForEach(t => t.Join(TimeSpan.FromSeconds(5)));
        }

        TestContext.Out.WriteLine(string.Join("; ", forwarders));
        Assert.Multiple(() =>
        {
            Assert.That(forwarders.SelectMany(f => f.Errors), Is.Empty);
            Assert.That(received, Has.Count.EqualTo(flows * perFlow));
            Assert.That(forwarders[0].Packets, Is.GreaterThan(0), "queue 0 of A carried traffic");
            Assert.That(forwarders[2].Packets, Is.GreaterThan(0), "queue 1 of A carried traffic");
        });
    }

    [Test]
    public void BatchCalls_BadInput_ThrowBeforeAnySyscall()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0", VirtioNetHeader = true, Offloads = AllOffloads }, _a);
        TunQueue queue = tun.Queues[0];
        Memory<byte>[] buffers = [new byte[100], new byte[100]];
        Assert.Multiple(() =>
        {
            Assert.That(() => queue.ReadPackets(buffers, new int[2], 100), Throws.ArgumentException.With.Message.Contains("headroom"));
            Assert.That(() => queue.ReadPackets(buffers, new int[2], -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => queue.ReadPackets(buffers, new int[1], 0), Throws.ArgumentException.With.Message.Contains("sizes"));
            Assert.That(() => queue.ReadPackets(ReadOnlySpan<Memory<byte>>.Empty, new int[1], 0), Throws.ArgumentException);
            Assert.That(async () => await queue.ReadPacketsAsync(buffers, new int[2], 150), Throws.ArgumentException);
            Assert.That(() => queue.WritePackets(buffers, new int[] { 10 }, 0), Throws.ArgumentException.With.Message.Contains("match"));
            Assert.That(() => queue.WritePackets(buffers, new int[] { 10, 0 }, 0), Throws.ArgumentException.With.Message.Contains("size 0"));
            Assert.That(() => queue.WritePackets(buffers, new int[] { 10, 91 }, 10), Throws.ArgumentException.With.Message.Contains("size 91"));
            Assert.That(async () => await queue.WritePacketsAsync(buffers, new int[] { 10 }, 0), Throws.ArgumentException);
            Assert.That(() => tun.ReadPackets(buffers, new int[2], 100), Throws.ArgumentException.With.Message.Contains("headroom"), "the device forwards to queue 0");
            Assert.That(() => tun.WritePackets(buffers, new int[] { 10 }, 0), Throws.ArgumentException.With.Message.Contains("match"));
        });

        using TunDevice tap = TunDevice.Create(new TunDeviceOptions { Name = "lntp0", Mode = TunMode.Tap }, _a);
        Assert.That(() => tap.Queues[0].ReadPackets(buffers, new int[2], 0), Throws.InstanceOf<NotSupportedException>());
    }
}
