using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Udp;

namespace LinuxNet.IntegrationTests.Udp;

/// <summary>
/// <see cref="UdpBatchSocket"/> between two namespaces over veth. The independent side of each test is a plain
/// <see cref="Socket"/> where one fits: what GSO sends must arrive as ordinary datagrams.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class UdpBatchSocketTests
{
    private UdpLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = new UdpLab();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    private static byte[] Pattern(int length, int seed)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)((i * 7) + seed);
        }

        return data;
    }

    /// <summary>A plain socket in B, bound to port 0; receives with a bounded timeout.</summary>
    private Socket PlainReceiver(bool v6)
    {
        return _lab.B.Run(() =>
        {
            var socket = new Socket(v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            {
                ReceiveTimeout = 5000,
                ReceiveBufferSize = 4 << 20,
            };
            socket.Bind(new IPEndPoint(UdpLab.AddressOfB(v6), 0));
            return socket;
        });
    }

    private static List<byte[]> ReceiveAll(Socket socket, int count)
    {
        var received = new List<byte[]>();
        byte[] buffer = new byte[65535];
        EndPoint from = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (received.Count < count)
        {
            int n = socket.ReceiveFrom(buffer, ref from);
            received.Add(buffer.AsSpan(0, n).ToArray());
        }

        return received;
    }

    [TestCase(false, 1000, 10_500)]
    [TestCase(true, 1000, 10_500)]
    [TestCase(false, 1400, 64 * 1024 - 100)]
    [TestCase(true, 1232, 30_000)]
    [TestCase(false, 1, 50)]
    public void Send_GsoRun_ArrivesAsSegmentsWithLastShort(bool v6, int segmentSize, int length)
    {
        using Socket receiver = PlainReceiver(v6);
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.AddressOfA(v6), 0), _lab.A, null);
        using var batch = new UdpBatch(4);
        byte[] payload = Pattern(length, 3);
        batch.Add(payload, (IPEndPoint)receiver.LocalEndPoint!, segmentSize);

        int sent = sender.Send(batch);

        int expected = (length + segmentSize - 1) / segmentSize;
        Assert.That(sent, Is.EqualTo(expected));
        List<byte[]> datagrams = ReceiveAll(receiver, expected);
        Assert.Multiple(() =>
        {
            Assert.That(datagrams.Take(expected - 1).Select(d => d.Length), Is.All.EqualTo(segmentSize));
            Assert.That(datagrams[^1].Length, Is.EqualTo(length - ((expected - 1) * segmentSize)));
            Assert.That(datagrams.SelectMany(d => d).ToArray(), Is.EqualTo(payload));
            Assert.That(sender.IsSegmentationOffloadEnabled, Is.True);
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Receive_WithGro_GetsCoalescedRunWithSegmentSizeAndSender(bool v6)
    {
        using UdpBatchSocket receiver = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.AddressOfB(v6), 0), _lab.B, new UdpBatchSocketOptions { ReceiveOffload = true });
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.AddressOfA(v6), 0), _lab.A, null);
        Assert.That(receiver.IsReceiveOffloadEnabled, Is.True);
        using var outgoing = new UdpBatch(2);
        byte[] payload = Pattern(20 * 1200 + 345, 9);
        outgoing.Add(payload, receiver.LocalEndPoint, 1200);
        sender.Send(outgoing);

        using var incoming = new UdpBatch(8);
        var received = new List<byte>();
        int datagrams = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (received.Count < payload.Length)
        {
            int n = receiver.Receive(incoming, timeout.Token);
            for (int i = 0; i < n; i++)
            {
                Assert.That(incoming.GetSegmentSize(i), Is.EqualTo(1200).Or.Zero);
                Assert.That(incoming.GetRemoteEndPoint(i), Is.EqualTo(sender.LocalEndPoint));
                Assert.That(incoming.GetRemotePort(i), Is.EqualTo(sender.LocalEndPoint.Port));
                received.AddRange(incoming.GetDatagram(i).ToArray());
                datagrams += incoming.GetSegmentCount(i);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(received.ToArray(), Is.EqualTo(payload));
            Assert.That(datagrams, Is.EqualTo(21));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Send_Unconnected_EachDatagramGoesToItsOwnAddress(bool v6)
    {
        using UdpBatchSocket first = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.AddressOfB(v6), 0), _lab.B, null);
        using UdpBatchSocket second = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.AddressOfB(v6), 0), _lab.B, null);
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, 0), _lab.A, null);
        using var batch = new UdpBatch(10, 1500);
        for (int i = 0; i < 10; i++)
        {
            batch.Add(Pattern(100 + i, i), i % 2 == 0 ? first.LocalEndPoint : second.LocalEndPoint);
        }

        Assert.That(sender.Send(batch), Is.EqualTo(10));

        using var incoming = new UdpBatch(16, 1500);
        foreach ((UdpBatchSocket socket, int parity) in new[] { (first, 0), (second, 1) })
        {
            var lengths = new List<int>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (lengths.Count < 5)
            {
                int n = socket.Receive(incoming, timeout.Token);
                for (int i = 0; i < n; i++)
                {
                    int index = incoming.GetLength(i) - 100;
                    Assert.That(incoming.GetDatagram(i).ToArray(), Is.EqualTo(Pattern(100 + index, index)));
                    Assert.That(incoming.GetRemoteEndPoint(i)!.Address, Is.EqualTo(UdpLab.AddressOfA(v6)));
                    lengths.Add(index);
                }
            }

            Assert.That(lengths, Is.EqualTo(Enumerable.Range(0, 10).Where(i => i % 2 == parity)));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task SendAsync_Connected_ReceiveAsyncGetsEveryDatagram(bool v6)
    {
        using UdpBatchSocket receiver = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.AddressOfB(v6), 0), _lab.B, null);
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.AddressOfA(v6), 0), _lab.A, null);
        sender.Connect(receiver.LocalEndPoint);
        receiver.Connect(sender.LocalEndPoint);
        Assert.That(sender.RemoteEndPoint, Is.EqualTo(receiver.LocalEndPoint));

        using var incoming = new UdpBatch(64, 2000);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ValueTask<int> pending = receiver.ReceiveAsync(incoming, timeout.Token);
        Assert.That(pending.IsCompleted, Is.False, "nothing sent yet");

        using var outgoing = new UdpBatch(32, 2000);
        for (int i = 0; i < 32; i++)
        {
            outgoing.Add(Pattern(1000, i), segmentSize: i == 31 ? 300 : 0);
        }

        int sent = await sender.SendAsync(outgoing, timeout.Token);
        Assert.That(sent, Is.EqualTo(31 + 4));

        int total = 0;
        int n = await pending;
        while (true)
        {
            total += n;
            if (total >= 35)
            {
                break;
            }

            n = await receiver.ReceiveAsync(incoming, timeout.Token);
        }

        Assert.That(total, Is.EqualTo(35));
    }

    /// <remarks>
    /// Before Linux 6.11 the kernel refused GSO through a device without transmit checksum offload with EIO, and the
    /// socket must fall back to plain datagrams (logged once, offload off). Since 6.11 ("udp: Allow GSO transmit from
    /// devices with no checksum offload") it checksums in software and takes the run. Either way every datagram must
    /// arrive intact, and the log and <see cref="UdpBatchSocket.IsSegmentationOffloadEnabled"/> must agree with what
    /// the kernel did. (The remaining EIO cases, UDP-Lite and IPsec routes, are not available here: no ESP/AH.)
    /// </remarks>
    [Test]
    public void Send_TransmitChecksumOff_EveryDatagramArrivesAndAnEioFallbackIsLoggedOnce()
    {
        _lab.DisableTransmitChecksumOnA();
        var log = new CapturingLoggerFactory();
        using Socket receiver = PlainReceiver(v6: false);
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.A4, 0), _lab.A, new UdpBatchSocketOptions { LoggerFactory = log });
        using var batch = new UdpBatch(3);
        byte[] first = Pattern(5000, 1), second = Pattern(3001, 2);
        batch.Add(first, (IPEndPoint)receiver.LocalEndPoint!, 1000);
        batch.Add(Pattern(77, 5), (IPEndPoint)receiver.LocalEndPoint!);
        batch.Add(second, (IPEndPoint)receiver.LocalEndPoint!, 1000);

        Assert.That(sender.Send(batch), Is.EqualTo(5 + 1 + 4));
        sender.Send(batch);

        List<byte[]> datagrams = ReceiveAll(receiver, 20);
        byte[][] expected = [.. first.Chunk(1000), Pattern(77, 5), .. second.Chunk(1000)];
        Assert.Multiple(() =>
        {
            Assert.That(datagrams, Is.EqualTo(expected.Concat(expected)));
            Assert.That(log.Entries.Count(e => e.Id == 1402), Is.EqualTo(sender.IsSegmentationOffloadEnabled ? 0 : 1));
        });
    }

    [Test]
    public void Send_MoreSegmentsThanTheKernelTakes_SentAsSeparateDatagrams()
    {
        var log = new CapturingLoggerFactory();
        using Socket receiver = PlainReceiver(v6: false);
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.A4, 0), _lab.A, new UdpBatchSocketOptions { LoggerFactory = log });
        using var batch = new UdpBatch(1);
        byte[] payload = Pattern(300 * 100, 4); // 300 segments: above UDP_MAX_SEGMENTS (64, or 128 on newer kernels)
        batch.Add(payload, (IPEndPoint)receiver.LocalEndPoint!, 100);

        Assert.That(sender.Send(batch), Is.EqualTo(300));

        List<byte[]> datagrams = ReceiveAll(receiver, 300);
        Assert.Multiple(() =>
        {
            Assert.That(datagrams.Select(d => d.Length), Is.All.EqualTo(100));
            Assert.That(datagrams.SelectMany(d => d).ToArray(), Is.EqualTo(payload));
            Assert.That(sender.IsSegmentationOffloadEnabled, Is.True, "EINVAL refuses one run, not the offload");
            Assert.That(log.Entries.Count(e => e.Id == 1403), Is.EqualTo(1));
        });
    }

    [Test]
    public void Send_BadInput_ThrowsBeforeAnySyscall()
    {
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.A4, 0), _lab.A, null);
        using var batch = new UdpBatch(2, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(() => batch.SetSegmentSize(0, 65_508), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.SetSegmentSize(0, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.Add(new byte[10], segmentSize: 70_000), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.Add(new byte[1001]), Throws.ArgumentException.With.Message.Contains("1000"));
            Assert.That(() => batch.Count = 3, Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new UdpBatch(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new UdpBatch(1, 65536), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.GetBuffer(2), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });

        batch.Add(new byte[10]);
        Assert.That(() => sender.Send(batch), Throws.ArgumentException.With.Message.Contains("not connected"));
        batch.Clear();
        batch.Add(new byte[10], new IPEndPoint(UdpLab.B4, 9));
        batch.Add(new byte[10], new IPEndPoint(UdpLab.B6, 9));
        Assert.That(() => sender.Send(batch), Throws.ArgumentException.With.Message.Contains("IPv6"));
        Assert.That(() => UdpBatchSocket.Bind(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Receive_DisposedOrCanceledWhileWaiting_EndsPromptly()
    {
        using UdpBatchSocket receiver = UdpBatchSocket.Bind(new IPEndPoint(UdpLab.B4, 0), _lab.B, null);
        using var batch = new UdpBatch(4);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.That(() => receiver.Receive(batch, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await receiver.ReceiveAsync(batch, new CancellationTokenSource(100).Token), Throws.InstanceOf<OperationCanceledException>());

        var blocked = Task.Run(() => receiver.Receive(batch));
        Thread.Sleep(100);
        receiver.Dispose();
        Assert.That(
            async () => await blocked.WaitAsync(TimeSpan.FromSeconds(2)),
            Throws.InstanceOf<ObjectDisposedException>().With.Message.Contains(nameof(UdpBatchSocket)));
    }
}
