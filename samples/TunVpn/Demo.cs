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
    private static readonly IPPrefix UnderlayA = IPPrefix.Parse("203.0.113.1/24");
    private static readonly IPPrefix UnderlayB = IPPrefix.Parse("203.0.113.2/24");
    private static readonly IPAddress TunnelA = IPAddress.Parse("198.51.100.1");
    private static readonly IPAddress TunnelB = IPAddress.Parse("198.51.100.2");
    private const int Port = 51820;
    private const int TunnelMtu = 1420;

    /// <summary>Runs the demo; prints to <paramref name="output"/>.</summary>
    public static DemoResult Run(TextWriter output, TimeSpan transfer, long maxBytes, CancellationToken cancellationToken)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using NetNamespace a = NetNamespace.CreateAnonymous();
        using NetNamespace b = NetNamespace.CreateAnonymous();
        using LinkManager linksA = LinkManager.Open(a);
        using LinkManager linksB = LinkManager.Open(b);

        output.WriteLine("underlay: veth pair ul0 (peer A, 203.0.113.1) <-> ul1 (peer B, 203.0.113.2), in two fresh namespaces");
        linksA.CreateLink(new VethLinkSpec("ul0", "ul1") { PeerNamespace = b });
        linksA.SetUp("lo");
        linksB.SetUp("lo");
        linksA.AddAddress("ul0", UnderlayA);
        linksB.AddAddress("ul1", UnderlayB);
        linksA.SetUp("ul0");
        linksB.SetUp("ul1");

        using TunDevice tunA = TunDevice.Create(new TunDeviceOptions { Name = "vpn0", Mode = TunMode.Tun }, a);
        using TunDevice tunB = TunDevice.Create(new TunDeviceOptions { Name = "vpn0", Mode = TunMode.Tun }, b);
        Configure(linksA, TunnelA, TunnelB);
        Configure(linksB, TunnelB, TunnelA);
        output.WriteLine($"tunnel:   vpn0 198.51.100.1 <-> vpn0 198.51.100.2, mtu {TunnelMtu}, ChaCha20-Poly1305 over UDP port {Port}");

        using Socket udpA = a.Run(() => VpnPeer.CreateSocket(new IPEndPoint(UnderlayA.Address, Port), new IPEndPoint(UnderlayB.Address, Port)));
        using Socket udpB = b.Run(() => VpnPeer.CreateSocket(new IPEndPoint(UnderlayB.Address, Port), new IPEndPoint(UnderlayA.Address, Port)));
        using var protectorA = new PacketProtector(key, isInitiator: true);
        using var protectorB = new PacketProtector(key, isInitiator: false);
        using var peerA = new VpnPeer("A", tunA, udpA, protectorA);
        using var peerB = new VpnPeer("B", tunB, udpB, protectorB);
        peerA.Start();
        peerB.Start();

        output.WriteLine();
        output.WriteLine("ping 198.51.100.2 from A (through the tunnel):");
        int replies = Ping(a, TunnelB, 3, output);
        output.WriteLine("ping 198.51.100.1 from B (through the tunnel):");
        replies += Ping(b, TunnelA, 2, output);
        cancellationToken.ThrowIfCancellationRequested();

        output.WriteLine();
        (long bytes, TimeSpan duration) = Transfer(b, TunnelB, a, transfer, maxBytes, cancellationToken);
        output.WriteLine($"TCP A -> B: {bytes / 1e6:0.0} MB in {duration.TotalSeconds:0.00} s = {bytes * 8 / duration.TotalSeconds / 1e9:0.000} Gbit/s");
        (long reverse, TimeSpan reverseDuration) = Transfer(a, TunnelA, b, TimeSpan.FromSeconds(Math.Min(1, transfer.TotalSeconds)), maxBytes, cancellationToken);
        output.WriteLine($"TCP B -> A: {reverse / 1e6:0.0} MB in {reverseDuration.TotalSeconds:0.00} s = {reverse * 8 / reverseDuration.TotalSeconds / 1e9:0.000} Gbit/s");
        output.WriteLine($"packets: A sent {peerA.PacketsOut}, B received {peerB.PacketsIn}; B sent {peerB.PacketsOut}, A received {peerA.PacketsIn}");

        output.WriteLine();
        long rejectedBefore = peerB.Rejected;
        long replayedBefore = peerB.Replayed;
        SendForged(a, key, udpA);
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

    private static void Configure(LinkManager links, IPAddress local, IPAddress remote)
    {
        links.SetMtu("vpn0", TunnelMtu);
        links.Addresses.Add(new AddressSpec("vpn0", new IPPrefix(local, 32)) { Peer = remote });
        links.SetUp("vpn0");
    }

    private static int Ping(NetNamespace ns, IPAddress target, int count, TextWriter output) => ns.Run(() =>
    {
        using var pinger = new IcmpPinger();
        int ok = 0;
        for (int sequence = 1; sequence <= count; sequence++)
        {
            PingResult result = pinger.Ping(target, sequence, TimeSpan.FromSeconds(2));
            output.WriteLine("  " + result.Describe(target, sequence, 56));
            ok += result.Status == PingStatus.Reply ? 1 : 0;
        }

        return ok;
    });

    /// <summary>A bounded TCP transfer: a listener in <paramref name="server"/>, a sender in <paramref name="client"/>.</summary>
    private static (long Bytes, TimeSpan Duration) Transfer(NetNamespace server, IPAddress serverAddress, NetNamespace client, TimeSpan limit, long maxBytes, CancellationToken cancellationToken)
    {
        using Socket listener = server.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(serverAddress, 5201));
            s.Listen(1);
            return s;
        });
        long received = 0;
        var receiver = new Thread(() =>
        {
            using Socket connection = listener.Accept();
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = connection.Receive(buffer)) > 0)
            {
                received += n;
            }
        }) { IsBackground = true, Name = "TunVpn demo receiver" };
        receiver.Start();

        using Socket sender = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        sender.SendTimeout = 5000;
        sender.Connect(new IPEndPoint(serverAddress, 5201));
        byte[] chunk = new byte[128 * 1024];
        Random.Shared.NextBytes(chunk);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (clock.Elapsed < limit && sent < maxBytes && !cancellationToken.IsCancellationRequested)
        {
            sent += sender.Send(chunk);
        }

        sender.Shutdown(SocketShutdown.Send);
        receiver.Join(TimeSpan.FromSeconds(10));
        clock.Stop();
        return (Interlocked.Read(ref received), clock.Elapsed);
    }

    /// <summary>Sends B one datagram with a flipped ciphertext byte and one valid datagram twice, from A's socket.</summary>
    private static void SendForged(NetNamespace a, byte[] key, Socket udpA)
    {
        using var forger = new PacketProtector(key, isInitiator: true, firstCounter: 1UL << 40);
        byte[] echo = IcmpEcho(TunnelA, TunnelB);
        byte[] datagram = new byte[echo.Length + PacketProtector.Overhead];
        int length = forger.Seal(echo, datagram);
        byte[] tampered = datagram[..length];
        tampered[PacketProtector.HeaderSize + 3] ^= 0x40;
        udpA.Send(tampered);
        int valid = forger.Seal(echo, datagram);
        udpA.Send(datagram.AsSpan(0, valid));
        Thread.Sleep(50);
        udpA.Send(datagram.AsSpan(0, valid));
        _ = a;
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
