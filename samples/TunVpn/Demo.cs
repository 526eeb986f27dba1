using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.Samples.TunVpn;

/// <summary>What the demo measured.</summary>
public sealed record DemoResult(
    int PingReplies,
    int PingsSent,
    long TcpBytes,
    TimeSpan TcpDuration,
    long ReverseTcpBytes,
    long PacketsAtoB,
    long PacketsBtoA,
    long TamperedRejected,
    long ReplaysRejected)
{
    /// <summary>The forward TCP throughput in Gbit/s.</summary>
    public double Gbps => TcpDuration.TotalSeconds > 0 ? TcpBytes * 8 / TcpDuration.TotalSeconds / 1e9 : 0;
}

/// <summary>
/// Builds two namespaces joined by a veth pair (the "internet"), a TUN in each, runs both VPN peers, and pushes ICMP
/// and a bounded TCP transfer through the tunnel; then shows that a tampered and a replayed datagram are dropped.
/// </summary>
public static class Demo
{
    /// <summary>Runs the demo; prints to <paramref name="output"/>.</summary>
    public static DemoResult Run(TextWriter output, TimeSpan transfer, long maxBytes, CancellationToken cancellationToken)
    {
        using VpnLab lab = VpnLab.CreateUnderlay();
        output.WriteLine("underlay: veth pair ul0 (peer A, 203.0.113.1) <-> ul1 (peer B, 203.0.113.2), in two fresh namespaces");
        lab.StartVpn();
        VpnPeer peerA = lab.PeerA!;
        VpnPeer peerB = lab.PeerB!;
        output.WriteLine($"tunnel:   vpn0 198.51.100.1 <-> vpn0 198.51.100.2, mtu {VpnLab.TunnelMtu}, ChaCha20-Poly1305 over UDP port {VpnLab.Port}");

        output.WriteLine();
        output.WriteLine("ping 198.51.100.2 from A (through the tunnel):");
        int replies = VpnLab.Ping(lab.A, VpnLab.TunnelB, 3, TimeSpan.FromSeconds(2), output);
        output.WriteLine("ping 198.51.100.1 from B (through the tunnel):");
        replies += VpnLab.Ping(lab.B, VpnLab.TunnelA, 2, TimeSpan.FromSeconds(2), output);
        cancellationToken.ThrowIfCancellationRequested();

        output.WriteLine();
        (long bytes, TimeSpan duration) = VpnLab.Transfer(lab.A, lab.B, VpnLab.TunnelB, maxBytes, transfer);
        output.WriteLine($"TCP A -> B: {bytes / 1e6:0.0} MB in {duration.TotalSeconds:0.00} s = {bytes * 8 / duration.TotalSeconds / 1e9:0.000} Gbit/s");
        (long reverse, TimeSpan reverseDuration) = VpnLab.Transfer(lab.B, lab.A, VpnLab.TunnelA, maxBytes, TimeSpan.FromSeconds(Math.Min(1, transfer.TotalSeconds)));
        output.WriteLine($"TCP B -> A: {reverse / 1e6:0.0} MB in {reverseDuration.TotalSeconds:0.00} s = {reverse * 8 / reverseDuration.TotalSeconds / 1e9:0.000} Gbit/s");
        output.WriteLine($"packets: A sent {peerA.PacketsOut}, B received {peerB.PacketsIn}; B sent {peerB.PacketsOut}, A received {peerA.PacketsIn}");

        output.WriteLine();

        // Stop A first: its late packets (TCP teardown) would otherwise meet B's window after the forged jump ahead.
        peerA.Dispose();
        Thread.Sleep(100);
        long rejectedBefore = peerB.Rejected;
        long replayedBefore = peerB.Replayed;
        SendForged(lab.Key, lab.UdpA!);
        Thread.Sleep(200);
        long tampered = peerB.Rejected - rejectedBefore;
        long replayed = peerB.Replayed - replayedBefore;
        output.WriteLine($"tampered datagram: {(tampered == 1 ? "dropped by B (tag mismatch)" : "NOT dropped")}; replayed datagram: {(replayed == 1 ? "dropped by B (replay window)" : "NOT dropped")}");
        if ((peerA.Fault ?? peerB.Fault) is { } fault)
        {
            output.WriteLine($"a peer thread failed: {fault.Message}");
        }

        return new DemoResult(replies, 5, bytes, duration, reverse, peerB.PacketsIn, peerA.PacketsIn, tampered, replayed);
    }

    /// <summary>Sends B one datagram with a flipped ciphertext byte and one valid datagram twice, from A's socket.</summary>
    private static void SendForged(byte[] key, Socket udpA)
    {
        using var forger = new PacketProtector(key, isInitiator: true, firstCounter: PacketProtector.ClockCounter() + (1UL << 40));
        byte[] echo = IcmpEcho(VpnLab.TunnelA, VpnLab.TunnelB);
        byte[] datagram = new byte[echo.Length + PacketProtector.Overhead];
        int length = forger.Seal(echo, datagram);
        byte[] tampered = datagram[..length];
        tampered[PacketProtector.HeaderSize + 3] ^= 0x40;
        udpA.Send(tampered);
        int valid = forger.Seal(echo, datagram);
        udpA.Send(datagram.AsSpan(0, valid));
        Thread.Sleep(50);
        udpA.Send(datagram.AsSpan(0, valid));
    }

    private static byte[] IcmpEcho(IPAddress source, IPAddress destination)
    {
        byte[] packet = new byte[28];
        packet[0] = 0x45;
        packet[3] = 28;
        packet[8] = 64;
        packet[9] = 1;
        source.GetAddressBytes().CopyTo(packet, 12);
        destination.GetAddressBytes().CopyTo(packet, 16);
        WriteChecksum(packet.AsSpan(0, 20), 10);
        packet[20] = 8;
        packet[25] = 0x7f;
        WriteChecksum(packet.AsSpan(20), 2);
        return packet;
    }

    private static void WriteChecksum(Span<byte> data, int offset)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | data[i + 1]);
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        ushort checksum = (ushort)~sum;
        data[offset] = (byte)(checksum >> 8);
        data[offset + 1] = (byte)checksum;
    }
}
