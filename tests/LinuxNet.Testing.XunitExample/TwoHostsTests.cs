using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinuxNet.Testing;
using Xunit;

namespace LinuxNet.Testing.XunitExample;

/// <summary>A fact that xUnit skips, with the reason, when the process is not root (a lab needs CAP_NET_ADMIN and CAP_SYS_ADMIN).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (geteuid() != 0)
        {
            Skip = "needs root: a network lab creates namespaces";
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}

/// <summary>
/// LinuxNet.Testing from xUnit: one lab per test (xUnit makes a new instance per test and disposes it), two hosts on a
/// veth pair. The same lab works from NUnit (see tests/LinuxNet.IntegrationTests/Testing) or MSTest.
/// </summary>
public sealed class TwoHostsTests : IDisposable
{
    private readonly NetworkLab? _lab;

    public TwoHostsTests()
    {
        if (geteuid() == 0)
        {
            _lab = new NetworkLabBuilder()
                .Namespace("client").Namespace("server")
                .Veth("client", "eth0", "server", "eth0")
                .Address("client", "eth0", "198.51.100.1/24").Address("client", "eth0", "2001:db8:7::1/64")
                .Address("server", "eth0", "198.51.100.2/24").Address("server", "eth0", "2001:db8:7::2/64")
                .Build();
        }
    }

    [RootFact]
    public void Udp_FromClient_ReachesServer_OverIPv4AndIPv6()
    {
        foreach (string server in new[] { "198.51.100.2", "2001:db8:7::2" })
        {
            IPAddress address = IPAddress.Parse(server);
            using Socket receiver = _lab!["server"].Run(() => new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            receiver.Bind(new IPEndPoint(address, 0));
            receiver.ReceiveTimeout = 5000;
            using Socket sender = _lab["client"].Run(() => new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            sender.SendTo("ping"u8.ToArray(), receiver.LocalEndPoint!);

            byte[] buffer = new byte[8];
            EndPoint from = new IPEndPoint(address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            int n = receiver.ReceiveFrom(buffer, ref from);
            Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
            Assert.Equal(address.AddressFamily == AddressFamily.InterNetwork ? "198.51.100.1" : "2001:db8:7::1", ((IPEndPoint)from).Address.ToString());
        }
    }

    [RootFact]
    public void Lab_SessionsSeeTheirOwnNamespaceOnly()
    {
        var clientLinks = _lab!["client"].Session.Links.List().Select(l => l.Name).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "eth0", "lo" }, clientLinks);
        Assert.NotEqual(_lab["client"].Namespace.Inode, _lab["server"].Namespace.Inode);
    }

    public void Dispose() => _lab?.Dispose();

    [DllImport("libc")]
    private static extern uint geteuid();
}
