using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using LinuxNet.Tun.Offload;

namespace LinuxNet.Benchmarks.Tun.Offload;

/// <summary>
/// Split and coalesce of a 64 KiB TCP super-frame (IPv4, MSS 1448, timestamps: 46 segments), and the checksum
/// over 64 KiB. Expected: Allocated = 0 for every method.
/// </summary>
[MemoryDiagnoser]
public class OffloadBenchmarks
{
    private const int Mss = 1448;
    private const int Headers = 20 + 32;

    private readonly byte[] _superFrame = new byte[65535];
    private readonly byte[] _segments = new byte[80_000];
    private readonly int[] _lengths = new int[64];
    private readonly byte[][] _packets = new byte[46][];
    private readonly GroCoalescer _coalescer = new();
    private VirtioNetHeader _header;

    [GlobalSetup]
    public void Setup()
    {
        int payload = _superFrame.Length - Headers;
        Span<byte> p = _superFrame;
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.Slice(2), (ushort)p.Length);
        p[6] = 0x40;
        p[8] = 64;
        p[9] = 6;
        new byte[] { 198, 51, 100, 1, 203, 0, 113, 7 }.CopyTo(p.Slice(12));
        BinaryPrimitives.WriteUInt16BigEndian(p.Slice(10), InternetChecksum.Compute(p.Slice(0, 20)));
        Span<byte> tcp = p.Slice(20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(2), 5201);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.Slice(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.Slice(8), 2);
        tcp[12] = 8 << 4;
        tcp[13] = 0x18;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(14), 500);
        tcp[20] = 1;
        tcp[21] = 1;
        tcp[22] = 8;
        tcp[23] = 10;
        new Random(1).NextBytes(_superFrame.AsSpan(Headers));
        uint pseudo = InternetChecksum.PseudoHeaderSum(p.Slice(12, 4), p.Slice(16, 4), 6, p.Length - 20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(16), InternetChecksum.Fold(pseudo));
        _header = new VirtioNetHeader
        {
            Flags = VirtioNetHeaderFlags.NeedsChecksum,
            GsoType = VirtioNetGsoType.TcpV4,
            HeaderLength = Headers,
            GsoSize = Mss,
            ChecksumStart = 20,
            ChecksumOffset = 16,
        };

        GsoSplitter splitter = GsoSplitter.Create(_header, _superFrame);
        for (int i = 0; i < splitter.SegmentCount; i++)
        {
            _packets[i] = new byte[splitter.GetSegmentLength(i)];
            splitter.WriteSegment(i, _packets[i]);
        }

        if (splitter.SegmentCount != _packets.Length || payload != 65483)
        {
            throw new InvalidOperationException("unexpected segment count");
        }
    }

    /// <summary>Split a 64 KiB super-frame into 46 packets (copy + IPv4 and TCP checksum per packet).</summary>
    [Benchmark]
    public int Split64KiB() => GsoSplitter.Create(_header, _superFrame).WriteSegments(_segments, _lengths);

    /// <summary>Coalesce 46 packets (checksums verified) into one 64 KiB super-frame.</summary>
    [Benchmark]
    public int Coalesce64KiB()
    {
        GroCoalescer gro = _coalescer;
        foreach (byte[] packet in _packets)
        {
            if (gro.Add(packet) != GroAddResult.Added)
            {
                throw new InvalidOperationException("not coalesced");
            }
        }

        return gro.Flush().Length;
    }

    /// <summary>The Internet checksum over 64 KiB.</summary>
    [Benchmark]
    public uint Checksum64KiB() => InternetChecksum.Sum(_superFrame);
}
