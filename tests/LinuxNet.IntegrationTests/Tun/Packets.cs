using System.Buffers.Binary;
using System.Net;
using LinuxNet.Tun.Offload;

namespace LinuxNet.IntegrationTests.Tun;

/// <summary>Hand-built IPv4/UDP/ICMP/ARP packets and minimal parsers for TUN/TAP tests.</summary>
internal static class Packets
{
    public const byte Udp = 17;
    public const byte Icmp = 1;

    public static byte[] Udp4(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        byte[] packet = new byte[28 + payload.Length];
        WriteIpv4Header(packet, Udp, source, destination);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet.AsSpan(28));

        // The UDP checksum over the pseudo-header (0 would also be legal on IPv4; a real one is the stricter test).
        uint sum = Sum(packet.AsSpan(12, 8)) + Udp + (uint)(8 + payload.Length) + Sum(packet.AsSpan(20));
        ushort checksum = Fold(sum);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(26), checksum == 0 ? (ushort)0xFFFF : checksum);
        return packet;
    }

    /// <summary>
    /// A frame for a device with the 10-byte virtio-net header: a USO (UDP_L4) super-frame, one IPv4/UDP packet whose
    /// payload the kernel (or GsoSplitter) cuts into datagrams of <paramref name="segmentSize"/> bytes.
    /// </summary>
    public static byte[] UdpL4SuperFrame4(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload, int segmentSize)
    {
        byte[] packet = Udp4(source, destination, sourcePort, destinationPort, payload);
        var header = new VirtioNetHeader
        {
            Flags = VirtioNetHeaderFlags.NeedsChecksum,
            GsoType = VirtioNetGsoType.UdpL4,
            HeaderLength = 28,
            GsoSize = (ushort)segmentSize,
            ChecksumStart = 20,
            ChecksumOffset = 6,
        };
        byte[] frame = new byte[VirtioNetHeader.Size + packet.Length];
        header.Write(frame);
        packet.CopyTo(frame, VirtioNetHeader.Size);
        return frame;
    }

    /// <summary>
    /// A UDP socket bound to <paramref name="endpoint"/> inside <paramref name="ns"/>, with a 4 MiB receive buffer
    /// (SO_RCVBUFFORCE) so that a burst of hundreds of datagrams (a split super-frame) is not dropped before it is read.
    /// </summary>
    public static System.Net.Sockets.Socket BurstReceiver(LinuxNet.Namespaces.NetNamespace ns, IPEndPoint endpoint, TimeSpan timeout)
    {
        System.Net.Sockets.Socket socket = ns.Run(() =>
        {
            var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            s.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(4 << 20));
            s.Bind(endpoint);
            return s;
        });
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        return socket;
    }

    public static byte[] IcmpEcho4(IPAddress source, IPAddress destination, ushort id, ushort sequence, ReadOnlySpan<byte> payload)
    {
        byte[] packet = new byte[28 + payload.Length];
        WriteIpv4Header(packet, Icmp, source, destination);
        packet[20] = 8; // echo request
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(26), sequence);
        payload.CopyTo(packet.AsSpan(28));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), Fold(Sum(packet.AsSpan(20))));
        return packet;
    }

    /// <summary>An Ethernet frame carrying an ARP request "who has <paramref name="target"/>? tell <paramref name="sender"/>".</summary>
    public static byte[] ArpRequest(byte[] senderMac, IPAddress sender, IPAddress target)
    {
        byte[] frame = new byte[42];
        frame.AsSpan(0, 6).Fill(0xFF);
        senderMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0806);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), 1);      // hardware: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 0x0800); // protocol: IPv4
        frame[18] = 6;
        frame[19] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(20), 1);      // request
        senderMac.CopyTo(frame, 22);
        sender.GetAddressBytes().CopyTo(frame, 28);
        target.GetAddressBytes().CopyTo(frame, 38);
        return frame;
    }

    public static bool IsIpv4(ReadOnlySpan<byte> packet, byte protocol) =>
        packet.Length >= 20 && packet[0] >> 4 == 4 && packet[9] == protocol;

    public static bool IsIpv6(ReadOnlySpan<byte> packet, byte nextHeader) =>
        packet.Length >= 40 && packet[0] >> 4 == 6 && packet[6] == nextHeader;

    public static bool HeaderChecksumIsValid(ReadOnlySpan<byte> ipv4) => Fold(Sum(ipv4[..((ipv4[0] & 0xF) * 4)])) == 0;

    private static void WriteIpv4Header(Span<byte> packet, byte protocol, IPAddress source, IPAddress destination)
    {
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], 0x1234);
        packet[6] = 0x40; // DF
        packet[8] = 64;
        packet[9] = protocol;
        source.GetAddressBytes().CopyTo(packet[12..]);
        destination.GetAddressBytes().CopyTo(packet[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], Fold(Sum(packet[..20])));
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        return sum;
    }

    private static ushort Fold(uint sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
