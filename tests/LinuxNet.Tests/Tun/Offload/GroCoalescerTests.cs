using System.Buffers.Binary;
using LinuxNet.Tun.Offload;

namespace LinuxNet.Tests.Tun.Offload;

public class GroCoalescerTests
{
    private static IEnumerable<TestCaseData> RoundTripCases()
    {
        // v6, payload, gso_size, tcp options, last flags, header size
        yield return new TestCaseData(false, 1448 * 10, 1448, 12, OffloadPackets.Ack, 10).SetName("IPv4 equal segments");
        yield return new TestCaseData(false, (1448 * 10) + 7, 1448, 12, (byte)(OffloadPackets.Ack | OffloadPackets.Psh), 10).SetName("IPv4 short last with PSH");
        yield return new TestCaseData(false, 65535 - 52, 1448, 12, (byte)(OffloadPackets.Ack | OffloadPackets.Psh), 12).SetName("IPv4 64 KiB, 12-byte header");
        yield return new TestCaseData(true, 1428 * 30, 1428, 12, OffloadPackets.Ack, 10).SetName("IPv6 equal segments");
        yield return new TestCaseData(true, 65535 - 40 - 32, 1000, 12, (byte)(OffloadPackets.Ack | OffloadPackets.Psh), 10).SetName("IPv6 64 KiB");
        yield return new TestCaseData(true, 2500, 1220, 0, OffloadPackets.Ack, 10).SetName("IPv6 three segments, no options");
    }

    [TestCaseSource(nameof(RoundTripCases))]
    public void Flush_SplitSuperFrame_ReturnsOriginalSuperFrame(bool v6, int payloadLength, int gsoSize, int tcpOptions, byte flags, int headerSize)
    {
        byte[] packet = OffloadPackets.Tcp(v6, OffloadPackets.Sequence, flags, OffloadPackets.Payload(payloadLength, 3), tcpOptions: tcpOptions, partial: true);
        VirtioNetHeader header = OffloadPackets.GsoHeader(packet, v6 ? VirtioNetGsoType.TcpV6 : VirtioNetGsoType.TcpV4, (ushort)gsoSize);
        byte[] original = OffloadPackets.Frame(header, packet, headerSize);
        byte[][] segments = Split(header, packet);
        var gro = new GroCoalescer(headerSize);

        var results = segments.Select(s => gro.Add(s)).ToList();
        int pending = gro.PendingSegmentCount;
        byte[] frame = gro.Flush().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.All.EqualTo(GroAddResult.Added));
            Assert.That(pending, Is.EqualTo(segments.Length));
            Assert.That(VirtioNetHeader.Read(frame, headerSize), Is.EqualTo(header));
            Assert.That(frame, Is.EqualTo(original), "the coalesced frame is the super-frame the splitter started from");
            Assert.That(gro.HasPending, Is.False);
        });
    }

    [Test]
    public void Flush_CoalescedFrame_SplitsBackIntoTheSamePackets()
    {
        // Kernel-accepted form check: what the coalescer emits is what a TUN read would deliver, so it must split
        // back into valid packets byte-identical to the ones added.
        byte[][] packets = Enumerable.Range(0, 20)
            .Select(i => OffloadPackets.Tcp(false, (uint)(1000 + (i * 1300)), OffloadPackets.Ack, OffloadPackets.Payload(1300, i), tcpOptions: 12, id: (ushort)(77 + i)))
            .ToArray();
        var gro = new GroCoalescer();
        foreach (byte[] p in packets)
        {
            Assert.That(gro.Add(p), Is.EqualTo(GroAddResult.Added));
        }

        byte[] frame = gro.Flush().ToArray();
        VirtioNetHeader header = VirtioNetHeader.Read(frame);
        byte[][] again = Split(header, frame[VirtioNetHeader.Size..]);

        Assert.Multiple(() =>
        {
            Assert.That(header.Flags, Is.EqualTo(VirtioNetHeaderFlags.NeedsChecksum));
            Assert.That(header.GsoType, Is.EqualTo(VirtioNetGsoType.TcpV4));
            Assert.That(header.GsoSize, Is.EqualTo(1300));
            Assert.That(header.HeaderLength, Is.EqualTo(52));
            Assert.That(header.ChecksumStart, Is.EqualTo(20));
            Assert.That(header.ChecksumOffset, Is.EqualTo(16));
            Assert.That(again, Is.EqualTo(packets), "IPv4 ids increment from the first packet's, as in the input");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Flush_CoalescedUdpFlow_UsoFrameSplitsBackIntoTheSameDatagrams(bool v6)
    {
        byte[][] packets = [.. Enumerable.Range(0, 9).Select(i => OffloadPackets.Udp(v6, OffloadPackets.Payload(1200, i))), OffloadPackets.Udp(v6, OffloadPackets.Payload(333, 9))];
        var gro = new GroCoalescer { CoalesceUdp = true };
        foreach (byte[] p in packets)
        {
            Assert.That(gro.Add(p), Is.EqualTo(GroAddResult.Added));
        }

        Assert.That(gro.Add(packets[0]), Is.EqualTo(GroAddResult.FlushRequired), "the short datagram ended the frame");
        byte[] frame = gro.Flush().ToArray();
        VirtioNetHeader header = VirtioNetHeader.Read(frame);
        byte[][] again = Split(header, frame[VirtioNetHeader.Size..]);
        int ip = v6 ? 40 : 20;

        Assert.Multiple(() =>
        {
            Assert.That(header.GsoType, Is.EqualTo(VirtioNetGsoType.UdpL4));
            Assert.That(header.Flags, Is.EqualTo(VirtioNetHeaderFlags.NeedsChecksum));
            Assert.That(header.GsoSize, Is.EqualTo(1200));
            Assert.That(header.HeaderLength, Is.EqualTo(ip + 8));
            Assert.That(header.ChecksumStart, Is.EqualTo(ip));
            Assert.That(header.ChecksumOffset, Is.EqualTo(6));
            Assert.That(again.Select(p => p[ip..]), Is.EqualTo(packets.Select(p => p[ip..])), "UDP headers (lengths, checksums) and payloads byte for byte");
            Assert.That(again.All(p => OffloadPackets.TransportChecksumValid(p)), Is.True);
            Assert.That(v6 || again.All(p => OffloadPackets.IPv4HeaderChecksumValid(p)), Is.True);
        });
    }

    [Test]
    public void Add_UdpWithoutCoalesceUdp_NotCoalescable()
    {
        var gro = new GroCoalescer();
        byte[] udp = OffloadPackets.Udp(false, OffloadPackets.Payload(100, 1));
        Assert.That(gro.Add(udp), Is.EqualTo(GroAddResult.NotCoalescable));
        gro.CoalesceUdp = true;
        gro.CoalesceTcp = false;
        Assert.Multiple(() =>
        {
            Assert.That(gro.Add(OffloadPackets.Tcp(false, 1, OffloadPackets.Ack, OffloadPackets.Payload(100, 1))), Is.EqualTo(GroAddResult.NotCoalescable));
            Assert.That(gro.Add(Mutate(udp, 30, 0x55)), Is.EqualTo(GroAddResult.NotCoalescable), "a bad UDP checksum is refused");
        });
    }

    [Test]
    public void Flush_SinglePacket_WritesNoneHeaderAndPacketUnchanged()
    {
        byte[] packet = OffloadPackets.Tcp(true, 5, OffloadPackets.Ack, OffloadPackets.Payload(900, 1));
        var gro = new GroCoalescer();

        GroAddResult result = gro.Add(packet);
        byte[] frame = gro.Flush().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(GroAddResult.Added));
            Assert.That(frame[..10], Is.All.EqualTo(0));
            Assert.That(frame[10..], Is.EqualTo(packet));
        });
    }

    [Test]
    public void Add_TwoInterleavedFlows_NeverMerged()
    {
        var gro = new GroCoalescer();
        byte[] a1 = OffloadPackets.Tcp(false, 0, OffloadPackets.Ack, OffloadPackets.Payload(1000, 1));
        byte[] b1 = OffloadPackets.Tcp(false, 0, OffloadPackets.Ack, OffloadPackets.Payload(1000, 2), sourcePort: 40001);
        byte[] a2 = OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, OffloadPackets.Payload(1000, 3));

        GroAddResult first = gro.Add(a1);
        GroAddResult second = gro.Add(b1);
        byte[] flushed = gro.Flush().ToArray();
        GroAddResult third = gro.Add(b1);
        GroAddResult fourth = gro.Add(a2);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(GroAddResult.Added));
            Assert.That(second, Is.EqualTo(GroAddResult.FlushRequired));
            Assert.That(flushed[10..], Is.EqualTo(a1));
            Assert.That(third, Is.EqualTo(GroAddResult.Added));
            Assert.That(fourth, Is.EqualTo(GroAddResult.FlushRequired));
        });
    }

    public delegate byte[] Variant(byte[] payload);

    private static IEnumerable<TestCaseData> NonContinuingCases()
    {
        static TestCaseData Case(string name, Variant make) => new TestCaseData(make).SetName(name);
        yield return Case("sequence gap", p => OffloadPackets.Tcp(false, 1001, OffloadPackets.Ack, p, tcpOptions: 12));
        yield return Case("retransmission", p => OffloadPackets.Tcp(false, 0, OffloadPackets.Ack, p, tcpOptions: 12));
        yield return Case("different options length", p => OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 8));
        yield return Case("other destination port", p => OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 12, destinationPort: 1));
        yield return Case("other address family", p => OffloadPackets.Tcp(true, 1000, OffloadPackets.Ack, p, tcpOptions: 12));
        yield return Case("larger than gso_size", p => OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, [.. p, 1], tcpOptions: 12));
        yield return Case("different options bytes", p => Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 12), 20 + 30, 0x99, fixChecksums: true));
        yield return Case("different ack number", p => Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 12), 20 + 11, 0x99, fixChecksums: true));
        yield return Case("different window", p => Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 12), 20 + 15, 0x99, fixChecksums: true));
        yield return Case("different TTL", p => Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 12), 8, 63, fixChecksums: true));
        yield return Case("different TOS", p => Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 12), 1, 0, fixChecksums: true));
        yield return Case("different source address", p => Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, p, tcpOptions: 12), 15, 2, fixChecksums: true));
    }

    [TestCaseSource(nameof(NonContinuingCases))]
    public void Add_PacketNotContinuingTheFlow_RequiresFlush(Variant make)
    {
        var gro = new GroCoalescer();
        Assume.That(gro.Add(OffloadPackets.Tcp(false, 0, OffloadPackets.Ack, OffloadPackets.Payload(1000, 1), tcpOptions: 12)), Is.EqualTo(GroAddResult.Added));
        byte[] next = make(OffloadPackets.Payload(1000, 2));

        GroAddResult result = gro.Add(next);
        gro.Flush();
        GroAddResult alone = gro.Add(next);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(GroAddResult.FlushRequired));
            Assert.That(alone, Is.EqualTo(GroAddResult.Added), "on its own, the packet is coalescable");
        });
    }

    [Test]
    public void Add_AfterShortOrPshSegment_RequiresFlush()
    {
        var gro = new GroCoalescer();
        gro.Add(OffloadPackets.Tcp(false, 0, OffloadPackets.Ack, OffloadPackets.Payload(1000, 1)));
        GroAddResult shortOne = gro.Add(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, OffloadPackets.Payload(500, 1)));
        GroAddResult afterShort = gro.Add(OffloadPackets.Tcp(false, 1500, OffloadPackets.Ack, OffloadPackets.Payload(500, 1)));
        gro.Flush();
        gro.Add(OffloadPackets.Tcp(false, 0, OffloadPackets.Ack, OffloadPackets.Payload(1000, 1)));
        GroAddResult push = gro.Add(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack | OffloadPackets.Psh, OffloadPackets.Payload(1000, 1)));
        GroAddResult afterPush = gro.Add(OffloadPackets.Tcp(false, 2000, OffloadPackets.Ack, OffloadPackets.Payload(1000, 1)));
        ReadOnlySpan<byte> frame = gro.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(shortOne, Is.EqualTo(GroAddResult.Added));
            Assert.That(afterShort, Is.EqualTo(GroAddResult.FlushRequired));
            Assert.That(push, Is.EqualTo(GroAddResult.Added));
            Assert.That(afterPush, Is.EqualTo(GroAddResult.FlushRequired));
        });
        Assert.That(frame[10 + 20 + 13], Is.EqualTo(OffloadPackets.Ack | OffloadPackets.Psh), "PSH of the last segment is kept");
    }

    private static IEnumerable<TestCaseData> NotCoalescableCases()
    {
        static TestCaseData Case(string name, byte[] packet) => new TestCaseData(packet).SetName(name);
        byte[] payload = OffloadPackets.Payload(1000, 4);
        yield return Case("UDP", OffloadPackets.Udp(false, payload));
        yield return Case("pure ACK", OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, []));
        yield return Case("SYN", OffloadPackets.Tcp(false, 1000, OffloadPackets.Syn | OffloadPackets.Ack, payload));
        yield return Case("FIN", OffloadPackets.Tcp(false, 1000, OffloadPackets.Fin | OffloadPackets.Ack, payload));
        yield return Case("RST", OffloadPackets.Tcp(false, 1000, OffloadPackets.Rst | OffloadPackets.Ack, payload));
        yield return Case("CWR", OffloadPackets.Tcp(false, 1000, OffloadPackets.Cwr | OffloadPackets.Ack, payload));
        yield return Case("no ACK", OffloadPackets.Tcp(false, 1000, OffloadPackets.Psh, payload));
        yield return Case("IPv4 options", OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, payload, ipOptions: 4));
        yield return Case("IPv4 fragment", Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, payload), 6, 0x20, fixChecksums: true));
        yield return Case("bad TCP checksum", Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, payload), 500, 0));
        yield return Case("bad IPv4 header checksum", Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, payload), 10, 0));
        yield return Case("IPv6 extension header", Mutate(OffloadPackets.Tcp(true, 1000, OffloadPackets.Ack, payload), 6, 0));
        yield return Case("trailing bytes", [.. OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, payload), 0]);
        yield return Case("truncated", OffloadPackets.Tcp(true, 1000, OffloadPackets.Ack, payload)[..100]);
        yield return Case("tiny", new byte[] { 0x45, 0 });
        yield return Case("empty", Array.Empty<byte>());
    }

    [TestCaseSource(nameof(NotCoalescableCases))]
    public void Add_PacketThatCannotBeCoalesced_NotCoalescableAndPendingKept(byte[] packet)
    {
        var gro = new GroCoalescer();
        byte[] pending = OffloadPackets.Tcp(false, 0, OffloadPackets.Ack, OffloadPackets.Payload(1000, 1));
        gro.Add(pending);

        GroAddResult result = gro.Add(packet);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(GroAddResult.NotCoalescable));
            Assert.That(gro.PendingSegmentCount, Is.EqualTo(1));
        });
        Assert.That(gro.Flush().Slice(10).ToArray(), Is.EqualTo(pending));
    }

    [Test]
    public void Add_VerifyChecksumsOff_AcceptsBadChecksum()
    {
        var gro = new GroCoalescer { VerifyChecksums = false };

        GroAddResult result = gro.Add(Mutate(OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, OffloadPackets.Payload(100, 1)), 100, 0));

        Assert.That(result, Is.EqualTo(GroAddResult.Added));
    }

    [TestCase(65535)]
    [TestCase(9000)]
    public void Add_ManySegments_FramesNeverExceedTheCapAndKeepEveryByte(int maxPacketLength)
    {
        const int count = 200;
        const int size = 1448;
        var gro = new GroCoalescer(maxPacketLength: maxPacketLength);
        var frames = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            byte[] packet = OffloadPackets.Tcp(false, (uint)(i * size), OffloadPackets.Ack, OffloadPackets.Payload(size, i), tcpOptions: 12);
            GroAddResult result = gro.Add(packet);
            if (result == GroAddResult.FlushRequired)
            {
                frames.Add(gro.Flush().ToArray());
                result = gro.Add(packet);
            }

            Assert.That(result, Is.EqualTo(GroAddResult.Added));
        }

        frames.Add(gro.Flush().ToArray());
        int perFrame = (maxPacketLength - 52) / size;

        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.Length - 10), Is.All.LessThanOrEqualTo(maxPacketLength));
            Assert.That(frames.Select(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12))), Is.EqualTo(frames.Select(f => f.Length - 10)), "IPv4 total length");
            Assert.That(frames.Take(frames.Count - 1).Select(f => (f.Length - 10 - 52) / size), Is.All.EqualTo(perFrame), "frames are filled up to the cap");
            Assert.That(frames.Sum(f => f.Length - 10 - 52), Is.EqualTo(count * size));
        });
    }

    [Test]
    public void WritePassThrough_Packet_NoneHeaderThenPacket()
    {
        byte[] packet = OffloadPackets.Udp(true, OffloadPackets.Payload(50, 1));
        byte[] frame = new byte[200];
        frame.AsSpan().Fill(0xEE);

        int length = GroCoalescer.WritePassThrough(packet, frame, VirtioNetHeader.SizeWithNumBuffers);

        Assert.Multiple(() =>
        {
            Assert.That(length, Is.EqualTo(12 + packet.Length));
            Assert.That(frame[..12], Is.All.EqualTo(0));
            Assert.That(frame[12..length], Is.EqualTo(packet));
            Assert.That(() => GroCoalescer.WritePassThrough(packet, new byte[packet.Length], 10), Throws.ArgumentException);
        });
    }

    [Test]
    public void FlushAndConstructor_InvalidUse_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new GroCoalescer().Flush().Length, Throws.InvalidOperationException);
            Assert.That(() => new GroCoalescer(9), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new GroCoalescer(maxPacketLength: 65536), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void AddAndFlush_SteadyState_AllocatesNothing()
    {
        byte[][] packets = Enumerable.Range(0, 45)
            .Select(i => OffloadPackets.Tcp(true, (uint)(i * 1440), OffloadPackets.Ack, OffloadPackets.Payload(1440, i), tcpOptions: 12))
            .ToArray();
        var gro = new GroCoalescer();
        Run(gro, packets);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Run(gro, packets);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);

        static void Run(GroCoalescer gro, byte[][] packets)
        {
            foreach (byte[] p in packets)
            {
                if (gro.Add(p) == GroAddResult.FlushRequired)
                {
                    gro.Flush();
                    gro.Add(p);
                }
            }

            gro.Flush();
        }
    }

    private static byte[] Mutate(byte[] packet, int offset, byte value, bool fixChecksums = false)
    {
        packet[offset] = value;
        if (fixChecksums)
        {
            OffloadPackets.FixChecksums(packet);
        }

        return packet;
    }

    private static byte[][] Split(VirtioNetHeader header, byte[] packet)
    {
        GsoSplitter splitter = GsoSplitter.Create(header, packet);
        var segments = new byte[splitter.SegmentCount][];
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = new byte[splitter.GetSegmentLength(i)];
            splitter.WriteSegment(i, segments[i]);
        }

        return segments;
    }
}
