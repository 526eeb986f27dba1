using System.Buffers.Binary;
using LinuxNet.Tun.Offload;

namespace LinuxNet.Tests.Tun.Offload;

public class GsoSplitterTests
{
    private static IEnumerable<TestCaseData> TcpCases()
    {
        // v6, payload, gso_size, ip options, tcp options
        yield return new TestCaseData(false, 1448 * 5, 1448, 0, 0).SetName("TCPv4 5 full segments");
        yield return new TestCaseData(false, (1448 * 5) + 100, 1448, 0, 12).SetName("TCPv4 short last segment, timestamps");
        yield return new TestCaseData(false, 65535 - 28 - 32, 1448, 8, 12).SetName("TCPv4 64 KiB with IP options");
        yield return new TestCaseData(false, 500, 1448, 0, 0).SetName("TCPv4 one segment");
        yield return new TestCaseData(true, 1440 * 45, 1440, 0, 12).SetName("TCPv6 45 segments");
        yield return new TestCaseData(true, 65535 - 32, 1000, 0, 12).SetName("TCPv6 64 KiB");
        yield return new TestCaseData(true, 7, 1, 0, 0).SetName("TCPv6 gso_size 1");
    }

    [TestCaseSource(nameof(TcpCases))]
    public void WriteSegment_TcpSuperFrame_ProducesValidContiguousSegments(bool v6, int payloadLength, int gsoSize, int ipOptions, int tcpOptions)
    {
        byte[] payload = OffloadPackets.Payload(payloadLength, payloadLength);
        const byte flags = OffloadPackets.Ack | OffloadPackets.Psh | OffloadPackets.Fin | OffloadPackets.Cwr | OffloadPackets.Ece;
        byte[] packet = OffloadPackets.Tcp(v6, OffloadPackets.Sequence, flags, payload, ipOptions, tcpOptions, partial: true);
        VirtioNetHeader header = OffloadPackets.GsoHeader(packet, v6 ? VirtioNetGsoType.TcpV6 : VirtioNetGsoType.TcpV4 | VirtioNetGsoType.Ecn, (ushort)gsoSize);
        int ihl = v6 ? 40 : 20 + ipOptions;
        int headers = ihl + 20 + tcpOptions;

        GsoSplitter splitter = GsoSplitter.Create(header, packet);
        int count = splitter.SegmentCount;
        int expectedCount = (payloadLength + gsoSize - 1) / gsoSize;
        byte[] segment = new byte[splitter.MaxSegmentLength];
        int payloadSeen = 0;
        var failures = new List<string>();
        for (int i = 0; i < count; i++)
        {
            int length = splitter.WriteSegment(i, segment);
            ReadOnlySpan<byte> s = segment.AsSpan(0, length);
            bool last = i == count - 1;
            int segmentPayload = length - headers;
            void Check(bool ok, string what)
            {
                if (!ok)
                {
                    failures.Add($"segment {i}: {what}");
                }
            }

            Check(length == splitter.GetSegmentLength(i), "length differs from GetSegmentLength");
            Check(segmentPayload == (last ? payloadLength - (gsoSize * i) : gsoSize), $"payload length {segmentPayload}");
            Check(s.Slice(0, ihl).SequenceEqual(ExpectedIpHeader(packet, ihl, v6, length, i)), "IP header");
            if (!v6)
            {
                Check(OffloadPackets.IPv4HeaderChecksumValid(s), "IPv4 header checksum");
            }

            Check(OffloadPackets.TransportChecksumValid(s), "TCP checksum");
            Check(BinaryPrimitives.ReadUInt32BigEndian(s.Slice(ihl + 4)) == unchecked(OffloadPackets.Sequence + (uint)(gsoSize * i)), "sequence number");
            byte expectedFlags = OffloadPackets.Ack | OffloadPackets.Ece;
            expectedFlags |= last ? (byte)(OffloadPackets.Psh | OffloadPackets.Fin) : (byte)0;
            expectedFlags |= i == 0 ? OffloadPackets.Cwr : (byte)0;
            Check(s[ihl + 13] == expectedFlags, $"flags {s[ihl + 13]:x2}");
            Check(s.Slice(ihl, 4).SequenceEqual(packet.AsSpan(ihl, 4)) && s.Slice(ihl + 8, 5).SequenceEqual(packet.AsSpan(ihl + 8, 5)) &&
                s.Slice(ihl + 14, 2).SequenceEqual(packet.AsSpan(ihl + 14, 2)) && s.Slice(ihl + 18, headers - ihl - 18).SequenceEqual(packet.AsSpan(ihl + 18, headers - ihl - 18)),
                "ports, ack, window, urgent pointer and options copied");
            Check(s.Slice(headers).SequenceEqual(payload.AsSpan(payloadSeen, segmentPayload)), "payload bytes");
            payloadSeen += segmentPayload;
        }

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(expectedCount));
            Assert.That(payloadSeen, Is.EqualTo(payloadLength));
            Assert.That(failures, Is.Empty);
        });
    }

    [Test]
    public void WriteSegments_PacksSegmentsBackToBack_SameAsWriteSegment()
    {
        byte[] packet = OffloadPackets.Tcp(false, 1000, OffloadPackets.Ack, OffloadPackets.Payload(10_000, 1), partial: true);
        GsoSplitter splitter = GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1400), packet);
        byte[] all = new byte[splitter.TotalLength];
        int[] lengths = new int[splitter.SegmentCount];

        int count = splitter.WriteSegments(all, lengths);

        int offset = 0;
        byte[] one = new byte[splitter.MaxSegmentLength];
        for (int i = 0; i < count; i++)
        {
            int n = splitter.WriteSegment(i, one);
            Assert.That(all.AsSpan(offset, lengths[i]).SequenceEqual(one.AsSpan(0, n)), Is.True, $"segment {i}");
            offset += lengths[i];
        }

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(8));
            Assert.That(offset, Is.EqualTo(all.Length));
        });
    }

    [TestCase(false, 1200 * 4, 1200)]
    [TestCase(false, (1200 * 4) + 1, 1200)]
    [TestCase(true, 1232 * 50, 1232)]
    public void WriteSegment_UdpL4SuperFrame_EachDatagramHasLengthAndChecksum(bool v6, int payloadLength, int gsoSize)
    {
        byte[] payload = OffloadPackets.Payload(payloadLength, 11);
        byte[] packet = OffloadPackets.Udp(v6, payload, partial: true);
        GsoSplitter splitter = GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.UdpL4, (ushort)gsoSize), packet);
        int ihl = v6 ? 40 : 20;
        byte[] segment = new byte[splitter.MaxSegmentLength];
        var failures = new List<string>();
        int seen = 0;
        for (int i = 0; i < splitter.SegmentCount; i++)
        {
            int length = splitter.WriteSegment(i, segment);
            ReadOnlySpan<byte> s = segment.AsSpan(0, length);
            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(ihl + 4));
            if (udpLength != length - ihl || !OffloadPackets.TransportChecksumValid(s) || (!v6 && !OffloadPackets.IPv4HeaderChecksumValid(s)) ||
                !s.Slice(0, ihl).SequenceEqual(ExpectedIpHeader(packet, ihl, v6, length, i)) ||
                !s.Slice(ihl + 8).SequenceEqual(payload.AsSpan(seen, length - ihl - 8)))
            {
                failures.Add($"segment {i}");
            }

            seen += length - ihl - 8;
        }

        int segmentCount = splitter.SegmentCount;
        Assert.Multiple(() =>
        {
            Assert.That(segmentCount, Is.EqualTo((payloadLength + gsoSize - 1) / gsoSize));
            Assert.That(seen, Is.EqualTo(payloadLength));
            Assert.That(failures, Is.Empty);
        });
    }

    [TestCase(false, 6)]
    [TestCase(true, 6)]
    [TestCase(false, 17)]
    [TestCase(true, 17)]
    public void TryCompleteChecksum_NoneWithNeedsChecksum_CompletesInPlace(bool v6, int protocol)
    {
        byte[] payload = OffloadPackets.Payload(333, 5);
        byte[] packet = protocol == 6
            ? OffloadPackets.Tcp(v6, 5, OffloadPackets.Ack | OffloadPackets.Psh, payload, partial: true)
            : OffloadPackets.Udp(v6, payload, partial: true);
        VirtioNetHeader header = OffloadPackets.GsoHeader(packet, VirtioNetGsoType.None, 0);
        byte[] viaSplitter = new byte[packet.Length];
        GsoSplitter splitter = GsoSplitter.Create(header, packet);
        int length = splitter.WriteSegment(0, viaSplitter);
        Assume.That(OffloadPackets.TransportChecksumValid(packet), Is.False, "the partial checksum is not yet valid");

        bool completed = GsoSplitter.TryCompleteChecksum(header, packet);
        int segmentCount = splitter.SegmentCount;

        Assert.Multiple(() =>
        {
            Assert.That(completed, Is.True);
            Assert.That(OffloadPackets.TransportChecksumValid(packet), Is.True);
            Assert.That(segmentCount, Is.EqualTo(1));
            Assert.That(viaSplitter.AsSpan(0, length).SequenceEqual(packet), Is.True, "the splitter yields the completed packet");
        });
    }

    [Test]
    public void WriteSegment_NoneWithoutFlags_CopiesPacketUnchanged()
    {
        byte[] packet = OffloadPackets.Payload(77, 9); // not even IP: a NONE frame is not parsed
        byte[] destination = new byte[100];

        GsoSplitter splitter = GsoSplitter.Create(VirtioNetHeader.None, packet);
        int length = splitter.WriteSegment(0, destination);
        int segmentCount = splitter.SegmentCount;

        Assert.Multiple(() =>
        {
            Assert.That(segmentCount, Is.EqualTo(1));
            Assert.That(destination.AsSpan(0, length).SequenceEqual(packet), Is.True);
        });
    }

    [Test]
    public void WriteSegment_BadIndexOrSmallDestination_ThrowsArgumentExceptions()
    {
        byte[] packet = OffloadPackets.Tcp(false, 1, OffloadPackets.Ack, OffloadPackets.Payload(3000, 1), partial: true);
        GsoSplitter splitter = GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1000), packet);
        byte[] small = new byte[splitter.MaxSegmentLength - 1];
        byte[] big = new byte[splitter.MaxSegmentLength];
        int count = splitter.SegmentCount;
        int[] lengths = new int[count];

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(3));
            Assert.That(() => GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1000), packet).WriteSegment(0, small), Throws.ArgumentException);
            Assert.That(() => GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1000), packet).WriteSegment(3, big), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1000), packet).WriteSegment(-1, big), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1000), packet).WriteSegments(new byte[10], lengths), Throws.ArgumentException);
            Assert.That(() => GsoSplitter.Create(OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1000), packet).WriteSegments(new byte[4000], new int[2]), Throws.ArgumentException);
        });
    }

    public delegate void Mutation(ref VirtioNetHeader header, ref byte[] packet);

    private static IEnumerable<TestCaseData> HostileCases()
    {
        static TestCaseData Case(string name, Errno errno, Mutation mutate, bool v6 = false, bool udp = false) =>
            new TestCaseData(mutate, errno, v6, udp).SetName(name);

        yield return Case("gso_size 0", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => h.GsoSize = 0);
        yield return Case("IHL below 5", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p[0] = 0x44);
        yield return Case("IHL 0", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p[0] = 0x40);
        yield return Case("IHL 15 beyond short frame", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => { p[0] = 0x4F; p = p[..50]; BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 50); });
        yield return Case("truncated IPv4 header", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p = p[..19]);
        yield return Case("empty packet", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p = []);
        yield return Case("total length beyond frame", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p = p[..(p.Length - 1)]);
        yield return Case("total length below IHL", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 10));
        yield return Case("truncated TCP header", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => { p = p[..30]; BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 30); h.Flags = 0; h.HeaderLength = 0; });
        yield return Case("TCP data offset below 5", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p[32] = 0x40);
        yield return Case("TCP options beyond frame", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => { p = p[..50]; BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 50); p[32] = 0xF0; h.Flags = 0; h.HeaderLength = 0; });
        yield return Case("hdr_len beyond frame", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => h.HeaderLength = (ushort)(p.Length + 1));
        yield return Case("csum offset beyond frame", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => h.ChecksumStart = (ushort)(p.Length - 10));
        yield return Case("gso TCPV4 on IPv6", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => h.GsoType = VirtioNetGsoType.TcpV4, v6: true);
        yield return Case("gso TCPV6 on IPv4", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => h.GsoType = VirtioNetGsoType.TcpV6);
        yield return Case("gso TCP on UDP", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => h.GsoType = VirtioNetGsoType.TcpV4, udp: true);
        yield return Case("IP version 5", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p[0] = 0x55);
        yield return Case("unknown gso_type", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => h.GsoType = (VirtioNetGsoType)7);
        yield return Case("UFO", Errno.EOPNOTSUPP, (ref VirtioNetHeader h, ref byte[] p) => h.GsoType = VirtioNetGsoType.Udp, udp: true);
        yield return Case("IPv4 fragment", Errno.EOPNOTSUPP, (ref VirtioNetHeader h, ref byte[] p) => p[6] = 0x20);
        yield return Case("IPv6 hop-by-hop header", Errno.EOPNOTSUPP, (ref VirtioNetHeader h, ref byte[] p) => p[6] = 0, v6: true);
        yield return Case("IPv6 routing header", Errno.EOPNOTSUPP, (ref VirtioNetHeader h, ref byte[] p) => p[6] = 43, v6: true);
        yield return Case("IPv6 jumbogram", Errno.EOPNOTSUPP, (ref VirtioNetHeader h, ref byte[] p) => { p[4] = 0; p[5] = 0; }, v6: true);
        yield return Case("IPv6 payload length beyond frame", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => p = p[..(p.Length - 1)], v6: true);
        yield return Case("truncated IPv6 header", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => { p = p[..39]; h.Flags = 0; h.HeaderLength = 0; }, v6: true);
        yield return Case("truncated UDP header", Errno.EINVAL, (ref VirtioNetHeader h, ref byte[] p) => { p = p[..46]; BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), 6); h.Flags = 0; h.HeaderLength = 0; }, v6: true, udp: true);
    }

    [TestCaseSource(nameof(HostileCases))]
    public void Create_HostileFrame_ThrowsMalformedPacketException(Mutation mutate, Errno errno, bool v6, bool udp)
    {
        byte[] packet = udp
            ? OffloadPackets.Udp(v6, OffloadPackets.Payload(3000, 1), partial: true)
            : OffloadPackets.Tcp(v6, 1, OffloadPackets.Ack, OffloadPackets.Payload(3000, 1), partial: true);
        VirtioNetHeader header = OffloadPackets.GsoHeader(packet, udp ? VirtioNetGsoType.UdpL4 : v6 ? VirtioNetGsoType.TcpV6 : VirtioNetGsoType.TcpV4, 1000);
        mutate(ref header, ref packet);

        Assert.Multiple(() =>
        {
            Assert.That(() => GsoSplitter.Create(header, packet),
                Throws.InstanceOf<MalformedPacketException>().With.Property(nameof(LinuxNetException.Errno)).EqualTo(errno));
            Assert.That(GsoSplitter.TryCreate(header, packet, out _), Is.False);
        });
    }

    [Test]
    public void TryCreate_EveryTruncationAndRandomCorruption_NeverThrowsAnythingButDocumented()
    {
        var random = new Random(42);
        var failures = new List<string>();
        byte[] destination = new byte[70_000];
        int[] lengths = new int[70_000];
        foreach (bool v6 in new[] { false, true })
        {
            foreach (bool udp in new[] { false, true })
            {
                byte[] original = udp
                    ? OffloadPackets.Udp(v6, OffloadPackets.Payload(2500, 2), partial: true)
                    : OffloadPackets.Tcp(v6, 1, OffloadPackets.Ack, OffloadPackets.Payload(2500, 2), tcpOptions: 12, partial: true);
                VirtioNetHeader good = OffloadPackets.GsoHeader(original, udp ? VirtioNetGsoType.UdpL4 : v6 ? VirtioNetGsoType.TcpV6 : VirtioNetGsoType.TcpV4, 600);
                for (int round = 0; round < 3000; round++)
                {
                    byte[] packet = original[..random.Next(0, original.Length + 1)];
                    VirtioNetHeader header = good;
                    if (round % 2 == 0)
                    {
                        for (int k = random.Next(1, 4); k > 0 && packet.Length > 0; k--)
                        {
                            packet[random.Next(Math.Min(packet.Length, 80))] = (byte)random.Next(256);
                        }

                        byte[] raw = new byte[10];
                        random.NextBytes(raw);
                        header = round % 4 == 0 ? VirtioNetHeader.Read(raw) : good;
                    }

                    try
                    {
                        if (GsoSplitter.TryCreate(header, packet, out GsoSplitter splitter))
                        {
                            splitter.WriteSegments(destination, lengths);
                        }

                        GsoSplitter.TryCompleteChecksum(header, packet);
                    }
                    catch (Exception e)
                    {
                        failures.Add($"v6={v6} udp={udp} round {round} length {packet.Length} {header}: {e.GetType().Name} {e.Message}");
                    }
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void WriteSegments_SixtyFourKiB_AllocatesNothing()
    {
        byte[] packet = OffloadPackets.Tcp(false, 1, OffloadPackets.Ack, OffloadPackets.Payload(65535 - 40, 1), partial: true);
        VirtioNetHeader header = OffloadPackets.GsoHeader(packet, VirtioNetGsoType.TcpV4, 1448);
        byte[] destination = new byte[100_000];
        int[] lengths = new int[64];
        Split(header, packet, destination, lengths); // warm up (JIT, tiering)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Split(header, packet, destination, lengths);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);

        static void Split(VirtioNetHeader header, byte[] packet, byte[] destination, int[] lengths) =>
            GsoSplitter.Create(header, packet).WriteSegments(destination, lengths);
    }

    /// <summary>The super-frame's IP header with what each segment must change: lengths, IPv4 id and header checksum.</summary>
    private static byte[] ExpectedIpHeader(byte[] superFrame, int ihl, bool v6, int segmentLength, int index)
    {
        byte[] ip = superFrame[..ihl];
        if (v6)
        {
            BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)(segmentLength - 40));
            return ip;
        }

        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)segmentLength);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), unchecked((ushort)(OffloadPackets.IPv4Id + index)));
        ip[10] = 0;
        ip[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(10), (ushort)~OffloadPackets.ScalarSum(ip));
        return ip;
    }
}
