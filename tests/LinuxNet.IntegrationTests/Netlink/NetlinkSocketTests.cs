using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;
using Microsoft.Extensions.Logging;

namespace LinuxNet.IntegrationTests.Netlink;

/// <summary>NetlinkSocket against the real kernel, each test in its own anonymous network namespace.</summary>
[Category("Privileged")]
public class NetlinkSocketTests
{
    private const ushort RTM_NEWLINK = 16;
    private const ushort RTM_GETLINK = 18;
    private const ushort IFLA_IFNAME = 3;
    private const ushort IFLA_LINKINFO = 18;
    private const ushort IFLA_INFO_KIND = 1;
    private const ushort IFLA_INFO_DATA = 2;
    private const ushort VETH_INFO_PEER = 1;
    private const NetlinkMessageFlags CreateFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create;

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

    private NetlinkSocket OpenSocket(ILoggerFactory? loggerFactory = null)
        => Ns.Run(() => NetlinkSocket.Open(0, new NetlinkSocketOptions { LoggerFactory = loggerFactory }));

    private static byte[] LinkDumpRequest()
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RTM_GETLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteUInt32(29 /* IFLA_EXT_MASK */, 1);
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static byte[] VethRequest(string name, string peer)
    {
        byte[] buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RTM_NEWLINK, CreateFlags);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteString(IFLA_IFNAME, name);
        NestedAttribute info = writer.BeginNested(IFLA_LINKINFO);
        writer.WriteString(IFLA_INFO_KIND, "veth");
        NestedAttribute data = writer.BeginNested(IFLA_INFO_DATA);
        NestedAttribute peerInfo = writer.BeginNested(VETH_INFO_PEER);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteString(IFLA_IFNAME, peer);
        writer.EndNested(peerInfo);
        writer.EndNested(data);
        writer.EndNested(info);
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    /// <summary>The request of <c>ip link add vx0 type vxlan id 42 srcport 200 100 dstport 4789</c>, in iproute2's order.</summary>
    private static byte[] BadVxlanRequest(out int portRangeOffset)
    {
        byte[] buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RTM_NEWLINK, CreateFlags);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteString(IFLA_IFNAME, "vx0");
        NestedAttribute info = writer.BeginNested(IFLA_LINKINFO);
        writer.WriteAttribute(IFLA_INFO_KIND, "vxlan"u8);
        NestedAttribute data = writer.BeginNested(IFLA_INFO_DATA);
        portRangeOffset = writer.CurrentMessageLength;
        writer.WriteUInt32BigEndian(10 /* IFLA_VXLAN_PORT_RANGE: low 200, high 100 */, (200u << 16) | 100u);
        writer.WriteUInt32(1 /* IFLA_VXLAN_ID */, 42);
        writer.WriteUInt8(7 /* IFLA_VXLAN_LEARNING */, 1);
        writer.WriteUInt16BigEndian(15 /* IFLA_VXLAN_PORT */, 4789);
        writer.EndNested(data);
        writer.EndNested(info);
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static List<string> DumpNames(NetlinkSocket socket)
    {
        var names = new List<string>();
        socket.Query(LinkDumpRequest(), names, CollectName, static list => list.Clear());
        return names;
    }

    private static void CollectName(NetlinkMessage message, List<string> names)
    {
        foreach (NetlinkAttribute attribute in message.GetAttributes(16))
        {
            if (attribute.Type == IFLA_IFNAME)
            {
                names.Add(attribute.GetString());
            }
        }
    }

    /// <summary>Runs <c>ip ARGS</c> in the namespace; returns (exit code, stdout, stderr). Bounded to 10 s.</summary>
    private (int ExitCode, string Stdout, string Stderr) Ip(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = Ns.StartProcess(psi);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            Assert.Fail($"ip {string.Join(' ', args)} hung");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Test]
    public void Query_LinkDumpInFreshNamespace_ReturnsOnlyLo()
    {
        using NetlinkSocket socket = OpenSocket();
        Assert.That(DumpNames(socket), Is.EqualTo(new[] { "lo" }));
    }

    [Test]
    public void Execute_VethCreate_IpSeesBothEnds()
    {
        using NetlinkSocket socket = OpenSocket();
        socket.Execute(VethRequest("v0", "v1"));
        string json = Ip("-j", "link", "show").Stdout;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.Contain("\"ifname\":\"v0\"").And.Contain("\"ifname\":\"v1\""));
            Assert.That(DumpNames(socket), Is.EquivalentTo(new[] { "lo", "v0", "v1" }));
        }
    }

    [Test]
    public void Execute_KernelRefusesVxlan_ErrnoExtAckTextAndAttributePathMatchIp()
    {
        (int exit, _, string stderr) = Ip("link", "add", "vx0", "type", "vxlan", "id", "42", "srcport", "200", "100", "dstport", "4789");
        Assert.That(exit, Is.Not.Zero, "ip accepted the request");
        string line = stderr.Split('\n').Single(l => l.StartsWith("Error: ", StringComparison.Ordinal));
        string ipText = line.Substring("Error: ".Length).TrimEnd('.');

        using NetlinkSocket socket = OpenSocket();
        socket.Schema = RouteNetlinkSchema.Instance;
        NetlinkException e = Assert.Throws<NetlinkException>(() => socket.Execute(BadVxlanRequest(out _)))!;
        BadVxlanRequest(out int portRange);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
            Assert.That(e.ExtendedAckMessage, Is.EqualTo(ipText));
            Assert.That(e.ExtendedAckOffset, Is.EqualTo(portRange));
            Assert.That(e.AttributePath, Is.EqualTo(new ushort[] { IFLA_LINKINFO, IFLA_INFO_DATA, 10 }));
            Assert.That(e.MessageType, Is.EqualTo(RTM_NEWLINK));
            Assert.That(e.Message, Does.Contain(ipText));
        }
    }

    [Test]
    public void Execute_DuplicateName_EexistLikeIp()
    {
        using NetlinkSocket socket = OpenSocket();
        socket.Execute(VethRequest("v0", "v1"));
        (int exit, _, string stderr) = Ip("link", "add", "v0", "type", "veth", "peer", "name", "v9");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("File exists"));
        NetlinkException e = Assert.Throws<NetlinkException>(() => socket.Execute(VethRequest("v0", "v9")))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(e.ExtendedAckMessage, Is.Null, "the kernel gives no text here, and ip printed none");
            Assert.That(e.Message, Does.Contain("EEXIST"));
        }
    }

    /// <summary>Sends <paramref name="messages"/> from <paramref name="forger"/>'s port to the port id <paramref name="target"/>.</summary>
    private static unsafe void Forge(NetlinkSocket forger, uint target, byte[] messages)
    {
        var address = new SockAddrNetlink { Family = 16 /* AF_NETLINK */, PortId = target };
        fixed (byte* p = messages)
        {
            nint sent = Interop.Libc.SendTo(forger.Handle.DangerousGetFd(), p, (nuint)messages.Length, 0, &address, (uint)sizeof(SockAddrNetlink));
            Assert.That((int)sent, Is.EqualTo(messages.Length), "the forged datagram was not sent");
        }
    }

    private static byte[] ForgedAck(uint sequence, uint portId, int error)
    {
        byte[] buffer = new byte[36];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(2 /* NLMSG_ERROR */, (NetlinkMessageFlags)0x100 /* CAPPED */, sequence, portId);
        writer.WriteHeader(error);
        writer.WriteHeader(new NetlinkHeader(32, RTM_NEWLINK, CreateFlags, sequence, portId));
        writer.EndMessage();
        return buffer;
    }

    [Test]
    public void Execute_ForgedAckQueuedBeforeKernelReply_DroppedAndKernelErrorWins()
    {
        var logs = new LogCollector();
        using NetlinkSocket socket = OpenSocket(logs);
        using NetlinkSocket forger = OpenSocket();
        socket.Execute(VethRequest("v0", "v1"));

        // The forged success ack carries the very sequence number the next request will get, and is queued first.
        uint next = socket.NextSequenceNumber() + 1;
        Forge(forger, socket.PortId, ForgedAck(next, socket.PortId, 0));
        NetlinkException e = Assert.Throws<NetlinkException>(() => socket.Execute(VethRequest("v0", "v1")))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EEXIST), "the kernel's real answer");
            Assert.That(e.Sequence, Is.EqualTo(next), "the prediction of the sequence number was wrong: the test proves nothing");
            Assert.That(logs.Messages, Has.Some.Contains($"from port id {forger.PortId}"), "the forged datagram never arrived: the test proves nothing");
        }
    }

    [Test]
    public void Query_ForgedDumpQueuedBeforeKernelReply_Dropped()
    {
        var logs = new LogCollector();
        using NetlinkSocket socket = OpenSocket(logs);
        using NetlinkSocket forger = OpenSocket();
        uint next = socket.NextSequenceNumber() + 1;

        // A fake dump: one link named "evil0", then NLMSG_DONE, all with the right sequence and port id.
        byte[] buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RTM_NEWLINK, NetlinkMessageFlags.Multi, next, socket.PortId);
        writer.WriteHeader(new IfInfoMsg { Index = 99 });
        writer.WriteString(IFLA_IFNAME, "evil0");
        writer.EndMessage();
        writer.BeginMessage(3 /* NLMSG_DONE */, NetlinkMessageFlags.Multi, next, socket.PortId);
        writer.WriteHeader(0);
        writer.EndMessage();
        Forge(forger, socket.PortId, writer.WrittenSpan.ToArray());

        var names = new List<string>();
        socket.Query(LinkDumpRequest(), names, CollectName, static list => list.Clear());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(new[] { "lo" }));
            Assert.That(logs.Messages, Has.Some.Contains($"from port id {forger.PortId}"), "the forged datagram never arrived: the test proves nothing");
        }
    }

    [Test]
    public void Query_HandlerThrowsMidDump_NextDumpOnSameSocketSucceeds()
    {
        using (NetlinkSocket setup = OpenSocket())
        {
            for (int i = 0; i < 4; i++)
            {
                setup.Execute(VethRequest($"a{i}", $"b{i}"));
            }
        }

        // A fresh socket's first dump part is small (one page), so 9 links take several datagrams: the dump is still
        // running in the kernel when the handler throws on the first message.
        using NetlinkSocket socket = OpenSocket();
        Assert.Throws<FormatException>(() => socket.Query(LinkDumpRequest(), 0, static (_, _) => throw new FormatException("consumer failed")));
        List<string> names = DumpNames(socket);
        Assert.That(names, Has.Count.EqualTo(9));
        socket.Execute(VethRequest("c0", "d0"));
        Assert.That(DumpNames(socket), Has.Count.EqualTo(11));
    }

    private static byte[] AddressRequest(int index, IPAddress address)
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(20 /* RTM_NEWADDR */, CreateFlags);
        writer.WriteHeader(new IfAddrMsg { Family = 2, PrefixLength = 32, Index = (uint)index });
        writer.WriteAddress(2 /* IFA_LOCAL */, address);
        writer.WriteAddress(1 /* IFA_ADDRESS */, address);
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static byte[] AddressDumpRequest()
    {
        byte[] buffer = new byte[32];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(22 /* RTM_GETADDR */, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfAddrMsg { Family = 2 });
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static int IndexOf(NetlinkSocket socket, string name)
    {
        var found = new int[1];
        socket.Query(LinkDumpRequest(), found, (message, result) =>
        {
            foreach (NetlinkAttribute attribute in message.GetAttributes(16))
            {
                if (attribute.Type == IFLA_IFNAME && attribute.GetString() == name)
                {
                    result[0] = message.ReadHeader<IfInfoMsg>().Index;
                }
            }
        }, static result => result[0] = 0);
        return found[0];
    }

    [Test]
    public void Query_TableChangesDuringDump_KernelFlagsDumpIntrAndQueryRestarts()
    {
        // 198.51.100.1-254 and 203.0.113.1-253: about 40 KB of replies, several dump parts.
        const int Addresses = 254 + 253;
        int index;
        using (NetlinkSocket setup = OpenSocket())
        {
            setup.Execute(VethRequest("v0", "v1"));
            index = IndexOf(setup, "v0");
            for (int i = 1; i <= 254; i++)
            {
                setup.Execute(AddressRequest(index, new IPAddress(new byte[] { 198, 51, 100, (byte)i })));
                if (i <= 253)
                {
                    setup.Execute(AddressRequest(index, new IPAddress(new byte[] { 203, 0, 113, (byte)i })));
                }
            }
        }

        // Adding an address while the first part is being handled changes the namespace's address generation, and the
        // kernel flags the later parts (or NLMSG_DONE) with NLM_F_DUMP_INTR. (Link dumps are no longer flagged since the
        // kernel walks devices by index.)
        using NetlinkSocket socket = OpenSocket();
        using NetlinkSocket changer = OpenSocket();
        int restarts = 0;
        bool changed = false;
        var seen = new List<int>();
        int count = socket.Query(AddressDumpRequest(), seen, (message, list) =>
        {
            if (!changed)
            {
                changed = true;
                changer.Execute(AddressRequest(index, IPAddress.Parse("203.0.113.254")));
            }

            list.Add(message.ReadHeader<IfAddrMsg>().PrefixLength);
        }, list =>
        {
            restarts++;
            list.Clear();
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(restarts, Is.EqualTo(1), "the kernel did not flag the dump as interrupted, or the socket did not restart it");
            Assert.That(count, Is.EqualTo(Addresses + 1));
            Assert.That(seen, Has.Count.EqualTo(Addresses + 1));
        }
    }

    [Test]
    public async Task ExecuteAsyncAndQueryAsync_CreateAndDump_Work()
    {
        using NetlinkSocket socket = OpenSocket();
        await socket.ExecuteAsync(VethRequest("v0", "v1"));
        var names = new ConcurrentBag<string>();
        int count = await socket.QueryAsync(LinkDumpRequest(), names, static (m, bag) =>
        {
            foreach (NetlinkAttribute a in m.GetAttributes(16))
            {
                if (a.Type == IFLA_IFNAME)
                {
                    bag.Add(a.GetString());
                }
            }
        }, static bag => bag.Clear());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(3));
            Assert.That(names, Is.EquivalentTo(new[] { "lo", "v0", "v1" }));
        }

        NetlinkException e = Assert.ThrowsAsync<NetlinkException>(async () => await socket.ExecuteAsync(VethRequest("v0", "v1")))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EEXIST));
    }

    [Test]
    public void ExecuteAsync_AlreadyCancelled_ThrowsAndSendsNothing()
    {
        using NetlinkSocket socket = OpenSocket();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(async () => await socket.ExecuteAsync(VethRequest("v0", "v1"), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(DumpNames(socket), Is.EqualTo(new[] { "lo" }));
    }

    [Test]
    public async Task QueryAsync_CancelledWhileWaitingForSocket_ThrowsPromptlyAndSocketStaysUsable()
    {
        using NetlinkSocket socket = OpenSocket();
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();

        // The first dump's handler blocks, so the socket stays busy.
        Task<int> busy = Task.Run(() => socket.Query(LinkDumpRequest(), 0, (_, _) =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }));
        Assert.That(entered.Wait(TimeSpan.FromSeconds(10)), Is.True);

        using var cts = new CancellationTokenSource();
        ValueTask<int> waiting = socket.QueryAsync(LinkDumpRequest(), 0, null, null, cts.Token);
        Assert.That(waiting.IsCompleted, Is.False);
        cts.Cancel();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        release.Set();
        Assert.That(await busy, Is.EqualTo(1));
        Assert.That(DumpNames(socket), Is.EqualTo(new[] { "lo" }));
    }

    [Test]
    public void Query_ManyThreadsOneSocket_EveryResultComplete()
    {
        using NetlinkSocket socket = OpenSocket();
        const int Threads = 4;
        const int Rounds = 25;
        var errors = new ConcurrentQueue<string>();
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    for (int r = 0; r < Rounds; r++)
                    {
                        // Each thread creates its own pair, and every dump must hold at least the pairs this thread made.
                        socket.Execute(VethRequest($"t{id}r{r}", $"p{id}r{r}"));
                        List<string> names = r % 2 == 0
                            ? DumpNames(socket)
                            : DumpAsync(socket).AsTask().GetAwaiter().GetResult();
                        for (int k = 0; k <= r; k++)
                        {
                            if (!names.Contains($"t{id}r{k}") || !names.Contains($"p{id}r{k}"))
                            {
                                errors.Enqueue($"thread {id} round {r}: t{id}r{k} missing from [{string.Join(",", names)}]");
                            }
                        }

                        if (names.Count != names.Distinct().Count() || !names.Contains("lo"))
                        {
                            errors.Enqueue($"thread {id} round {r}: corrupt dump [{string.Join(",", names)}]");
                        }
                    }
                }
                catch (Exception e)
                {
                    errors.Enqueue($"thread {id}: {e}");
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.That(thread.Join(TimeSpan.FromSeconds(120)), Is.True, "a thread hung");
        }

        Assert.That(errors, Is.Empty);
        Assert.That(DumpNames(socket), Has.Count.EqualTo(1 + 2 * Threads * Rounds));
    }

    private static async ValueTask<List<string>> DumpAsync(NetlinkSocket socket)
    {
        var names = new List<string>();
        await socket.QueryAsync(LinkDumpRequest(), names, CollectName, static list => list.Clear()).ConfigureAwait(false);
        return names;
    }

    private sealed class LogCollector : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _messages.Enqueue(formatter(state, exception));
    }
}
