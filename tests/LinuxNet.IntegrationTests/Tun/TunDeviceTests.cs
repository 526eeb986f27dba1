using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Tun;

namespace LinuxNet.IntegrationTests.Tun;

[TestFixture]
[Category("Privileged")]
public partial class TunDeviceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly IPAddress Local4 = IPAddress.Parse("198.51.100.1");
    private static readonly IPAddress Peer4 = IPAddress.Parse("198.51.100.2");
    private static readonly IPAddress Local6 = IPAddress.Parse("2001:db8::1");
    private static readonly IPAddress Peer6 = IPAddress.Parse("2001:db8::2");

    private NetNamespace _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        if (!File.Exists("/dev/net/tun"))
        {
            Assert.Ignore("requires /dev/net/tun (the tun module)");
        }

        _lab = NetNamespace.CreateAnonymous();
        IpOracle.Run(_lab, "link", "set", "lo", "up");
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void Create_InNamespace_VisibleThereWithSameIndexAndName()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt%d" }, _lab);
        JsonElement link = IpOracle.Json(_lab, "link", "show", "dev", tun.Name)[0];
        Assert.Multiple(() =>
        {
            Assert.That(tun.Name, Is.EqualTo("lnt0"));
            Assert.That(tun.InterfaceIndex, Is.EqualTo(link.GetProperty("ifindex").GetInt32()));
            Assert.That(link.GetProperty("link_type").GetString(), Is.EqualTo("none"));
            Assert.That(tun.MaxFrameSize, Is.EqualTo(65535));
            Assert.That(tun.Queues, Has.Count.EqualTo(1));
        });
        Assert.That(IpOracle.RunHere("-o", "link"), Does.Not.Contain(" lnt0:"), "the device must not appear in the test's own namespace");
    }

    [Test]
    public void Create_ExistingName_ThrowsAlreadyExists()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        Assert.That(
            () => TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab),
            Throws.InstanceOf<LinuxNetException>().With.Property(nameof(LinuxNetException.IsAlreadyExists)).True);
    }

    [Test]
    public void ReadFrame_UdpDatagramTowardsTun_ReadBackByteExact()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        byte[] payload = RandomBytes(333, 1);
        using Socket socket = _lab.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.SendTo(payload, new IPEndPoint(Peer4, 5555));

        byte[] frame = ReadUntil(tun.Queues[0], f => Packets.IsIpv4(f, Packets.Udp) && BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(22)) == 5555);
        Assert.Multiple(() =>
        {
            Assert.That(frame, Has.Length.EqualTo(28 + payload.Length));
            Assert.That(new IPAddress(frame.AsSpan(12, 4)), Is.EqualTo(Local4));
            Assert.That(new IPAddress(frame.AsSpan(16, 4)), Is.EqualTo(Peer4));
            Assert.That(Packets.HeaderChecksumIsValid(frame), Is.True);
            Assert.That(frame.AsSpan(28).ToArray(), Is.EqualTo(payload));
        });
    }

    [Test]
    public async Task ReadFrameAsync_Udp6DatagramTowardsTun_ReadBackByteExact()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        byte[] payload = RandomBytes(1000, 2);
        using Socket socket = _lab.Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
        socket.SendTo(payload, new IPEndPoint(Peer6, 6666));

        using var timeout = new CancellationTokenSource(Bound);
        byte[] buffer = new byte[tun.MaxFrameSize];
        byte[] frame;
        while (true)
        {
            int n = await tun.ReadFrameAsync(buffer, timeout.Token);
            if (Packets.IsIpv6(buffer.AsSpan(0, n), Packets.Udp) && BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(42)) == 6666)
            {
                frame = buffer[..n];
                break;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(frame, Has.Length.EqualTo(48 + payload.Length));
            Assert.That(new IPAddress(frame.AsSpan(8, 16)), Is.EqualTo(Local6));
            Assert.That(new IPAddress(frame.AsSpan(24, 16)), Is.EqualTo(Peer6));
            Assert.That(frame.AsSpan(48).ToArray(), Is.EqualTo(payload));
        });
    }

    [Test]
    public void WriteFrame_HandBuiltUdpPacket_ReceivedBySocketInside()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        using Socket socket = _lab.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(Local4, 7777));
            return s;
        });
        socket.ReceiveTimeout = (int)Bound.TotalMilliseconds;
        byte[] payload = RandomBytes(777, 3);

        tun.WriteFrame(Packets.Udp4(Peer4, Local4, 4444, 7777, payload));

        byte[] received = new byte[2000];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = socket.ReceiveFrom(received, ref from);
        Assert.Multiple(() =>
        {
            Assert.That(received[..n], Is.EqualTo(payload));
            Assert.That(from, Is.EqualTo(new IPEndPoint(Peer4, 4444)));
        });
    }

    [Test]
    public void Stream_IcmpEchoRequest_KernelRepliesThroughDevice()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        using Stream stream = tun.AsStream();
        byte[] payload = RandomBytes(56, 4);
        stream.Write(Packets.IcmpEcho4(Peer4, Local4, id: 0x4242, sequence: 7, payload));

        byte[] buffer = new byte[tun.MaxFrameSize];
        using var timeout = new CancellationTokenSource(Bound);
        timeout.Token.Register(tun.Dispose);
        while (true)
        {
            int n = stream.Read(buffer, 0, buffer.Length);
            byte[] frame = buffer[..n];
            if (Packets.IsIpv4(frame, Packets.Icmp) && frame[20] == 0)
            {
                Assert.Multiple(() =>
                {
                    Assert.That(new IPAddress(frame.AsSpan(12, 4)), Is.EqualTo(Local4));
                    Assert.That(new IPAddress(frame.AsSpan(16, 4)), Is.EqualTo(Peer4));
                    Assert.That(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(24)), Is.EqualTo(0x4242));
                    Assert.That(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(26)), Is.EqualTo(7));
                    Assert.That(frame.AsSpan(28).ToArray(), Is.EqualTo(payload));
                });
                return;
            }
        }
    }

    [Test]
    public void Tap_ArpRequest_KernelRepliesWithDeviceMac()
    {
        using TunDevice tap = CreateUp(TunMode.Tap);
        string macText = IpOracle.Json(_lab, "link", "show", "dev", tap.Name)[0].GetProperty("address").GetString()!;
        byte[] deviceMac = macText.Split(':').Select(b => Convert.ToByte(b, 16)).ToArray();
        byte[] ourMac = [0x02, 0, 0, 0, 0, 0x02];

        tap.WriteFrame(Packets.ArpRequest(ourMac, Peer4, Local4));

        byte[] reply = ReadUntil(tap.Queues[0], f => f.Length >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2);
        Assert.Multiple(() =>
        {
            Assert.That(reply.AsSpan(0, 6).ToArray(), Is.EqualTo(ourMac), "Ethernet destination");
            Assert.That(reply.AsSpan(6, 6).ToArray(), Is.EqualTo(deviceMac), "Ethernet source");
            Assert.That(reply.AsSpan(22, 6).ToArray(), Is.EqualTo(deviceMac), "sender hardware address");
            Assert.That(new IPAddress(reply.AsSpan(28, 4)), Is.EqualTo(Local4), "sender protocol address");
            Assert.That(reply.AsSpan(32, 6).ToArray(), Is.EqualTo(ourMac), "target hardware address");
            Assert.That(new IPAddress(reply.AsSpan(38, 4)), Is.EqualTo(Peer4), "target protocol address");
        });
    }

    [Test]
    public async Task MultiQueue_ManyFlows_SpreadOverQueuesNothingLost()
    {
        const int flows = 64;
        const int perFlow = 8;
        using TunDevice tun = CreateUp(TunMode.Tun, new TunDeviceOptions { QueueCount = 4 });
        Assert.That(tun.IsMultiQueue, Is.True);

        using var timeout = new CancellationTokenSource(Bound);
        int total = 0;
        var seen = new HashSet<(int Port, int Index)>[tun.Queues.Count];
        Task[] readers = tun.Queues.Select((queue, q) => Task.Run(async () =>
        {
            seen[q] = [];
            byte[] buffer = new byte[tun.MaxFrameSize];
            try
            {
                while (Volatile.Read(ref total) < flows * perFlow)
                {
                    int n = await queue.ReadFrameAsync(buffer, timeout.Token);
                    if (Packets.IsIpv4(buffer.AsSpan(0, n), Packets.Udp))
                    {
                        int port = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(22));
                        lock (seen)
                        {
                            seen[q].Add((port, buffer[28]));
                        }

                        if (Interlocked.Increment(ref total) == flows * perFlow)
                        {
                            await timeout.CancelAsync();
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();

        using Socket socket = _lab.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        for (int i = 0; i < perFlow; i++)
        {
            for (int flow = 0; flow < flows; flow++)
            {
                socket.SendTo([(byte)i, 1, 2, 3], new IPEndPoint(Peer4, 20000 + flow));
            }
        }

        await Task.WhenAll(readers);
        int queuesUsed = seen.Count(s => s.Count > 0);
        int distinct = seen.SelectMany(s => s).Distinct().Count();
        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(flows * perFlow), "datagrams read over all queues");
            Assert.That(distinct, Is.EqualTo(flows * perFlow), "each (flow, index) exactly once");
            Assert.That(queuesUsed, Is.GreaterThanOrEqualTo(2), "flows spread over several queues");
        });

        // A flow stays on one queue: no port appears on two queues.
        var portsPerQueue = seen.Select(s => s.Select(x => x.Port).ToHashSet()).ToArray();
        for (int a = 0; a < portsPerQueue.Length; a++)
        {
            for (int b = a + 1; b < portsPerQueue.Length; b++)
            {
                Assert.That(portsPerQueue[a].Overlaps(portsPerQueue[b]), Is.False, $"queues {a} and {b} share a flow");
            }
        }
    }

    [Test]
    public void MultiQueue_DetachedQueue_ReadThrowsAndAttachRestores()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0", QueueCount = 2 }, _lab);
        TunQueue queue = tun.Queues[1];
        queue.Detach();
        Assert.Multiple(() =>
        {
            Assert.That(queue.IsAttached, Is.False);
            Assert.That(() => queue.ReadFrame(new byte[tun.MaxFrameSize]), Throws.InvalidOperationException);
        });
        queue.Attach();
        Assert.That(queue.IsAttached, Is.True);
        Assert.That(() => tun.Queues[0].Detach(), Throws.Nothing);
        Assert.That(() => tun.Queues[0].Attach(), Throws.Nothing);
    }

    [Test]
    public void Persistent_SurvivesCloseAndGoneAfterDelete()
    {
        using (TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lntp0", Persistent = true, Mode = TunMode.Tap }, _lab))
        {
            Assert.That(tun.IsPersistent, Is.True);
        }

        JsonElement links = IpOracle.Json(_lab, "link", "show");
        Assert.That(links.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()), Does.Contain("lntp0"));

        using (TunDevice again = TunDevice.Open(new TunDeviceOptions { Name = "lntp0", Mode = TunMode.Tap }, _lab))
        {
            Assert.That(again.Name, Is.EqualTo("lntp0"));
        }

        TunDevice.DeletePersistent("lntp0", TunMode.Tap, netNamespace: _lab);
        links = IpOracle.Json(_lab, "link", "show");
        Assert.Multiple(() =>
        {
            Assert.That(links.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()), Does.Not.Contain("lntp0"));
            Assert.That(
                () => TunDevice.Open(new TunDeviceOptions { Name = "lntp0", Mode = TunMode.Tap }, _lab),
                Throws.InstanceOf<LinuxNetException>().With.Property(nameof(LinuxNetException.IsNotFound)).True);
        });
    }

    [Test]
    public void Open_MissingDevice_NamesTheNamespaceItLookedIn()
    {
        LinuxNetException e = Assert.Throws<LinuxNetException>(() => TunDevice.Open(new TunDeviceOptions { Name = "lnmissing0" }, _lab))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.IsNotFound, Is.True);
            Assert.That(e.Message, Does.Contain("'lnmissing0'"));
            Assert.That(e.Message, Does.Contain($"net:[{_lab.Inode}]"));
        });
    }

    [Test]
    public void SetCarrier_Off_ShownAsNoCarrier()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        tun.SetCarrier(false);
        string[] flags = IpOracle.Json(_lab, "link", "show", "dev", tun.Name)[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.That(flags, Does.Contain("NO-CARRIER"));
        tun.SetCarrier(true);
        flags = IpOracle.Json(_lab, "link", "show", "dev", tun.Name)[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.That(flags, Does.Not.Contain("NO-CARRIER"));
    }

    [Test]
    public void Create_VirtioHeaderWithOffloads_ReportsHeaderAndOffloads()
    {
        using TunDevice tun = TunDevice.Create(
            new TunDeviceOptions { Name = "lnt0", VirtioNetHeader = true, VirtioNetHeaderSize = 12, Offloads = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 },
            _lab);
        Assert.Multiple(() =>
        {
            Assert.That(tun.VirtioNetHeaderSize, Is.EqualTo(12));
            Assert.That(tun.HeaderLength, Is.EqualTo(12));
            Assert.That(tun.MaxFrameSize, Is.EqualTo(12 + 65535));
            Assert.That(tun.Offloads, Is.EqualTo(TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6));
        });
    }

    [Test]
    public void ReadFrame_BufferSmallerThanFrame_ThrowsFrameTooLarge()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        using Socket socket = _lab.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.SendTo(new byte[200], new IPEndPoint(Peer4, 5555));
        byte[] small = new byte[100];
        using var timeout = new CancellationTokenSource(Bound);
        Assert.That(
            () =>
            {
                while (true)
                {
                    tun.ReadFrame(small, timeout.Token); // IPv6 noise fits in 100 bytes; the 228-byte datagram does not
                }
            },
            Throws.TypeOf<TunFrameTooLargeException>().With.Property(nameof(TunFrameTooLargeException.BufferLength)).EqualTo(100));
    }

    [Test]
    public void WriteFrame_BadLengths_ThrowArgumentExceptionBeforeSyscall()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        Assert.Multiple(() =>
        {
            Assert.That(() => tun.WriteFrame(ReadOnlySpan<byte>.Empty), Throws.ArgumentException);
            Assert.That(() => tun.WriteFrame(new byte[tun.MaxFrameSize + 1]), Throws.ArgumentException);
            Assert.That(() => tun.ReadFrame(Span<byte>.Empty), Throws.ArgumentException);
            Assert.That(async () => await tun.WriteFrameAsync(ReadOnlyMemory<byte>.Empty), Throws.ArgumentException);
        });
    }

    [Test]
    public void WriteFrame_NotAnIpPacket_ThrowsKernelEinval()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        Assert.That(
            () => tun.WriteFrame(new byte[] { 0x00, 1, 2, 3, 4, 5, 6, 7 }),
            Throws.InstanceOf<LinuxNetException>().With.Property(nameof(LinuxNetException.Errno)).EqualTo(Errno.EINVAL));
    }

    [Test]
    public void ReadFrame_DisposedWhileBlocked_ThrowsObjectDisposed()
    {
        TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        Exception? caught = null;
        var reader = new Thread(() =>
        {
            try
            {
                tun.ReadFrame(new byte[tun.MaxFrameSize]);
            }
            catch (Exception e)
            {
                caught = e;
            }
        });
        reader.Start();
        Thread.Sleep(100);
        tun.Dispose();
        Assert.That(reader.Join(Bound), Is.True, "the blocked read must end");
        Assert.That(caught, Is.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void ReadFrame_CanceledWhileBlocked_ThrowsOperationCanceled()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.That(() => tun.ReadFrame(new byte[tun.MaxFrameSize], cts.Token), Throws.InstanceOf<OperationCanceledException>());

        // The queue stays usable after a canceled read.
        using var again = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.That(() => tun.ReadFrame(new byte[tun.MaxFrameSize], again.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task ReadFrameAsync_DisposedWhilePending_ThrowsObjectDisposed()
    {
        TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        ValueTask<int> pending = tun.ReadFrameAsync(new byte[tun.MaxFrameSize]);
        Assert.That(pending.IsCompleted, Is.False);
        tun.Dispose();
        Task<int> task = pending.AsTask();
        Assert.That(await Task.WhenAny(task, Task.Delay(Bound)), Is.SameAs(task), "the pending read must end");
        Assert.That(async () => await task, Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public async Task ReadFrameAsync_CanceledWhilePending_ThrowsOperationCanceled()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        using var cts = new CancellationTokenSource();
        Task<int> task = tun.ReadFrameAsync(new byte[tun.MaxFrameSize], cts.Token).AsTask();
        await Task.Delay(50);
        Assert.That(task.IsCompleted, Is.False);
        await cts.CancelAsync();
        Assert.That(await Task.WhenAny(task, Task.Delay(Bound)), Is.SameAs(task), "the pending read must end");
        Assert.That(async () => await task, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task ReadFrame_InterfaceDeletedUnderneath_ThrowsClearException()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        byte[] buffer = new byte[tun.MaxFrameSize];
        Task<Exception?> asyncReader = Task.Run<Exception?>(async () =>
        {
            try
            {
                while (true)
                {
                    await tun.ReadFrameAsync(buffer);
                }
            }
            catch (Exception e)
            {
                return e;
            }
        });
        await Task.Delay(100);
        IpOracle.Run(_lab, "link", "del", "dev", tun.Name);
        Assert.That(await Task.WhenAny(asyncReader, Task.Delay(Bound)), Is.SameAs(asyncReader), "the pending read must end");
        Exception? e = await asyncReader;
        Assert.That(e, Is.InstanceOf<LinuxNetException>());
        Assert.Multiple(() =>
        {
            Assert.That(((LinuxNetException)e!).ErrorNumber, Is.EqualTo(77), "EBADFD");
            Assert.That(e.Message, Does.Contain("no longer exists"));
            Assert.That(() => tun.ReadFrame(buffer), Throws.InstanceOf<LinuxNetException>().With.Message.Contains("no longer exists"));
        });
    }

    // USO (UDP_L4) super-frames: the kernel takes at most UDP_MAX_SEGMENTS (64, or 128 on recent kernels) datagrams per frame and refuses
    // more with EINVAL; the device then writes the frame as the datagrams GsoSplitter cuts, and logs it once.
    [TestCase(300, false, true, TestName = "WriteFrame_UsoSuperFrameTheKernelRefuses_WrittenAsDatagramsAndLogged")]
    [TestCase(300, true, true, TestName = "WriteFrameAsync_UsoSuperFrameTheKernelRefuses_WrittenAsDatagramsAndLogged")]
    [TestCase(20, false, false, TestName = "WriteFrame_UsoSuperFrameTheKernelTakes_PassedWhole")]
    public async Task WriteFrame_UsoSuperFrame(int segments, bool async, bool kernelRefuses)
    {
        const int SegmentSize = 200;
        var log = new CapturingLoggerFactory();
        using TunDevice tun = CreateUp(TunMode.Tun, new TunDeviceOptions { VirtioNetHeader = true, LoggerFactory = log });
        using Socket socket = Packets.BurstReceiver(_lab, new IPEndPoint(Local4, 7777), Bound);

        byte[] payload = RandomBytes(SegmentSize * segments, 5);
        for (int i = 0; i < segments; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(i * SegmentSize), i);
        }

        byte[] frame = Packets.UdpL4SuperFrame4(Peer4, Local4, 4444, 7777, payload, SegmentSize);

        if (async)
        {
            await tun.WriteFrameAsync(frame);
        }
        else
        {
            tun.WriteFrame(frame);
        }

        var seen = new HashSet<int>();
        byte[] received = new byte[2048];
        for (int i = 0; i < segments; i++)
        {
            int n = socket.Receive(received);
            int index = BinaryPrimitives.ReadInt32LittleEndian(received);
            Assert.That(n, Is.EqualTo(SegmentSize), $"datagram {i}");
            Assert.That(index, Is.InRange(0, segments - 1));
            Assert.That(received.AsSpan(0, n).SequenceEqual(payload.AsSpan(index * SegmentSize, SegmentSize)), Is.True, $"datagram {index} byte-exact");
            Assert.That(seen.Add(index), Is.True, $"datagram {index} twice");
        }

        Assert.That(log.Entries.Count(e => e.Id == 1218), Is.EqualTo(kernelRefuses ? 1 : 0), "the fallback is logged once, and only when the kernel refused");
    }

    [Test]
    public void ReadFrame_SyncOnly_DoesNotWakeTheSharedPollerPerFrame()
    {
        using TunDevice tun = CreateUp(TunMode.Tun);
        _ = FileDescriptorPoller.Shared; // make sure the loop thread exists, so that its wake-ups can be counted
        string pollerStatus = PollerStatusPath();
        using Socket socket = _lab.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        byte[] payload = RandomBytes(64, 4);
        const int Frames = 1000;

        // One datagram, then one read: the queue goes from empty to non-empty for every frame, an edge each time. A
        // queue registered with the epoll loop would wake its thread about once per frame.
        long before = VoluntaryContextSwitches(pollerStatus);
        for (int i = 0; i < Frames; i++)
        {
            socket.SendTo(payload, new IPEndPoint(Peer4, 5555));
            _ = ReadUntil(tun.Queues[0], f => Packets.IsIpv4(f, Packets.Udp) && BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(22)) == 5555);
        }

        long wakeUps = VoluntaryContextSwitches(pollerStatus) - before;
        Assert.That(wakeUps, Is.LessThan(Frames / 10), "the poller thread woke for frames nobody awaited asynchronously");
    }

    private static string PollerStatusPath()
    {
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == "LinuxNet poller")
                {
                    return Path.Combine(task, "status");
                }
            }
            catch (IOException)
            {
                // the task ended meanwhile
            }
        }

        throw new InvalidOperationException("no 'LinuxNet poller' thread in this process");
    }

    private static long VoluntaryContextSwitches(string statusPath)
        => long.Parse(File.ReadAllLines(statusPath).Single(l => l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))["voluntary_ctxt_switches:".Length..].Trim());

    private TunDevice CreateUp(TunMode mode, TunDeviceOptions? options = null)
    {
        options ??= new TunDeviceOptions();
        options.Name ??= "lnt0";
        options.Mode = mode;
        TunDevice device = TunDevice.Create(options, _lab);
        try
        {
            IpOracle.Run(_lab, "addr", "add", "198.51.100.1/24", "dev", device.Name);
            IpOracle.Run(_lab, "addr", "add", "2001:db8::1/64", "dev", device.Name, "nodad");
            IpOracle.Run(_lab, "link", "set", device.Name, "up");
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static byte[] ReadUntil(TunQueue queue, Func<byte[], bool> match)
    {
        using var timeout = new CancellationTokenSource(Bound);
        byte[] buffer = new byte[queue.Device.MaxFrameSize];
        while (true)
        {
            int n = queue.ReadFrame(buffer, timeout.Token);
            byte[] frame = buffer[..n];
            if (match(frame))
            {
                return frame;
            }
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}

[TestFixture]
[Category("Privileged")]
public class TunPollerNamespaceTests
{
    [Test]
    public void Create_InNamespace_NoLibraryThreadButThePinnedOneLivesThere()
    {
        Privileged.RequireRoot();
        using NetNamespace lab = NetNamespace.CreateAnonymous();

        // The first queue registration (perhaps the process's first) happens on lab's pinned thread, at the first
        // asynchronous read; the shared poller thread must not be born inside lab, or it would keep the namespace
        // alive for the life of the process.
        using var stop = new CancellationTokenSource();
        (TunDevice device, Task<int> read) = lab.Run(() =>
        {
            TunDevice created = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" });
            return (created, created.ReadFrameAsync(new byte[created.MaxFrameSize], stop.Token).AsTask());
        });
        using (TunDevice tun = device)
        {
            Assert.That(read.IsCompleted, Is.False, "nothing was sent, so the read waits on the poller");
            string labLink = $"net:[{lab.Inode}]";
            var inside = new List<string>();
            foreach (string task in Directory.GetDirectories("/proc/self/task"))
            {
                try
                {
                    if (new FileInfo(Path.Combine(task, "ns", "net")).LinkTarget == labLink)
                    {
                        inside.Add(File.ReadAllText(Path.Combine(task, "comm")).Trim());
                    }
                }
                catch (IOException)
                {
                    // the task ended meanwhile
                }
            }

            Assert.That(inside, Has.None.Contains("poller"), $"threads inside the namespace: {string.Join(", ", inside)}");
            stop.Cancel();
            Assert.That(() => read.Wait(TimeSpan.FromSeconds(10)), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        }
    }
}
