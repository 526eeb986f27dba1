using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Tun;

namespace LinuxNet.IntegrationTests.Tun;

/// <summary>
/// End to end through the kernel: frames written into tunA's pipe are IPv4/UDP packets the namespace forwards to
/// tunB, where tunB's pipe reads them back (and the reverse direction at the same time). The kernel rewrites only
/// the TTL and the header checksum, so payload, order and count are checked exactly.
/// </summary>
[TestFixture]
[Category("Privileged")]
public class TunPipeTests
{
    private const int FramesPerDirection = 100_000;
    private const int Window = 256; // frames in flight per direction; the kernel's queue per device holds 500
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private NetNamespace _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = NetNamespace.CreateAnonymous();
        IpOracle.Run(_lab, "link", "set", "lo", "up");
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [TestCase(false, TestName = "Pipe_100000MixedFramesBothDirections_ArriveCompleteAndInOrder")]
    [TestCase(true, TestName = "Pipe_InlineScheduling_100000MixedFramesBothDirections_ArriveCompleteAndInOrder")]
    public async Task Pipe_100000MixedFramesBothDirections(bool inline)
    {
        using TunDevice tunA = TunDevice.Create(new TunDeviceOptions { Name = "lnta" }, _lab);
        using TunDevice tunB = TunDevice.Create(new TunDeviceOptions { Name = "lntb" }, _lab);
        IpOracle.Run(_lab, "addr", "add", "198.51.100.1/24", "dev", "lnta");
        IpOracle.Run(_lab, "addr", "add", "203.0.113.1/24", "dev", "lntb");
        IpOracle.Run(_lab, "link", "set", "lnta", "up");
        IpOracle.Run(_lab, "link", "set", "lntb", "up");
        IpOracle.Execute(_lab, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");

        // Inline: the application's read continuations run on the pumps' thread (the shared poller), its flushes inline.
        TunPipeOptions options = inline ? new TunPipeOptions { ApplicationScheduler = PipeScheduler.Inline } : new TunPipeOptions();
        IDuplexPipe pipeA = tunA.AsPipe(options);
        IDuplexPipe pipeB = tunB.AsPipe(options);
        using var timeout = new CancellationTokenSource(Bound);
        var hostA = IPAddress.Parse("198.51.100.2");
        var hostB = IPAddress.Parse("203.0.113.2");

        var aToB = new Direction(pipeA.Output, pipeB.Input, hostA, hostB, 1111, seed: 1);
        var bToA = new Direction(pipeB.Output, pipeA.Input, hostB, hostA, 2222, seed: 2);
        Task[] all = [aToB.SendAsync(timeout.Token), aToB.ReceiveAsync(timeout.Token), bToA.SendAsync(timeout.Token), bToA.ReceiveAsync(timeout.Token)];
        Task finished = Task.WhenAll(all);
        await Task.WhenAny(finished, Task.Delay(Bound));
        Assert.That(finished.IsCompleted, Is.True, $"bounded run: A->B received {aToB.Received}, B->A received {bToA.Received}");
        await finished;

        Assert.Multiple(() =>
        {
            Assert.That(aToB.Received, Is.EqualTo(FramesPerDirection));
            Assert.That(bToA.Received, Is.EqualTo(FramesPerDirection));
            Assert.That(aToB.Bytes, Is.EqualTo(aToB.SentBytes));
            Assert.That(bToA.Bytes, Is.EqualTo(bToA.SentBytes));
        });

        // Completing the application's sides and disposing the device ends both pumps cleanly.
        await pipeA.Output.CompleteAsync();
        tunA.Dispose();
        ReadResult end = await pipeA.Input.ReadAsync();
        Assert.That(end.IsCompleted, Is.True);
    }

    [Test]
    public async Task Pipe_DeviceDeletedUnderneath_InputCompletesWithError()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnta" }, _lab);
        IDuplexPipe pipe = tun.AsPipe();
        ValueTask<ReadResult> read = pipe.Input.ReadAsync();
        IpOracle.Run(_lab, "link", "del", "dev", "lnta");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.That(
            async () =>
            {
                while (true)
                {
                    ReadResult result = await read;
                    pipe.Input.AdvanceTo(result.Buffer.End);
                    read = pipe.Input.ReadAsync(timeout.Token);
                }
            },
            Throws.InstanceOf<LinuxNetException>().With.Message.Contains("no longer exists"));
    }

    [Test]
    public async Task Pipe_UsoSuperFrameTheKernelRefuses_WrittenAsDatagrams()
    {
        // 300 datagrams in one USO frame: more than the kernel takes (UDP_MAX_SEGMENTS), so the writer pump splits it.
        const int SegmentSize = 200;
        const int Segments = 300;
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnta", VirtioNetHeader = true }, _lab);
        IpOracle.Run(_lab, "addr", "add", "198.51.100.1/24", "dev", "lnta");
        IpOracle.Run(_lab, "link", "set", "lnta", "up");
        using Socket socket = Packets.BurstReceiver(_lab, new IPEndPoint(IPAddress.Parse("198.51.100.1"), 7777), Bound);
        byte[] payload = new byte[SegmentSize * Segments];
        new Random(7).NextBytes(payload);

        IDuplexPipe pipe = tun.AsPipe();
        TunFrame.WriteFrame(pipe.Output, Packets.UdpL4SuperFrame4(IPAddress.Parse("198.51.100.2"), IPAddress.Parse("198.51.100.1"), 4444, 7777, payload, SegmentSize));
        await pipe.Output.FlushAsync();

        byte[] received = new byte[2048];
        for (int i = 0; i < Segments; i++)
        {
            int n = socket.Receive(received);
            Assert.That(received.AsSpan(0, n).SequenceEqual(payload.AsSpan(i * SegmentSize, SegmentSize)), Is.True, $"datagram {i} (in order: one writer, one queue)");
        }
    }

    [Test]
    public void AsPipe_Twice_ThrowsInvalidOperation()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnta" }, _lab);
        _ = tun.AsPipe();
        Assert.That(() => tun.AsPipe(), Throws.InvalidOperationException);
    }

    private sealed class Direction(PipeWriter output, PipeReader input, IPAddress source, IPAddress destination, ushort port, int seed)
    {
        private readonly SemaphoreSlim _window = new(Window);
        private readonly int[] _lengths = MakeLengths(seed);

        public int Received;
        public long Bytes;
        public long SentBytes;

        public async Task SendAsync(CancellationToken cancellationToken)
        {
            byte[] payload = new byte[1500];
            for (int seq = 0; seq < FramesPerDirection; seq++)
            {
                await _window.WaitAsync(cancellationToken);
                int length = _lengths[seq];
                FillPayload(payload.AsSpan(0, length), seq);
                byte[] packet = Packets.Udp4(source, destination, port, port, payload.AsSpan(0, length));
                TunFrame.WriteFrame(output, packet);
                SentBytes += length;
                if (seq % 16 == 15 || seq == FramesPerDirection - 1)
                {
                    await output.FlushAsync(cancellationToken);
                }
            }
        }

        public async Task ReceiveAsync(CancellationToken cancellationToken)
        {
            byte[] expected = new byte[1500];
            byte[] actual = new byte[1600];
            while (Received < FramesPerDirection)
            {
                ReadResult result = await input.ReadAsync(cancellationToken);
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> frame))
                {
                    if (frame.Length > actual.Length)
                    {
                        continue;
                    }

                    frame.CopyTo(actual);
                    var packet = actual.AsSpan(0, (int)frame.Length);
                    if (!Packets.IsIpv4(packet, Packets.Udp) || BinaryPrimitives.ReadUInt16BigEndian(packet[22..]) != port)
                    {
                        continue; // IPv6 router solicitations and the like
                    }

                    int seq = Received;
                    int length = _lengths[seq];
                    FillPayload(expected.AsSpan(0, length), seq);
                    if (packet.Length != 28 + length || !packet[28..].SequenceEqual(expected.AsSpan(0, length)) || packet[8] != 63)
                    {
                        Assert.Fail($"frame {seq}: expected {28 + length} bytes with sequence {seq}, got {packet.Length} bytes with sequence {(packet.Length >= 32 ? BinaryPrimitives.ReadInt32LittleEndian(packet[28..]) : -1)}, TTL {packet[8]}");
                    }

                    Received++;
                    Bytes += length;
                    _window.Release();
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }

        private static int[] MakeLengths(int seed)
        {
            var random = new Random(seed);
            int[] lengths = new int[FramesPerDirection];
            for (int i = 0; i < lengths.Length; i++)
            {
                // Mostly small, some full-size, a few in between: 4 .. 1400 bytes of payload.
                lengths[i] = random.Next(4) switch
                {
                    0 => 4 + random.Next(60),
                    1 => 1400,
                    _ => 4 + random.Next(1397),
                };
            }

            return lengths;
        }

        private static void FillPayload(Span<byte> payload, int seq)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload, seq);
            for (int i = 4; i < payload.Length; i++)
            {
                payload[i] = (byte)(seq * 31 + i);
            }
        }
    }
}
