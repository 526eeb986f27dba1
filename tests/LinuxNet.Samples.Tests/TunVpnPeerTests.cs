using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Samples.TunVpn;

namespace LinuxNet.Samples.Tests;

/// <summary>The VPN peer rides out a peer that is not up yet or restarts, and reports a dead thread.</summary>
[Category("Privileged")]
[NonParallelizable]
public class TunVpnPeerTests
{
    [Test]
    public void PeerA_PeerBStartsOneSecondLater_TrafficFlowsBothWays()
    {
        Privileged.RequireRoot();
        using VpnLab lab = VpnLab.CreateUnderlay();
        Unlimit(lab.B);
        lab.StartPeerA();

        // A sends into the void for a second: each datagram draws ICMP port-unreachable from B's kernel, which the
        // connected socket reports to whichever of A's threads touches it next — in a burst, also to a send.
        Burst(lab.A, VpnLab.TunnelB, 2000);
        int early = Ping(lab.A, VpnLab.TunnelB, count: 4, TimeSpan.FromMilliseconds(250));
        lab.StartPeerB();

        int aToB = Ping(lab.A, VpnLab.TunnelB, count: 3, TimeSpan.FromSeconds(2));
        int bToA = Ping(lab.B, VpnLab.TunnelA, count: 3, TimeSpan.FromSeconds(2));
        (long forward, _) = VpnLab.Transfer(lab.A, lab.B, VpnLab.TunnelB, 32L << 20, TimeSpan.FromSeconds(1));
        (long reverse, _) = VpnLab.Transfer(lab.B, lab.A, VpnLab.TunnelA, 32L << 20, TimeSpan.FromSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(early, Is.Zero, "nothing answers before B is up");
            // Which of A's threads meets the pending ECONNREFUSED first is the scheduler's choice: in most runs a send
            // (counted in SendErrors), in some the inbound thread's receive. Either way it must not be fatal.
            TestContext.Out.WriteLine($"refused sends: {lab.PeerA!.SendErrors}");
            Assert.That(lab.PeerA.Fault, Is.Null, "a refused send or receive is not fatal");
            Assert.That(aToB, Is.EqualTo(3), "ping A -> B once B is up");
            Assert.That(bToA, Is.EqualTo(3), "ping B -> A once B is up");
            Assert.That(forward, Is.GreaterThan(1_000_000), "TCP A -> B");
            Assert.That(reverse, Is.GreaterThan(1_000_000), "TCP B -> A");
        });
    }

    [Test]
    public void PeerB_Restarts_TrafficResumesBothWays()
    {
        Privileged.RequireRoot();
        using VpnLab lab = VpnLab.CreateUnderlay();
        Unlimit(lab.B);
        lab.StartVpn();
        int before = Ping(lab.A, VpnLab.TunnelB, count: 2, TimeSpan.FromSeconds(2));
        lab.StopPeerB();
        Burst(lab.A, VpnLab.TunnelB, 2000);
        int down = Ping(lab.A, VpnLab.TunnelB, count: 3, TimeSpan.FromMilliseconds(250));
        lab.StartPeerB();
        int aToB = Ping(lab.A, VpnLab.TunnelB, count: 3, TimeSpan.FromSeconds(2));
        int bToA = Ping(lab.B, VpnLab.TunnelA, count: 3, TimeSpan.FromSeconds(2));
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(2));
            Assert.That(down, Is.Zero);
            Assert.That(lab.PeerA!.Fault, Is.Null);
            Assert.That(aToB, Is.EqualTo(3), "A -> B after B restarted (B's new counters are newer than A's window)");
            Assert.That(bToA, Is.EqualTo(3), "B -> A after B restarted");
            Assert.That(lab.PeerA.Replayed, Is.Zero, "the restarted B's packets are not taken for replays");
        });
    }

    [Test]
    public void Outbound_UnexpectedSendError_IsReportedNotHidden()
    {
        Privileged.RequireRoot();
        using VpnLab lab = VpnLab.CreateUnderlay();
        lab.StartPeerA();
        var faults = new List<string>();
        lab.PeerA!.Faulted += (_, thread, e) =>
        {
            lock (faults)
            {
                faults.Add(thread + ": " + e.GetType().Name);
            }
        };

        // A socket whose sending side is shut down fails every send with EPIPE: not a transient link error.
        lab.UdpA!.Shutdown(SocketShutdown.Send);
        Ping(lab.A, VpnLab.TunnelB, count: 1, TimeSpan.FromMilliseconds(250));
        bool signalled = lab.PeerA.FaultSignal.WaitOne(TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(signalled, Is.True, "FaultSignal is set when a thread dies");
            Assert.That(lab.PeerA.Fault, Is.InstanceOf<SocketException>());
            lock (faults)
            {
                Assert.That(faults, Has.Count.EqualTo(1).And.Some.StartsWith("TunVpn A tun->udp: SocketException"));
            }
        });
    }

    [TestCase(SocketError.ConnectionRefused, true)]
    [TestCase(SocketError.HostUnreachable, true)]
    [TestCase(SocketError.NoBufferSpaceAvailable, true)]
    [TestCase(SocketError.Shutdown, false)]
    [TestCase(SocketError.NotConnected, false)]
    [TestCase(SocketError.AccessDenied, false)]
    public void IsTransient_ClassifiesLinkErrors(SocketError error, bool transient)
        => Assert.That(VpnPeer.IsTransient(error), Is.EqualTo(transient));

    /// <summary>
    /// Lifts the namespace's ICMP rate limit (about six errors a second per destination by default), so every datagram
    /// to a closed port draws its port-unreachable and some reach the sending thread, not only the receiving one.
    /// </summary>
    private static void Unlimit(NetNamespace ns) => ns.Run(() =>
    {
        File.WriteAllText("/proc/sys/net/ipv4/icmp_ratelimit", "0");
        File.WriteAllText("/proc/sys/net/ipv4/icmp_msgs_per_sec", "1000000");
        File.WriteAllText("/proc/sys/net/ipv4/icmp_msgs_burst", "1000000");
    });

    /// <summary>Sends <paramref name="count"/> small UDP datagrams into the tunnel as fast as the socket takes them.</summary>
    private static void Burst(NetNamespace ns, IPAddress target, int count) => ns.Run(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        byte[] payload = new byte[32];
        var destination = new IPEndPoint(target, 9);
        for (int i = 0; i < count; i++)
        {
            socket.SendTo(payload, destination);
        }
    });

    private static int Ping(NetNamespace ns, IPAddress target, int count, TimeSpan timeout) => VpnLab.Ping(ns, target, count, timeout);
}
