using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Samples.TunVpn;

namespace LinuxNet.Samples.Tests;

[Category("Privileged")]
[NonParallelizable]
public class TunVpnDemoTests
{
    [Test]
    public void Run_TwoNamespaces_MovesTrafficBothWaysAndDropsForgedDatagrams()
    {
        Privileged.RequireRoot();
        var output = new StringWriter();
        DemoResult result = Demo.Run(output, TimeSpan.FromSeconds(1), 256L << 20, CancellationToken.None);
        string text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(result.PingReplies, Is.EqualTo(result.PingsSent), text);
            Assert.That(result.TcpBytes, Is.GreaterThan(1_000_000), "TCP A -> B through the tunnel");
            Assert.That(result.ReverseTcpBytes, Is.GreaterThan(1_000_000), "TCP B -> A through the tunnel");
            Assert.That(result.PacketsAtoB, Is.GreaterThan(1000));
            Assert.That(result.PacketsBtoA, Is.GreaterThan(100));
            Assert.That(result.TamperedRejected, Is.EqualTo(1), "a datagram with one flipped byte is dropped");
            Assert.That(result.ReplaysRejected, Is.EqualTo(1), "a datagram sent twice is dropped the second time");
            Assert.That(IpOracle.RunHere("-o", "link"), Does.Not.Contain("vpn0").And.Not.Contain("ul0"), "nothing leaked into the test's namespace");
        });
    }
}
