using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Netlink;

/// <summary>
/// A request socket whose receive queue a second netlink socket has filled (issue 12 item 3): the kernel drops the
/// reply (ENOBUFS) and reports no further drop until the queue has been emptied once, so a socket that did not drain
/// it waited for good. Each test floods inside its own anonymous namespace, a bounded number of datagrams.
/// </summary>
[Category("Privileged")]
public class NetlinkSocketFloodTests
{
    private const ushort RTM_NEWLINK = 16;
    private const ushort RTM_GETLINK = 18;
    private const int MaxFloodDatagrams = 10_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private NetNamespace? _ns;

    private NetNamespace Ns => _ns!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
    }

    [TearDown]
    public void TearDown() => _ns?.Dispose();

    // A small queue, so that a few datagrams fill it; the timeout only bounds a regression.
    private NetlinkSocket OpenSocket()
        => Ns.Run(() => NetlinkSocket.Open(0, new NetlinkSocketOptions { ReceiveBufferSize = 16 * 1024, RequestTimeout = TimeSpan.FromSeconds(15) }));

    /// <summary>Sends 1 KiB datagrams from <paramref name="flooder"/> to <paramref name="target"/> until its queue is full.</summary>
    private static unsafe int Flood(NetlinkSocket flooder, NetlinkSocket target)
    {
        byte[] junk = new byte[1024];
        var address = new SockAddrNetlink { Family = 16 /* AF_NETLINK */, PortId = target.PortId };
        for (int sent = 0; sent < MaxFloodDatagrams; sent++)
        {
            fixed (byte* p = junk)
            {
                if (Interop.Libc.SendTo(flooder.Handle.DangerousGetFd(), p, (nuint)junk.Length, 0x40 /* MSG_DONTWAIT */, &address, (uint)sizeof(SockAddrNetlink)) < 0)
                {
                    Assert.That(Interop.GetLastErrno(), Is.EqualTo((int)Errno.EAGAIN), "the flood failed for another reason");
                    Assert.That(sent, Is.GreaterThan(0));
                    return sent;
                }
            }
        }

        Assert.Fail($"{MaxFloodDatagrams} datagrams did not fill the queue: the test proves nothing");
        return 0;
    }

    private static byte[] LinkDumpRequest()
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RTM_GETLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfInfoMsg());
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static byte[] VethRequest(string name)
    {
        byte[] buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteString(3 /* IFLA_IFNAME */, name);
        NestedAttribute info = writer.BeginNested(18 /* IFLA_LINKINFO */);
        writer.WriteString(1 /* IFLA_INFO_KIND */, "veth");
        NestedAttribute data = writer.BeginNested(2 /* IFLA_INFO_DATA */);
        NestedAttribute peer = writer.BeginNested(1 /* VETH_INFO_PEER */);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteString(3 /* IFLA_IFNAME */, name + "p");
        writer.EndNested(peer);
        writer.EndNested(data);
        writer.EndNested(info);
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static void CollectName(NetlinkMessage message, List<string> names)
    {
        foreach (NetlinkAttribute attribute in message.GetAttributes<IfInfoMsg>())
        {
            if (attribute.Type == 3)
            {
                names.Add(attribute.GetString());
            }
        }
    }

    private static T Bounded<T>(Func<T> call)
    {
        Task<T> task = Task.Factory.StartNew(call, TaskCreationOptions.LongRunning);
        Assert.That(task.Wait(Bound), Is.True, $"the request was still waiting after {Bound.TotalSeconds} s");
        return task.Result;
    }

    private string[] IpLinkNames()
        => IpOracle.Json(Ns, "link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).Order(StringComparer.Ordinal).ToArray();

    [Test]
    public void Dump_QueueFloodedByAnotherSocket_DrainsAndReturnsTheWholeDump()
    {
        using NetlinkSocket socket = OpenSocket();
        using NetlinkSocket flooder = OpenSocket();
        socket.Execute(VethRequest("d0"));
        int flooded = Flood(flooder, socket);

        var names = new List<string>();
        NetlinkDumpResult result = Bounded(() => socket.Dump(LinkDumpRequest(), names, CollectName, static list => list.Clear()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names.Order(StringComparer.Ordinal), Is.EqualTo(IpLinkNames()), $"after {flooded} flood datagrams");
            Assert.That(result.IsConsistent, Is.True);
            Assert.That(socket.ReceiveOverflowCount, Is.GreaterThanOrEqualTo(1), "the kernel reported no overflow: the test proves nothing");
        }
    }

    [Test]
    public void Execute_QueueFloodedByAnotherSocket_FailsClearlyThenTheSocketWorksAgain()
    {
        using NetlinkSocket socket = OpenSocket();
        using NetlinkSocket flooder = OpenSocket();
        Flood(flooder, socket);

        // The kernel applies the request but cannot queue its acknowledgement.
        Exception? first = Bounded<Exception?>(() =>
        {
            try
            {
                socket.Execute(VethRequest("d0"));
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        NetlinkException? e = first as NetlinkException;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.TypeOf<NetlinkException>(), first?.ToString());
            Assert.That(e?.Errno, Is.EqualTo(Errno.ENOBUFS));
            Assert.That(e?.Message, Does.Contain("receive queue overflowed").And.Contain("may or may not have been applied"));
        }

        // The next requests on the same socket are answered: the drain put it back in step with the kernel.
        var names = new List<string>();
        Bounded(() => socket.Query(LinkDumpRequest(), names, CollectName, static list => list.Clear()));
        Bounded(() =>
        {
            socket.Execute(VethRequest("d1"));
            return 0;
        });
        Assert.That(names.Order(StringComparer.Ordinal), Is.EqualTo(new[] { "d0", "d0p", "lo" }), "the refused-looking request had been applied, as the message warns");
        Assert.That(IpLinkNames(), Is.EqualTo(new[] { "d0", "d0p", "d1", "d1p", "lo" }));
    }

    [Test]
    public async Task Async_QueueFloodedByAnotherSocket_DumpDrainsAndExecuteFailsClearlyThenWorks()
    {
        using NetlinkSocket socket = OpenSocket();
        using NetlinkSocket flooder = OpenSocket();
        using var cts = new CancellationTokenSource(Bound);

        Flood(flooder, socket);
        var names = new List<string>();
        NetlinkDumpResult result = await socket.DumpAsync(LinkDumpRequest(), names, CollectName, static list => list.Clear(), cts.Token);
        Assert.That((names.Single(), result.IsConsistent), Is.EqualTo(("lo", true)));

        Flood(flooder, socket);
        NetlinkException? e = Assert.ThrowsAsync<NetlinkException>(async () => await socket.ExecuteAsync(VethRequest("d0"), cts.Token));
        Assert.That(e?.Errno, Is.EqualTo(Errno.ENOBUFS));

        await socket.ExecuteAsync(VethRequest("d1"), cts.Token);
        Assert.That(IpLinkNames(), Is.EqualTo(new[] { "d0", "d0p", "d1", "d1p", "lo" }));
        Assert.That(socket.ReceiveOverflowCount, Is.GreaterThanOrEqualTo(2));
    }
}
