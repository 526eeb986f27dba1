using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
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
    public void SampleInitiates_WireguardGoResponds_PingAndTcpBothWaysIntact()
    {
        WireGuardInterface sample = Lab.StartSample('A', Lab.Config('A'), log: _log);
        Lab.StartWireguardGo('B', Lab.Config('B'));

        Assert.That(Lab.PingUntilReply('A', WireGuardLab.TunnelB, Limit), Is.True, "A pings B through the tunnel");
        Peer peer = sample.Device.Peers[0];
        AssertBothWays(peer);
        Assert.Multiple(() =>
        {
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
