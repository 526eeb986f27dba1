using System.Net;
using System.Net.Sockets;
using LinuxNet.Genl;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Genl.Mptcp;

/// <summary>The path manager's events (<c>mptcp_pm_events</c>) for a real MPTCP connection over loopback in a fresh namespace.</summary>
[TestFixture]
[Category("Privileged")]
public class MptcpEventTests
{
    private const int IPPROTO_MPTCP = 262;
    private const byte Created = 1, Established = 2; // MPTCP_EVENT_*
    private const ushort AttrToken = 1; // MPTCP_ATTR_TOKEN

    private GenlLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = GenlLab.Create();
        _lab.Ip("link", "set", "lo", "up");
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public async Task OpenEvents_MptcpConnection_ReportsCreatedAndEstablishedWithItsToken()
    {
        using GenericNetlinkEventReader events = _lab.Session.OpenEvents("mptcp_pm", "mptcp_pm_events");
        Assert.That(events.Group.Id, Is.EqualTo(_lab.Session.GetFamily("mptcp_pm").GetMulticastGroup("mptcp_pm_events").Id));

        (Socket listener, Socket client, Socket server) = _lab.Namespace.Run(() =>
        {
            Socket l = MptcpSocket();
            l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            l.Listen(1);
            Socket c = MptcpSocket();
            c.Connect(l.LocalEndPoint!);
            return (l, c, l.Accept());
        });
        using (listener)
        using (client)
        using (server)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var seen = new List<(byte Command, uint Token)>();
            while (!seen.Any(e => e.Command == Established))
            {
                GenericNetlinkEvent e = await events.ReadAsync(timeout.Token);
                Assert.That(e.IsOverrun, Is.False);
                seen.Add((e.Command, Token(e)));
            }

            using (Assert.EnterMultipleScope())
            {
                Assert.That(seen.Select(e => e.Command), Does.Contain(Created).And.Contain(Established));
                // This kernel also reports the listener (MPTCP_EVENT_LISTENER_CREATED, no token); connection events carry one.
                Assert.That(seen.Where(e => e.Command is Created or Established).Select(e => e.Token), Is.All.Not.Zero, "every connection event carries its token");
                Assert.That(seen.Where(e => e.Command == Established).Select(e => e.Token), Is.SubsetOf(seen.Where(e => e.Command == Created).Select(e => e.Token)), "established after created, same token");
            }
        }
    }

    [Test]
    public void OpenEvents_UnknownGroup_ThrowsNamingIt()
        => Assert.That(() => _lab.Session.OpenEvents("mptcp_pm", "no_such_group"), Throws.ArgumentException.With.Message.Contains("no_such_group"));

    [Test]
    public async Task ReadAsync_Cancelled_EndsTheWait()
    {
        using GenericNetlinkEventReader events = _lab.Session.OpenEvents("ethtool", "monitor");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await events.ReadAsync(cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        await Task.CompletedTask;
    }

    /// <summary>An MPTCP stream socket: .NET does not know IPPROTO_MPTCP, so the fd is made with socket(2) and wrapped.</summary>
    private static Socket MptcpSocket()
    {
        int fd = LinuxNet.Interop.Libc.Socket(LinuxSocket.AF_INET, 1 /* SOCK_STREAM */ | 0x80000 /* SOCK_CLOEXEC */, IPPROTO_MPTCP);
        if (fd < 0)
        {
            Assert.Ignore("this kernel has no MPTCP sockets");
        }

        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    private static uint Token(GenericNetlinkEvent e)
    {
        foreach (NetlinkAttribute attribute in new NetlinkAttributeEnumerator(e.Attributes.Span))
        {
            if (attribute.Type == AttrToken)
            {
                return attribute.GetUInt32();
            }
        }

        return 0;
    }
}
