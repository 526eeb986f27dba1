using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

[TestFixture]
[Category("Privileged")]
public class IsolationTests
{
    // linux/sockios.h: returns a new fd of the socket's network namespace (kernel 4.9+).
    private const uint SIOCGSKNS = 0x894C;

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void ProcNetDev_InsideFreshNamespace_ListsOnlyLoopback()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        string[] inside = lab.Run(() => DeviceNames(File.ReadAllLines("/proc/thread-self/net/dev")));
        string[] outside = DeviceNames(File.ReadAllLines("/proc/thread-self/net/dev"));
        Assert.Multiple(() =>
        {
            Assert.That(inside, Is.EqualTo(new[] { "lo" }));
            Assert.That(outside, Is.Not.EqualTo(inside), "the caller's namespace has more than loopback");
        });
    }

    [Test]
    public void IpJsonLinkCount_InsideAndOutside_Differ()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        using NetNamespace here = NetNamespace.Current;
        int inside = IpOracle.Json(lab, "link", "show").GetArrayLength();
        int outside = IpOracle.Json(here, "link", "show").GetArrayLength();
        Assert.Multiple(() =>
        {
            Assert.That(inside, Is.EqualTo(1));
            Assert.That(outside, Is.GreaterThan(1));
        });
    }

    [Test]
    public void Socket_MadeInsideUsedFromAnotherThread_StaysInTheNamespace()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        IpOracle.Run(lab, "link", "set", "lo", "up");
        (Socket server, Socket client) = lab.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var c = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            return (s, c);
        });

        using (server)
        using (client)
        {
            // Used from this (test) thread, outside the namespace.
            using NetNamespace serverNs = NamespaceOf(server);
            using NetNamespace clientNs = NamespaceOf(client);
            client.SendTo(new byte[] { 7, 8, 9 }, server.LocalEndPoint!);
            server.ReceiveTimeout = 5000;
            var buffer = new byte[16];
            int received = server.Receive(buffer);

            using NetNamespace here = NetNamespace.Current;
            Assert.Multiple(() =>
            {
                Assert.That(serverNs, Is.EqualTo(lab));
                Assert.That(clientNs, Is.EqualTo(lab));
                Assert.That(here, Is.Not.EqualTo(lab));
                Assert.That(buffer[..received], Is.EqualTo(new byte[] { 7, 8, 9 }));
            });
        }
    }

    [Test]
    public async Task Socket_MadeInsideRunAsync_AcceptsFromInsideOnly()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        IpOracle.Run(lab, "link", "set", "lo", "up");
        using Socket listener = lab.Run(() =>
        {
            var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            l.Listen(4);
            return l;
        });
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;

        // A client in the namespace connects; the listener, now used from the thread pool, accepts it.
        Task<Socket> accept = listener.AcceptAsync();
        string reply = await lab.RunAsync(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint.Address, endpoint.Port);
            return "connected";
        });
        using Socket accepted = await accept.WaitAsync(TimeSpan.FromSeconds(10));
        using NetNamespace acceptedNs = NamespaceOf(accepted);
        Assert.Multiple(() =>
        {
            Assert.That(reply, Is.EqualTo("connected"));
            Assert.That(acceptedNs, Is.EqualTo(lab));
        });
    }

    private static NetNamespace NamespaceOf(Socket socket)
    {
        int fd = Interop.Libc.Ioctl((int)socket.Handle, SIOCGSKNS, 0);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), "ioctl(SIOCGSKNS)");
        try
        {
            return NetNamespace.OpenPath($"/proc/self/fd/{fd}");
        }
        finally
        {
            Interop.Libc.Close(fd);
        }
    }

    private static string[] DeviceNames(string[] procNetDev)
        => procNetDev.Skip(2).Select(l => l.Split(':')[0].Trim()).Order(StringComparer.Ordinal).ToArray();
}
