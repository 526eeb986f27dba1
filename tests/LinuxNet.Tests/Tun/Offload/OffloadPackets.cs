using System.Buffers.Binary;
using LinuxNet.Tun.Offload;

namespace LinuxNet.Tests.Tun.Offload;

/// <summary>
/// Builds test packets and checks them with a deliberately naive scalar Internet checksum, independent of
/// <see cref="InternetChecksum"/>.
/// </summary>
internal static class OffloadPackets
{
    internal static readonly byte[] SourceV4 = [198, 51, 100, 1];
    internal static readonly byte[] DestinationV4 = [203, 0, 113, 7];
    internal static readonly byte[] SourceV6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    internal static readonly byte[] DestinationV6 = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x22];

    internal const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Ece = 0x40, Cwr = 0x80;
    internal const ushort IPv4Id = 0xFFFE; // wraps during a split: the increment must wrap too
    internal const uint Sequence = 0xFFFFF000; // wraps during a large split

    /// <summary>RFC 1071 by the book: 16-bit big-endian words, 32-bit accumulator, end-around carry.</summary>
    internal static ushort ScalarSum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong sum = initial;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)((data[i] << 8) | data[i + 1]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)(data[^1] << 8);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)sum;
    }

    internal static ushort ScalarPseudo(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int length)
    {
        byte[] pseudo;
        if (source.Length == 4)
        {
            pseudo = new byte[12];
            source.CopyTo(pseudo);
            destination.CopyTo(pseudo.AsSpan(4));
            pseudo[9] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)length);
        }
        else
        {
            pseudo = new byte[40];
            source.CopyTo(pseudo);
            destination.CopyTo(pseudo.AsSpan(16));
            BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)length);
            pseudo[39] = protocol;
        }

        return ScalarSum(pseudo);
    }

    internal static bool IPv4HeaderChecksumValid(ReadOnlySpan<byte> packet) => ScalarSum(packet.Slice(0, (packet[0] & 0xF) * 4)) == 0xFFFF;

    internal static bool TransportChecksumValid(ReadOnlySpan<byte> packet)
    {
        bool v6 = packet[0] >> 4 == 6;
        int ihl = v6 ? 40 : (packet[0] & 0xF) * 4;
        byte protocol = v6 ? packet[6] : packet[9];
        ReadOnlySpan<byte> src = v6 ? packet.Slice(8, 16) : packet.Slice(12, 4);
        ReadOnlySpan<byte> dst = v6 ? packet.Slice(24, 16) : packet.Slice(16, 4);
        ReadOnlySpan<byte> transport = packet.Slice(ihl);
        return ScalarSum(transport, ScalarPseudo(src, dst, protocol, transport.Length)) == 0xFFFF;
    }

    /// <summary>Recomputes the IPv4 header and TCP checksums of an IPv4 packet without options.</summary>
    internal static void FixChecksums(byte[] packet)
    {
        packet[10] = 0;
        packet[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), (ushort)~ScalarSum(packet.AsSpan(0, 20)));
        Span<byte> tcp = packet.AsSpan(20);
        tcp[16] = 0;
        tcp[17] = 0;
        ushort pseudo = ScalarPseudo(packet.AsSpan(12, 4), packet.AsSpan(16, 4), 6, tcp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(16), (ushort)~ScalarSum(tcp, pseudo));
    }

    internal static byte[] Payload(int length, int seed)
    {
        byte[] payload = new byte[length];
        new Random(seed).NextBytes(payload);
        return payload;
    }

    /// <summary>An IP+TCP packet with complete checksums, or (partial: true) the TCP checksum field holding the
    /// folded pseudo-header sum over the whole length, as the kernel hands out CHECKSUM_PARTIAL super-frames.</summary>
    internal static byte[] Tcp(bool v6, uint sequence, byte flags, ReadOnlySpan<byte> payload, int ipOptions = 0, int tcpOptions = 0,
        ushort id = IPv4Id, bool partial = false, ushort sourcePort = 40000, ushort destinationPort = 5201)
    {
        int ihl = v6 ? 40 : 20 + ipOptions;
        int thl = 20 + tcpOptions;
        byte[] packet = new byte[ihl + thl + payload.Length];
        WriteIp(packet, v6, ihl, 6, id);
        Span<byte> tcp = packet.AsSpan(ihl);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.Slice(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.Slice(8), 0x01020304);
        tcp[12] = (byte)((thl / 4) << 4);
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(14), 501);
        for (int i = 0; i < tcpOptions; i++)
        {
            // NOPs followed by a timestamp-like option body: exact bytes do not matter, only that they are copied.
            tcp[20 + i] = i < 2 ? (byte)1 : (byte)(0x40 + i);
        }

        payload.CopyTo(tcp.Slice(thl));
        ushort pseudo = Pseudo(packet, v6, ihl, 6);
        tcp[16] = 0;
        tcp[17] = 0;
        ushort field = partial ? pseudo : (ushort)~ScalarSum(tcp, pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(16), field);
        return packet;
    }

    internal static byte[] Udp(bool v6, ReadOnlySpan<byte> payload, bool partial = false)
    {
        int ihl = v6 ? 40 : 20;
        byte[] packet = new byte[ihl + 8 + payload.Length];
        WriteIp(packet, v6, ihl, 17, IPv4Id);
        Span<byte> udp = packet.AsSpan(ihl);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40001);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(2), 4789);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(4), (ushort)udp.Length);
        payload.CopyTo(udp.Slice(8));
        ushort pseudo = Pseudo(packet, v6, ihl, 17);
        ushort field = partial ? pseudo : (ushort)~ScalarSum(udp, pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(6), field == 0 && !partial ? (ushort)0xFFFF : field);
        return packet;
    }

    internal static VirtioNetHeader GsoHeader(byte[] packet, VirtioNetGsoType type, ushort gsoSize)
    {
        bool v6 = packet[0] >> 4 == 6;
        int ihl = v6 ? 40 : (packet[0] & 0xF) * 4;
        byte protocol = v6 ? packet[6] : packet[9];
        int thl = protocol == 6 ? (packet[ihl + 12] >> 4) * 4 : 8;
        return new VirtioNetHeader
        {
            Flags = VirtioNetHeaderFlags.NeedsChecksum,
            GsoType = type,
            HeaderLength = (ushort)(ihl + thl),
            GsoSize = gsoSize,
            ChecksumStart = (ushort)ihl,
            ChecksumOffset = (ushort)(protocol == 6 ? 16 : 6),
        };
    }

    internal static byte[] Frame(VirtioNetHeader header, byte[] packet, int headerSize = VirtioNetHeader.Size)
    {
        byte[] frame = new byte[headerSize + packet.Length];
        header.Write(frame, headerSize);
        packet.CopyTo(frame, headerSize);
        return frame;
    }

    private static void WriteIp(byte[] packet, bool v6, int ihl, byte protocol, ushort id)
    {
        if (v6)
        {
            packet[0] = 0x60;
            packet[1] = 0x0A; // traffic class 0x00, flow label 0xA1234
            packet[2] = 0x12;
            packet[3] = 0x34;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(packet.Length - 40));
            packet[6] = protocol;
            packet[7] = 64;
            SourceV6.CopyTo(packet, 8);
            DestinationV6.CopyTo(packet, 24);
            return;
        }

        packet[0] = (byte)(0x40 | (ihl / 4));
        packet[1] = 0x08;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        packet[6] = 0x40; // DF
        packet[8] = 64;
        packet[9] = protocol;
        SourceV4.CopyTo(packet, 12);
        DestinationV4.CopyTo(packet, 16);
        for (int i = 20; i < ihl; i++)
        {
            packet[i] = 1; // NOP options
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), (ushort)~ScalarSum(packet.AsSpan(0, ihl)));
    }

    private static ushort Pseudo(byte[] packet, bool v6, int ihl, byte protocol) =>
        v6
            ? ScalarPseudo(packet.AsSpan(8, 16), packet.AsSpan(24, 16), protocol, packet.Length - ihl)
            : ScalarPseudo(packet.AsSpan(12, 4), packet.AsSpan(16, 4), protocol, packet.Length - ihl);
}
