using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;

namespace LinuxNet.Tests.Netlink;

/// <summary>
/// The reply loop of <see cref="NetlinkSocket"/> against a scripted fake kernel at the other end of an AF_UNIX
/// SOCK_SEQPACKET pair (which keeps datagram boundaries, reports MSG_TRUNC, and gives no sender address, i.e. port 0):
/// NLM_F_DUMP_INTR restart and give-up, stale sequence numbers, truncated datagrams, NLMSG_DONE with an error.
/// </summary>
public sealed class NetlinkSocketReplyTests
{
    private const int AF_UNIX = 1;
    private const int SOCK_SEQPACKET = 5;
    private const int SOCK_CLOEXEC = 0x80000;
    private const ushort RTM_NEWLINK = 16;
    private const ushort RTM_GETLINK = 18;
    private const NetlinkMessageFlags Multi = NetlinkMessageFlags.Multi;
    private const NetlinkMessageFlags Interrupted = NetlinkMessageFlags.Multi | NetlinkMessageFlags.DumpInterrupted;

    [DllImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static extern unsafe int SocketPair(int domain, int type, int protocol, int* fds);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern unsafe nint Recv(int fd, byte* buffer, nuint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern unsafe nint SendRaw(int fd, byte* buffer, nuint length, int flags);

    /// <summary>Answers the i-th request (0-based) with the returned datagrams.</summary>
    private delegate List<byte[]> Script(int index, NetlinkHeader request);

    private sealed class FakeKernel : IDisposable
    {
        private readonly SafeFileDescriptorHandle _end;
        private readonly Thread _thread;

        public FakeKernel(Script script, NetlinkSocketOptions? options = null)
        {
            int[] fds = new int[2];
            unsafe
            {
                fixed (int* p = fds)
                {
                    Assert.That(SocketPair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p), Is.Zero, "socketpair");
                }
            }

            Socket = NetlinkSocket.FromHandle(new SafeFileDescriptorHandle(fds[0]), 4242, options);
            _end = new SafeFileDescriptorHandle(fds[1]);
            _thread = new Thread(() =>
            {
                try
                {
                    Serve(script);
                }
                catch (Exception e)
                {
                    Failure = e;
                }
            })
            { IsBackground = true, Name = "fake netlink kernel" };
            _thread.Start();
        }

        public NetlinkSocket Socket { get; }

        public ConcurrentQueue<NetlinkHeader> Requests { get; } = new();

        public Exception? Failure { get; private set; }

        private unsafe void Serve(Script script)
        {
            byte[] buffer = new byte[4096];
            for (int index = 0; index < 100; index++)
            {
                nint received;
                fixed (byte* p = buffer)
                {
                    received = Recv(_end.DangerousGetFd(), p, (nuint)buffer.Length, 0);
                }

                if (received < 16)
                {
                    return; // the socket under test was closed
                }

                NetlinkHeader request = MemoryMarshal.Read<NetlinkHeader>(buffer);
                Requests.Enqueue(request);
                foreach (byte[] datagram in script(index, request))
                {
                    fixed (byte* p = datagram)
                    {
                        if (SendRaw(_end.DangerousGetFd(), p, (nuint)datagram.Length, 0) != datagram.Length)
                        {
                            return;
                        }
                    }
                }
            }
        }

        public void Dispose()
        {
            Socket.Dispose();
            Assert.That(_thread.Join(TimeSpan.FromSeconds(10)), Is.True, "the fake kernel did not stop");
            _end.Dispose();
            Assert.That(Failure, Is.Null, "the fake kernel failed");
        }
    }

    /// <summary>One datagram: a link message per name (flags as given) and, when <paramref name="done"/>, NLMSG_DONE.</summary>
    private static byte[] Part(NetlinkHeader request, NetlinkMessageFlags flags, bool done, params string[] names)
        => Part(request.Sequence, request.PortId, flags, done, 0, 0, names);

    private static byte[] Part(uint sequence, uint portId, NetlinkMessageFlags flags, bool done, int doneStatus, int padTo, params string[] names)
    {
        byte[] buffer = new byte[4096 + names.Length * (padTo + 64)];
        var writer = new NetlinkMessageWriter(buffer);
        foreach (string name in names)
        {
            writer.BeginMessage(RTM_NEWLINK, flags, sequence, portId);
            writer.WriteHeader(new IfInfoMsg { Index = name.Length });
            writer.WriteString(3, name);
            if (padTo > 0)
            {
                writer.WriteAttribute(99, new byte[padTo]);
            }

            writer.EndMessage();
        }

        if (done)
        {
            writer.BeginMessage(3 /* NLMSG_DONE */, flags, sequence, portId);
            writer.WriteHeader(doneStatus);
            writer.EndMessage();
        }

        return writer.WrittenSpan.ToArray();
    }

    private static byte[] DumpRequest()
    {
        byte[] buffer = new byte[32];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RTM_GETLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfInfoMsg());
        writer.EndMessage();
        return buffer;
    }

    private static void Collect(NetlinkMessage message, List<string> names)
    {
        foreach (NetlinkAttribute attribute in message.GetAttributes(16))
        {
            if (attribute.Type == 3)
            {
                names.Add(attribute.GetString());
            }
        }
    }

    [Test]
    public void Query_DumpInterruptedOnce_RestartsAndReturnsConsistentPass()
    {
        using var kernel = new FakeKernel((index, request) => index == 0
            ? [Part(request, Multi, false, "lo", "a"), Part(request, Interrupted, true, "b")]
            : [Part(request, Multi, false, "lo", "a"), Part(request, Multi, true, "c")]);
        var names = new List<string>();
        int restarts = 0;
        int count = kernel.Socket.Query(DumpRequest(), names, Collect, list =>
        {
            restarts++;
            list.Clear();
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(3));
            Assert.That(names, Is.EqualTo(new[] { "lo", "a", "c" }));
            Assert.That(restarts, Is.EqualTo(1));
            Assert.That(kernel.Requests.Select(r => r.Sequence).Distinct().Count(), Is.EqualTo(2), "the restart must use a new sequence number");
            Assert.That(kernel.Requests.Select(r => r.PortId), Is.All.EqualTo(4242u));
            Assert.That(kernel.Requests.Select(r => r.Flags & NetlinkMessageFlags.Ack), Is.All.EqualTo(NetlinkMessageFlags.None), "no ACK on dumps");
        }
    }

    [Test]
    public async Task QueryAsync_DumpInterruptedOnce_RestartsAndReturnsConsistentPass()
    {
        using var kernel = new FakeKernel((index, request) => index == 0
            ? [Part(request, Interrupted, false, "lo"), Part(request, Multi, true, "x")]
            : [Part(request, Multi, true, "lo", "y")]);
        var names = new List<string>();
        int count = await kernel.Socket.QueryAsync(DumpRequest(), names, Collect, static list => list.Clear());
        Assert.That((count, string.Join(",", names)), Is.EqualTo((2, "lo,y")));
    }

    [Test]
    public void Query_DumpAlwaysInterrupted_GivesUpWithEintrAfterRetries()
    {
        using var kernel = new FakeKernel((_, request) => [Part(request, Interrupted, true, "lo")], new NetlinkSocketOptions { MaxDumpRetries = 2 });
        int restarts = 0;
        NetlinkException e = Assert.Throws<NetlinkException>(() => kernel.Socket.Query(DumpRequest(), 0, static (_, _) => { }, _ => restarts++))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINTR));
            Assert.That(e.Message, Does.Contain("NLM_F_DUMP_INTR"));
            Assert.That(kernel.Requests, Has.Count.EqualTo(3));
            Assert.That(restarts, Is.EqualTo(2));
        }
    }

    [Test]
    public void Query_InterruptedWithoutRestartCallback_Throws()
    {
        using var kernel = new FakeKernel((_, request) => [Part(request, Interrupted, true, "lo")]);
        NetlinkException e = Assert.Throws<NetlinkException>(() => kernel.Socket.Query(DumpRequest(), 0, static (_, _) => { }))!;
        Assert.That((e.Errno, kernel.Requests.Count), Is.EqualTo((Errno.EINTR, 1)));
    }

    [Test]
    public void Query_StaleSequenceInterleaved_Skipped()
    {
        using var kernel = new FakeKernel((_, request) =>
        [
            Part(request.Sequence - 1, request.PortId, Multi, true, 0, 0, "stale"),
            Part(request, Multi, false, "lo"),
            Part(request.Sequence + 7, request.PortId, Multi, false, 0, 0, "future"),
            Part(request, Multi, true, "v0"),
        ]);
        var names = new List<string>();
        Assert.That(kernel.Socket.Query(DumpRequest(), names, Collect), Is.EqualTo(2));
        Assert.That(names, Is.EqualTo(new[] { "lo", "v0" }));
    }

    [Test]
    public void Query_DatagramLargerThanReceiveBuffer_NeverParsedTruncatedThenRestarted()
    {
        // 70 KB in one datagram: larger than the socket's 64 KiB receive buffer.
        using var kernel = new FakeKernel((index, request) => index == 0
            ? [Part(request.Sequence, request.PortId, Multi, true, 0, 60_000, "big0", "big1"), Part(request, Multi, true, "never")]
            : [Part(request.Sequence, request.PortId, Multi, true, 0, 60_000, "big0", "big1")]);
        var names = new List<string>();
        int count = kernel.Socket.Query(DumpRequest(), names, Collect, static list => list.Clear());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(2));
            Assert.That(names, Is.EqualTo(new[] { "big0", "big1" }));
            Assert.That(kernel.Requests, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public void Query_DoneCarriesError_ThrowsWithThatErrno()
    {
        using var kernel = new FakeKernel((_, request) => [Part(request.Sequence, request.PortId, Multi, true, -95 /* EOPNOTSUPP */, 0, "lo")]);
        NetlinkException e = Assert.Throws<NetlinkException>(() => kernel.Socket.Query(DumpRequest(), 0, static (_, _) => { }))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
    }

    [Test]
    public void Query_MalformedReply_ThrowsProtocolException()
    {
        using var kernel = new FakeKernel((_, request) =>
        {
            byte[] part = Part(request, Multi, true, "lo");
            part[0] = 200; // nlmsg_len past the datagram
            return [part];
        });
        Assert.Throws<NetlinkProtocolException>(() => kernel.Socket.Query(DumpRequest(), 0, static (_, _) => { }));
    }
}
