using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Route;
using LinuxNet.Samples.WireGuard.Crypto;
using LinuxNet.Samples.WireGuard.Device;
using LinuxNet.Samples.WireGuard.Lab;
using LinuxNet.Samples.WireGuard.Protocol;

namespace LinuxNet.Samples.Tests.WireGuard;

/// <summary>The sample against wireguard-go (configured with wg) and against itself, in two fresh namespaces over veth.</summary>
[Category("Privileged")]
[NonParallelizable]
public class WireGuardInteropTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private const long TransferBytes = 8L << 20;
    private WireGuardLab? _lab;
    private StringWriter _log = new();

    private WireGuardLab Lab => _lab!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        if (!File.Exists("/usr/bin/wireguard-go") || !File.Exists("/usr/bin/wg"))
        {
            Assert.Ignore("needs wireguard-go and wireguard-tools (apt-get install wireguard-go wireguard-tools)");
        }

        _log = new StringWriter();
        _lab = WireGuardLab.Create();
    }

    [TearDown]
    public void TearDown()
    {
        _lab?.Dispose();
        _lab = null;
        TestContext.Out.WriteLine(_log.ToString());
        _log.Dispose();
        Assert.That(IpOracle.RunHere("-o", "link"), Does.Not.Contain("ul0").And.Not.Contain("wga" + Environment.ProcessId), "nothing leaked into the test's namespace");
    }

    [Test]
    public void SampleInitiates_WireguardGoResponds_PingAndTcpBothWaysIntact([Values] bool offloads)
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), log: _log, offloads: offloads);
        Lab.StartWireguardGo('B', Lab.Config('B'));

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True, "A pings B through the tunnel");
        Peer peer = sample.Device.Peers[0];
        AssertBothWays(peer);
        string ours = ShowFormatter.Format(sample.Device, DateTimeOffset.UtcNow);
        string theirs = Lab.WgShow('B');
        Assert.Multiple(() =>
        {
            Assert.That(Labels(ours), Is.EqualTo(Labels(theirs)), $"the same lines as wg show prints:\n{ours}\n{theirs}");
            Assert.That(ours, Does.Contain($"peer: {Convert.ToBase64String(Curve25519.GetPublicKey(Lab.PrivateB))}"));
            Assert.That(ours, Does.Contain($"endpoint: {WireGuardLab.UnderlayB}:{WireGuardLab.Port}"));
            Assert.That(ours, Does.Contain("allowed ips: 198.51.100.2/32"));
            Assert.That(peer.Current!.IsInitiator, Is.True, "the sample initiated the session");
            Assert.That(long.Parse(Lab.WgPeerDump('B')[4]), Is.GreaterThan(0), "wg show dump: wireguard-go completed a handshake");
        });
    }

    [Test]
    public void WireguardGoInitiates_SampleResponds_PingAndTcpBothWaysIntact()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));

        Assert.That(Lab.PingUntilReply('B', WireGuardLab.TunnelA, Limit), Is.True, "B pings A through the tunnel");
        Peer peer = sample.Device.Peers[0];
        Assert.That(peer.Current!.IsInitiator, Is.False, "wireguard-go initiated the session");
        AssertBothWays(peer);
    }

    [Test]
    public void IPv6InsideTheTunnel_TcpBothWaysIntact([Values] bool offloads)
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A', ipv6: true), log: _log, offloads: offloads);
        Lab.StartWireguardGo('B', Lab.Config('B', ipv6: true));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);

        TransferResult there = WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.Tunnel6B, TransferBytes, Limit);
        TransferResult back = WireGuardLab.Transfer(Lab.B, Lab.A, WireGuardLab.Tunnel6A, TransferBytes, Limit);
        Assert.Multiple(() =>
        {
            Assert.That(there.Intact, Is.True, $"TCP over IPv6 A -> B: {there}");
            Assert.That(back.Intact, Is.True, $"TCP over IPv6 B -> A: {back}");
            Assert.That(sample.Device.Routes.Lookup(WireGuardLab.Tunnel6B), Is.SameAs(sample.Device.Peers[0]));
            Assert.That(sample.Device.Peers[0].Misrouted, Is.Zero, "every IPv6 source was among the peer's allowed IPs");
        });
    }

    [Test]
    public void PacketFromASourceOutsideThePeersAllowedIps_IsDropped()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), log: _log);
        string device = Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        var spoofed = IPAddress.Parse("198.51.100.99");
        Lab.LinksB.Session.Addresses.Add(device, new IPPrefix(spoofed, 32));
        Peer peer = sample.Device.Peers[0];
        long before = peer.Misrouted;

        // B's wireguard-go encrypts it (A is in its allowed IPs); the sample opens it and finds the source not allowed.
        using Socket udp = Lab.B.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        udp.Bind(new IPEndPoint(spoofed, 0));
        udp.SendTo(new byte[100], new IPEndPoint(WireGuardLab.TunnelA, 9));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (peer.Misrouted == before && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        Assert.That(peer.Misrouted, Is.EqualTo(before + 1), "cryptokey routing: a source must route back to the peer whose key opened the packet");
    }

    [Test]
    public void WgShow_ReadsTheSampleOverUapi_AndAgreesWithItsOwnShow()
    {
        string name = "wgs" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] psk = RandomKey();
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A', presharedKey: psk, persistentKeepalive: 25), log: _log, name: name, uapi: true);
        Lab.StartWireguardGo('B', Lab.Config('B', presharedKey: psk));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);

        string[] dump = WireGuardLab.Run(Lab.A, "wg", "show", name, "dump").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] iface = dump[0].Split('\t');
        string[] peerLine = dump[1].Split('\t');
        string wgShow = WireGuardLab.Run(Lab.A, "wg", "show", name);
        string ours = ShowFormatter.Format(sample.Device, DateTimeOffset.UtcNow);
        Assert.Multiple(() =>
        {
            Assert.That(iface[1], Is.EqualTo(Convert.ToBase64String(sample.Device.Local.PublicKey)), "wg show dump: our public key");
            Assert.That(iface[2], Is.EqualTo("51820"));
            Assert.That(peerLine[0], Is.EqualTo(Convert.ToBase64String(Curve25519.GetPublicKey(Lab.PrivateB))));
            Assert.That(peerLine[1], Is.Not.EqualTo("(none)"), "the pre-shared key is there");
            Assert.That(peerLine[2], Is.EqualTo($"{WireGuardLab.UnderlayB}:{WireGuardLab.Port}"));
            Assert.That(peerLine[3], Is.EqualTo("198.51.100.2/32"));
            Assert.That(long.Parse(peerLine[4]), Is.GreaterThan(0), "latest handshake");
            Assert.That(long.Parse(peerLine[5]), Is.GreaterThan(0).And.LessThanOrEqualTo(sample.Device.Peers[0].ReceivedBytes), "transfer rx");
            Assert.That(long.Parse(peerLine[6]), Is.GreaterThan(0).And.LessThanOrEqualTo(sample.Device.Peers[0].SentBytes), "transfer tx");
            Assert.That(peerLine[7], Is.EqualTo("25"), "persistent keepalive");
            Assert.That(Labels(ours), Is.EqualTo(Labels(wgShow)), $"the sample's show prints the lines wg show prints for it:\n{ours}\n{wgShow}");
            Assert.That(ours.Split('\n').Where(l => !l.Contains("handshake", StringComparison.Ordinal) && !l.Contains("transfer", StringComparison.Ordinal)),
                Is.EqualTo(wgShow.Split('\n').Where(l => !l.Contains("handshake", StringComparison.Ordinal) && !l.Contains("transfer", StringComparison.Ordinal))),
                "and the same text, but for the moving figures");
        });
        Assert.That(() => WireGuardLab.Run(Lab.A, "wg", "set", name, "listen-port", "4000"),
            Throws.InvalidOperationException.With.Message.Contains("not supported"), "set=1 is refused with EOPNOTSUPP");
        Assert.That(sample.Device.ListenPort, Is.EqualTo(WireGuardLab.Port));
        sample.Dispose();
        Assert.That(File.Exists(UapiServer.SocketPath(name)), Is.False, "the socket goes with the device");
    }

    [Test]
    public void WrongPublicKey_GetsNoSession()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A', peerPublicKey: Curve25519.GetPublicKey(Curve25519.GeneratePrivateKey())), Fast, _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));

        Assert.Multiple(() =>
        {
            Assert.That(Lab.Ping('A', WireGuardLab.TunnelB, 2, TimeSpan.FromSeconds(1)), Is.Zero, "the sample's initiation is to a key B does not have (mac1 fails)");
            Assert.That(Lab.Ping('B', WireGuardLab.TunnelA, 2, TimeSpan.FromSeconds(1)), Is.Zero, "B's initiation names a key the sample does not know");
            Assert.That(sample.Device.Peers[0].Handshakes, Is.Zero);
            Assert.That(sample.Device.Peers[0].Current, Is.Null);
            Assert.That(sample.Device.HandshakesRejected, Is.GreaterThan(0), "the sample saw and dropped B's initiations");
            Assert.That(Lab.WgPeerDump('B')[4], Is.EqualTo("0"), "wg show dump: no handshake on wireguard-go's side");
        });
    }

    [Test]
    public void WrongPresharedKey_GetsNoSession()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A', presharedKey: RandomKey()), Fast, _log);
        Lab.StartWireguardGo('B', Lab.Config('B', presharedKey: RandomKey()));

        Assert.Multiple(() =>
        {
            Assert.That(Lab.Ping('A', WireGuardLab.TunnelB, 2, TimeSpan.FromSeconds(1)), Is.Zero, "A -> B");
            Assert.That(Lab.Ping('B', WireGuardLab.TunnelA, 2, TimeSpan.FromSeconds(1)), Is.Zero, "B -> A");
            Assert.That(sample.Device.Peers[0].Current, Is.Null, "no usable session on the sample");
            Assert.That(_log.ToString(), Does.Contain("does not decrypt"), "the sample dropped wireguard-go's response");
        });
    }

    [Test]
    public void SamePresharedKey_Works()
    {
        byte[] psk = RandomKey();
        Lab.StartSample('A', Lab.Config('A', presharedKey: psk), log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B', presharedKey: psk));

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        Assert.That(Lab.Ping('B', WireGuardLab.TunnelA, 2, TimeSpan.FromSeconds(2)), Is.EqualTo(2));
    }

    [Test]
    public void ReplayedDataPacket_IsDropped_AndDoesNotMoveTheEndpoint()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        Peer peer = sample.Device.Peers[0];

        // A raw UDP socket in A sees a copy of every datagram wireguard-go sends: keep one transport message with data.
        using Socket sniffer = Lab.A.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp) { ReceiveTimeout = 1000 });
        byte[] captured = Array.Empty<byte>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        byte[] buffer = new byte[2048];
        while (captured.Length == 0 && clock.Elapsed < Limit)
        {
            Assert.That(Lab.Ping('B', WireGuardLab.TunnelA, 1, TimeSpan.FromSeconds(1)), Is.EqualTo(1));
            int n;
            while ((n = Receive(sniffer, buffer)) > 0)
            {
                int ihl = (buffer[0] & 0xF) * 4;
                int sourcePort = (buffer[ihl] << 8) | buffer[ihl + 1];
                int payload = n - ihl - 8;
                if (sourcePort == WireGuardLab.Port && payload > MessageLayout.MinTransportSize && buffer[ihl + 8] == MessageLayout.Transport)
                {
                    captured = buffer.AsSpan(ihl + 8, payload).ToArray();
                    break;
                }
            }
        }

        Assert.That(captured, Is.Not.Empty, "captured a data message of wireguard-go");
        long replayedBefore = peer.Replayed;
        IPEndPoint? endpoint = peer.Endpoint;
        using Socket replayer = Lab.B.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        replayer.SendTo(captured, new IPEndPoint(WireGuardLab.UnderlayA, WireGuardLab.Port));
        clock.Restart();
        while (peer.Replayed == replayedBefore && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        Assert.Multiple(() =>
        {
            Assert.That(peer.Replayed, Is.EqualTo(replayedBefore + 1), "the replayed message was dropped by the replay window");
            Assert.That(peer.Endpoint, Is.EqualTo(endpoint), "a replay does not roam the endpoint to its sender");
            Assert.That(Lab.Ping('A', WireGuardLab.TunnelB, 1, TimeSpan.FromSeconds(2)), Is.EqualTo(1), "the tunnel still works");
        });
    }

    [Test]
    public void Rekey_AfterMessages_WhileTcpFlows_TransferIntact()
    {
        var timers = new ProtocolTimers { RekeyAfterMessages = 2000, RekeyTimeout = TimeSpan.FromMilliseconds(100) };
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), timers, _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        Peer peer = sample.Device.Peers[0];
        int before = peer.Handshakes;

        // A 64 MiB transfer is ~49,000 packets, but a fast one ends in under half a second, and initiations are
        // rate-limited (one per RekeyTimeout): transfer until three rekeys were seen, at most 8 times.
        var transfers = new List<TransferResult>();
        while (transfers.Count < 8 && peer.Handshakes - before < 3)
        {
            transfers.Add(WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, 64L << 20, Limit));
        }

        Assert.Multiple(() =>
        {
            Assert.That(transfers.TrueForAll(t => t.Intact), Is.True, string.Join("; ", transfers));
            Assert.That(peer.Handshakes - before, Is.GreaterThanOrEqualTo(3), $"2000 messages per session: several rekeys in {transfers.Count} transfers of 64 MiB");
        });
    }

    [Test]
    public void Rekey_AfterTime_WhileTrafficFlows()
    {
        var timers = new ProtocolTimers { RekeyAfterTime = TimeSpan.FromSeconds(1), RekeyTimeout = TimeSpan.FromMilliseconds(500) };
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), timers, _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        Peer peer = sample.Device.Peers[0];
        int before = peer.Handshakes;
        string firstHandshake = Lab.WgPeerDump('B')[4];

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int rounds = 0;
        bool intact = true;
        while (clock.Elapsed < TimeSpan.FromSeconds(4.5))
        {
            intact &= WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, 1L << 20, Limit).Intact;
            intact &= Lab.Ping('B', WireGuardLab.TunnelA, 1, TimeSpan.FromSeconds(2)) == 1;
            rounds++;
            Thread.Sleep(200);
        }

        Assert.Multiple(() =>
        {
            Assert.That(intact, Is.True, $"every transfer and ping of {rounds} rounds got through");
            Assert.That(peer.Handshakes - before, Is.GreaterThanOrEqualTo(3), "a rekey about every second");
            Assert.That(Lab.WgPeerDump('B')[4], Is.Not.EqualTo(firstHandshake), "wg show dump: wireguard-go saw the new handshakes");
        });
    }

    [Test]
    public void SampleAgainstSample_PingAndTcpBothWays([Values] bool offloads)
    {
        WireGuardInterface a = Lab.StartSample('A', Lab.Config('A'), log: _log, offloads: offloads);
        WireGuardInterface b = Lab.StartSample('B', Lab.Config('B'), log: _log, offloads: offloads);

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        TransferResult there = WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, TransferBytes, Limit);
        TransferResult back = WireGuardLab.Transfer(Lab.B, Lab.A, WireGuardLab.TunnelA, TransferBytes, Limit);
        Assert.Multiple(() =>
        {
            Assert.That(Lab.Ping('B', WireGuardLab.TunnelA, 2, TimeSpan.FromSeconds(2)), Is.EqualTo(2));
            Assert.That(there.Intact, Is.True, there.ToString());
            Assert.That(back.Intact, Is.True, back.ToString());
            Assert.That(a.Device.Peers[0].Current!.IsInitiator, Is.True);
            Assert.That(b.Device.Peers[0].Current!.IsInitiator, Is.False);
        });
    }

    [Test]
    public void SampleAgainstSample_Offloaded_BatchesUdpBothWays_AndAllocatesNothingPerPacket()
    {
        WireGuardInterface a = Lab.StartSample('A', Lab.Config('A'), log: _log);
        WireGuardInterface b = Lab.StartSample('B', Lab.Config('B'), log: _log);
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, TransferBytes, Limit); // warm-up: JIT, TCP window
        var sentBefore = a.Device.UdpCounters;
        var receivedBefore = b.Device.UdpCounters;
        var allocatedBefore = b.Device.DataPathCounters;

        TransferResult there = WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, TransferBytes, Limit);
        var sent = a.Device.UdpCounters;
        var received = b.Device.UdpCounters;
        var allocated = b.Device.DataPathCounters;

        double perSend = (double)(sent.DatagramsSent - sentBefore.DatagramsSent) / (sent.Sends - sentBefore.Sends);
        double perReceive = (double)(received.DatagramsReceived - receivedBefore.DatagramsReceived) / (received.Receives - receivedBefore.Receives);
        long inbound = allocated.InboundPackets - allocatedBefore.InboundPackets;
        Assert.Multiple(() =>
        {
            Assert.That(there.Intact, Is.True, there.ToString());
            // One TUN super-frame of up to 64 KiB is ~45 datagrams: sent as GSO runs in one sendmmsg, and received as
            // GRO runs (the veth keeps the GSO packet whole up to B's socket). One per call would mean no batching.
            Assert.That(perSend, Is.GreaterThan(4), $"datagrams per sendmmsg on A: {sent} after {sentBefore}");
            Assert.That(perReceive, Is.GreaterThan(4), $"datagrams per recvmmsg on B: {received} after {receivedBefore}");
            Assert.That(inbound, Is.GreaterThan(4096), "B's inbound worker's sample moved");
            Assert.That(allocated.InboundAllocated - allocatedBefore.InboundAllocated, Is.LessThan(inbound / 8), $"GRO runs -> open -> coalesce -> TUN over {inbound} packets");
        });
    }

    [Test]
    public void SteadyStateTraffic_AllocatesNothingPerPacket()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, TransferBytes, Limit);
        WireGuardLab.Transfer(Lab.B, Lab.A, WireGuardLab.TunnelA, TransferBytes, Limit);
        var before = sample.Device.DataPathCounters;

        TransferResult there = WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, TransferBytes, Limit);
        TransferResult back = WireGuardLab.Transfer(Lab.B, Lab.A, WireGuardLab.TunnelA, TransferBytes, Limit);
        var after = sample.Device.DataPathCounters;

        Assert.Multiple(() =>
        {
            Assert.That(there.Intact && back.Intact, Is.True);
            Assert.That(after.OutboundPackets - before.OutboundPackets, Is.GreaterThan(4096), "the outbound worker's sample moved");
            Assert.That(after.InboundPackets - before.InboundPackets, Is.GreaterThan(4096), "the inbound worker's sample moved");
            // Not exactly zero: an idle worker allocates while it waits (the TUN queue's and the UDP socket's
            // cancellation registration per poll), a few dozen bytes per idle gap; a per-packet allocation
            // (>= 24 B per packet) would be > 24 x packets.
            long outbound = after.OutboundPackets - before.OutboundPackets;
            long inbound = after.InboundPackets - before.InboundPackets;
            Assert.That(after.OutboundAllocated - before.OutboundAllocated, Is.LessThan(outbound / 8), $"TUN -> seal -> UDP over {outbound} packets");
            Assert.That(after.InboundAllocated - before.InboundAllocated, Is.LessThan(inbound / 8), $"UDP -> open -> TUN over {inbound} packets");
        });
    }

    [Test]
    public void SampleUnderLoad_AnswersCookieReplies_SampleInitiatorRetriesWithMac2()
    {
        Lab.StartSample('A', Lab.Config('A'), Fast, _log);
        WireGuardInterface b = Lab.StartSample('B', Lab.Config('B'), Fast with { UnderLoadHandshakesPerSecond = 0 }, _log);

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);
        Assert.That(b.Device.CookieRepliesSent, Is.GreaterThanOrEqualTo(1), "the first initiation (no mac2) got a cookie reply");
    }

    [Test]
    public void SampleUnderLoad_WireguardGoInitiator_RetriesWithMac2()
    {
        WireGuardInterface a = Lab.StartSample('A', Lab.Config('A'), ProtocolTimers.Default with { UnderLoadHandshakesPerSecond = 0 }, _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));

        Assert.That(Lab.PingUntilReply('B', WireGuardLab.TunnelA, Limit), Is.True, "wireguard-go took our cookie and retried with a valid mac2");
        Assert.That(a.Device.CookieRepliesSent, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void PeerNotUpYet_HandshakeRetriesUntilItIs()
    {
        Lab.StartSample('A', Lab.Config('A'), Fast, _log);
        Assert.That(Lab.Ping('A', WireGuardLab.TunnelB, 2, TimeSpan.FromSeconds(1)), Is.Zero, "nobody on B yet");

        Lab.StartWireguardGo('B', Lab.Config('B'));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Lab.WgPeerDump('B')[4] == "0" && clock.Elapsed < Limit)
        {
            Thread.Sleep(100);
        }

        Assert.That(Lab.WgPeerDump('B')[4], Is.Not.EqualTo("0"), "a retry (no new packet needed) completed the handshake");
        Assert.That(Lab.Ping('A', WireGuardLab.TunnelB, 2, TimeSpan.FromSeconds(2)), Is.EqualTo(2));
    }

    [Test]
    public void PeerRestarts_TunnelComesBack()
    {
        Lab.StartSample('A', Lab.Config('A'), Fast, _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);

        Lab.StopWireguardGo('B');
        Lab.StartWireguardGo('B', Lab.Config('B'));

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True, "the sample noticed the dead session and rehandshook");
    }

    [Test]
    public void SampleRestarts_WireguardGoTakesTheNewHandshake()
    {
        WireGuardInterface first = Lab.StartSample('A', Lab.Config('A'), log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);

        first.Dispose();
        WireGuardInterface second = Lab.StartSample('A', Lab.Config('A'), log: _log);

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True, "wireguard-go accepted the restarted sample's initiation (newer timestamp)");
        Assert.That(second.Device.Peers[0].Handshakes, Is.EqualTo(1));
    }

    [Test]
    public void PeerChangesAddress_EndpointRoams()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True);

        var moved = IPAddress.Parse("203.0.113.3");
        Lab.LinksB.Session.Addresses.Delete("ul1", new IPPrefix(WireGuardLab.UnderlayB, 25));
        Lab.LinksB.Session.Addresses.Add("ul1", new IPPrefix(moved, 25));

        Assert.That(Lab.PingUntilReply('B', WireGuardLab.TunnelA, Limit), Is.True, "B pings from its new address");
        Assert.Multiple(() =>
        {
            Assert.That(sample.Device.Peers[0].Endpoint, Is.EqualTo(new IPEndPoint(moved, WireGuardLab.Port)), "the endpoint followed the authenticated packets");
            Assert.That(Lab.Ping('A', WireGuardLab.TunnelB, 2, TimeSpan.FromSeconds(2)), Is.EqualTo(2), "and A reaches B there");
        });
    }

    [Test]
    public void TwoPeers_CryptokeyRoutingSendsEachPacketToItsPeer()
    {
        Lab.AddC();
        (Samples.WireGuard.Config.WireGuardConfig configC, Samples.WireGuard.Config.PeerConfig peerC) = Lab.ConfigC();
        Samples.WireGuard.Config.WireGuardConfig configA = Lab.Config('A');
        configA.Peers.Add(peerC);
        WireGuardInterface sample = Lab.StartSample('A', configA, log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));
        Lab.StartSample('C', configC, log: _log);

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True, "A -> B (wireguard-go)");
        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelC, Limit), Is.True, "A -> C (the sample)");
        TransferResult toB = WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, TransferBytes, Limit);
        TransferResult toC = WireGuardLab.Transfer(Lab.A, Lab.C!, WireGuardLab.TunnelC, TransferBytes, Limit);
        Peer b = sample.Device.Peers[0];
        Peer c = sample.Device.Peers[1];
        string show = ShowFormatter.Format(sample.Device, DateTimeOffset.UtcNow);
        Assert.Multiple(() =>
        {
            Assert.That(toB.Intact, Is.True, toB.ToString());
            Assert.That(toC.Intact, Is.True, toC.ToString());
            Assert.That(b.SentBytes, Is.GreaterThan(TransferBytes).And.LessThan(3 * TransferBytes), "B got its transfer, not C's");
            Assert.That(c.SentBytes, Is.GreaterThan(TransferBytes).And.LessThan(3 * TransferBytes), "C got its transfer, not B's");
            Assert.That(show, Does.Contain($"endpoint: {WireGuardLab.UnderlayC}:{WireGuardLab.Port}").And.Contain("allowed ips: 198.51.100.3/32"));
        });
    }

    private static ProtocolTimers Fast { get; } = new()
    {
        RekeyTimeout = TimeSpan.FromSeconds(1),
        KeepaliveTimeout = TimeSpan.FromSeconds(1),
        MaxJitter = TimeSpan.FromMilliseconds(50),
    };

    private static string[] Labels(string show) =>
        show.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(':')[0].Trim()).ToArray();

    private static byte[] RandomKey() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private static int Receive(Socket socket, byte[] buffer)
    {
        try
        {
            return socket.Receive(buffer);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return 0;
        }
    }

    private void AssertBothWays(Peer peer)
    {
        TransferResult there = WireGuardLab.Transfer(Lab.A, Lab.B, WireGuardLab.TunnelB, TransferBytes, Limit);
        TransferResult back = WireGuardLab.Transfer(Lab.B, Lab.A, WireGuardLab.TunnelA, TransferBytes, Limit);
        string[] dump = Lab.WgPeerDump('B');
        Assert.Multiple(() =>
        {
            Assert.That(Lab.Ping('A', WireGuardLab.TunnelB, 2, TimeSpan.FromSeconds(2)), Is.EqualTo(2), "A -> B");
            Assert.That(Lab.Ping('B', WireGuardLab.TunnelA, 2, TimeSpan.FromSeconds(2)), Is.EqualTo(2), "B -> A");
            Assert.That(there.Intact, Is.True, $"TCP A -> B: {there}");
            Assert.That(back.Intact, Is.True, $"TCP B -> A: {back}");
            Assert.That(peer.Handshakes, Is.GreaterThanOrEqualTo(1));
            Assert.That(peer.ReceivedBytes, Is.GreaterThan(TransferBytes));
            Assert.That(peer.SentBytes, Is.GreaterThan(TransferBytes));
            Assert.That(dump[0], Is.EqualTo(Convert.ToBase64String(Curve25519.GetPublicKey(Lab.PrivateA))), "wg show: the peer is the sample");
            Assert.That(dump[2], Is.EqualTo($"{WireGuardLab.UnderlayA}:{WireGuardLab.Port}"), "wg show: the sample's endpoint");
            Assert.That(long.Parse(dump[5]), Is.GreaterThan(TransferBytes), "wg show: wireguard-go received the transfer");
        });
    }
}
