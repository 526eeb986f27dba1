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

    private static byte[] LinkRequest(ushort type = RTM_NEWLINK, NetlinkMessageFlags flags = NetlinkMessageFlags.Request)
    {
        byte[] buffer = new byte[32];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(type, flags);
        writer.WriteHeader(new IfInfoMsg());
        writer.EndMessage();
        return buffer;
    }

    /// <summary>Runs <paramref name="call"/> on its own thread and waits at most <paramref name="bound"/> for it: a hang fails the test instead of stalling the run.</summary>
    private static Exception? RunBounded(Action call, TimeSpan bound)
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                call();
            }
            catch (Exception e)
            {
                thrown = e;
            }
        })
        { IsBackground = true };
        thread.Start();
        Assert.That(thread.Join(bound), Is.True, $"the call was still waiting after {bound.TotalSeconds} s");
        return thrown;
    }

    [Test]
    public void Execute_KernelNeverAnswers_ThrowsTimeoutAfterRequestTimeout()
    {
        using var kernel = new FakeKernel((_, _) => [], new NetlinkSocketOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Exception? e = RunBounded(() => kernel.Socket.Execute(LinkRequest()), TimeSpan.FromSeconds(20));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e, Is.TypeOf<TimeoutException>());
            Assert.That(e?.Message, Does.Contain("RequestTimeout"));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
        }
    }

    [Test]
    public void Execute_DisposedWhileWaiting_EndsWithObjectDisposedNamingNetlinkSocket()
    {
        using var kernel = new FakeKernel((_, _) => [], new NetlinkSocketOptions { RequestTimeout = Timeout.InfiniteTimeSpan });
        Exception? thrown = null;
        var blocked = new Thread(() =>
        {
            try
            {
                kernel.Socket.Execute(LinkRequest());
            }
            catch (Exception e)
            {
                thrown = e;
            }
        })
        { IsBackground = true };
        blocked.Start();
        SpinWait.SpinUntil(() => !kernel.Requests.IsEmpty, TimeSpan.FromSeconds(10));
        Thread.Sleep(100); // let it settle in poll()
        Assert.That(blocked.IsAlive, Is.True, "the request did not wait: the test proves nothing");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        kernel.Socket.Dispose();
        bool ended = blocked.Join(TimeSpan.FromSeconds(10));
        TimeSpan latency = clock.Elapsed;
        TestContext.Out.WriteLine($"Dispose ended the blocked request after {latency.TotalMilliseconds:0.0} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ended, Is.True, "Dispose did not release the blocked request");
            Assert.That(thrown, Is.TypeOf<ObjectDisposedException>());
            Assert.That((thrown as ObjectDisposedException)?.ObjectName, Is.EqualTo("NetlinkSocket"));
            // The requirement is 100 ms; the bound is wider only so that a loaded CI machine's scheduling cannot fail it.
            Assert.That(latency, Is.LessThan(TimeSpan.FromMilliseconds(500)));
        }
    }

    [Test]
    public async Task ExecuteAsync_DisposedWhileWaiting_EndsWithObjectDisposedNamingNetlinkSocket()
    {
        using var kernel = new FakeKernel((_, _) => []);
        Task waiting = kernel.Socket.ExecuteAsync(LinkRequest()).AsTask();
        SpinWait.SpinUntil(() => !kernel.Requests.IsEmpty, TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.That(waiting.IsCompleted, Is.False, "the request did not wait: the test proves nothing");
        kernel.Socket.Dispose();
        ObjectDisposedException? e = Assert.ThrowsAsync<ObjectDisposedException>(async () => await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(e?.ObjectName, Is.EqualTo("NetlinkSocket"));
    }

    [Test]
    public void Execute_AfterDispose_NamesNetlinkSocket()
    {
        using var kernel = new FakeKernel((_, _) => []);
        kernel.Socket.Dispose();
        ObjectDisposedException? e = Assert.Throws<ObjectDisposedException>(() => kernel.Socket.Execute(LinkRequest()));
        ObjectDisposedException? send = Assert.Throws<ObjectDisposedException>(() => kernel.Socket.Send(LinkRequest()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e?.ObjectName, Is.EqualTo("NetlinkSocket"));
            Assert.That(send?.ObjectName, Is.EqualTo("NetlinkSocket"), "not the internal SafeFileDescriptorHandle");
        }
    }

    [Test]
    public void Query_DumpFlagsOnATypeRtnetlinkWouldNotCallAGet_IsADump()
    {
        // A generic netlink request to nlctrl: type 16 (GENL_ID_CTRL), (16 & 3) != 2. The flags say dump, as the kernel reads them.
        using var kernel = new FakeKernel((_, request) => [Part(request, Multi, false, "a"), Part(request, Multi, true, "b")]);
        var names = new List<string>();
        int count = kernel.Socket.Query(LinkRequest(16, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump), names, Collect, static list => list.Clear());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(2));
            Assert.That(kernel.Requests.Single().Flags & NetlinkMessageFlags.Ack, Is.EqualTo(NetlinkMessageFlags.None), "a dump asks for no ACK");
        }
    }

    [Test]
    public void Execute_GetTypeWithoutDumpFlags_WaitsForItsAck()
    {
        // RTM_GETLINK without NLM_F_DUMP is a single get: it gets NLM_F_ACK and ends with the acknowledgement.
        using var kernel = new FakeKernel((_, request) => [Part(request, NetlinkMessageFlags.None, false, "lo"), Ack(request)]);
        var names = new List<string>();
        int count = kernel.Socket.Query(LinkRequest(RTM_GETLINK), names, Collect);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((count, string.Join(",", names)), Is.EqualTo((1, "lo")));
            Assert.That(kernel.Requests.Single().Flags & NetlinkMessageFlags.Ack, Is.EqualTo(NetlinkMessageFlags.Ack));
        }
    }

    [Test]
    public void Dump_InterruptedEveryTime_WithAcceptInconsistent_ReturnsResultMarkedInconsistent()
    {
        var options = new NetlinkSocketOptions { MaxDumpRetries = 2, DumpRetryDelay = TimeSpan.FromMilliseconds(5), AcceptInconsistentDumps = true };
        using var kernel = new FakeKernel((index, request) => [Part(request, Interrupted, true, "lo", "n" + index)], options);
        var names = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        NetlinkDumpResult result = kernel.Socket.Dump(DumpRequest(), names, Collect, static list => list.Clear());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(new NetlinkDumpResult(2, 3, isConsistent: false)));
            Assert.That(names, Is.EqualTo(new[] { "lo", "n2" }), "the last attempt's messages");
            Assert.That(kernel.Socket.DumpRestartCount, Is.EqualTo(2));
            Assert.That(kernel.Socket.InconsistentDumpCount, Is.EqualTo(1));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(15)), "backoff 5 ms, then 10 ms");
        }
    }

    [Test]
    public void Dump_InterruptedEveryTime_WithoutAcceptInconsistent_ThrowsNamingThePolicy()
    {
        using var kernel = new FakeKernel((_, request) => [Part(request, Interrupted, true, "lo")], new NetlinkSocketOptions { MaxDumpRetries = 1 });
        NetlinkException e = Assert.Throws<NetlinkException>(() => kernel.Socket.Dump(DumpRequest(), 0, static (_, _) => { }, static _ => { }))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINTR));
            Assert.That(e.Message, Does.Contain("gave up after 2 attempt(s)").And.Contain("AcceptInconsistentDumps"));
            Assert.That(kernel.Socket.DumpRestartCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task DumpAsync_InterruptedOnce_ReportsTwoAttemptsConsistent()
    {
        using var kernel = new FakeKernel((index, request) => [Part(request, index == 0 ? Interrupted : Multi, true, "lo")]);
        NetlinkDumpResult result = await kernel.Socket.DumpAsync(DumpRequest(), 0, static (_, _) => { }, static _ => { });
        Assert.That((result.Attempts, result.IsConsistent, result.MessageCount, kernel.Socket.DumpRestartCount), Is.EqualTo((2, true, 1, 1L)));
    }

    [Test]
    public void Options_OutOfRange_Throw()
    {
        var options = new NetlinkSocketOptions();
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => options.RequestTimeout = TimeSpan.Zero);
            Assert.Throws<ArgumentOutOfRangeException>(() => options.RequestTimeout = TimeSpan.FromMilliseconds(-5));
            Assert.Throws<ArgumentOutOfRangeException>(() => options.DumpRetryDelay = TimeSpan.FromMilliseconds(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxDumpRetries = -1);
            Assert.DoesNotThrow(() => options.RequestTimeout = Timeout.InfiniteTimeSpan);
            Assert.That(new NetlinkSocketOptions().RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        }
    }

    private static byte[] Ack(NetlinkHeader request)
    {
        byte[] buffer = new byte[36];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(2 /* NLMSG_ERROR */, NetlinkMessageFlags.Capped, request.Sequence, request.PortId);
        writer.WriteHeader(0);
        writer.WriteHeader(request);
        writer.EndMessage();
        return buffer;
    }

    [Test]
    public void Execute_RefusedWithExtendedAck_SetsTheKernelsTextApartFromLibcs()
    {
        using var kernel = new FakeKernel((_, request) => [ErrorWithText(request, -19 /* ENODEV */, "ipv4: Device not found")]);
        NetlinkException e = Assert.Throws<NetlinkException>(() => kernel.Socket.Execute(LinkRequest()))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.ExtendedAckMessage, Is.EqualTo("ipv4: Device not found"));
            Assert.That(e.Message, Does.Contain("No such device. Error: ipv4: Device not found."), "once 'No such device Error: ipv4: …'");
        }
    }

    private static byte[] ErrorWithText(NetlinkHeader request, int error, string text)
    {
        byte[] buffer = new byte[128 + text.Length];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(2 /* NLMSG_ERROR */, NetlinkMessageFlags.Capped | NetlinkMessageFlags.AckTlvs, request.Sequence, request.PortId);
        writer.WriteHeader(error);
        writer.WriteHeader(request);
        writer.WriteString(1 /* NLMSGERR_ATTR_MSG */, text);
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    [Test]
    public void Execute_AfterDisposeOfASocketASessionOwns_NamesTheSession()
    {
        using var kernel = new FakeKernel((_, _) => []);
        kernel.Socket.OwnerName = "LinkManager";
        kernel.Socket.Dispose();
        ObjectDisposedException? e = Assert.Throws<ObjectDisposedException>(() => kernel.Socket.Execute(LinkRequest()));
        ObjectDisposedException? send = Assert.Throws<ObjectDisposedException>(() => kernel.Socket.Send(LinkRequest()));
        Assert.That((e?.ObjectName, send?.ObjectName), Is.EqualTo(("LinkManager", "LinkManager")));
    }
    [Test]
    public void ExecuteBatch_MoreAcksThanOneRecvmmsgReads_AllRecorded()
    {
        // 80 ACKs in one go: the socket reads them 32 datagrams per recvmmsg, so this takes three calls.
        const int count = 80;
        using var kernel = new FakeKernel((_, first) => Enumerable.Range(0, count).Select(i => Ack(Shifted(first, i))).ToList());
        (NetlinkSocket.BatchItemState[] states, NetlinkBatchErrors errors) = RunBatch(kernel.Socket, count);
        Assert.That(states, Is.All.EqualTo(NetlinkSocket.BatchItemState.Succeeded));
        Assert.That(errors[0], Is.Null);
    }

    [Test]
    public void ExecuteBatch_AckLongerThanItsSlot_StillGivesItsErrno()
    {
        // The second ACK carries 3,000 bytes of extended-ack text: more than the 2 KiB slot recvmmsg reads it into.
        using var kernel = new FakeKernel((_, first) =>
        [
            Ack(first),
            ErrorWithText(Shifted(first, 1), -19 /* ENODEV */, new string('x', 3000)),
            ErrorWithText(Shifted(first, 2), -17 /* EEXIST */, "short text"),
            Ack(Shifted(first, 3)),
        ]);
        (NetlinkSocket.BatchItemState[] states, NetlinkBatchErrors errors) = RunBatch(kernel.Socket, 4);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(states, Is.EqualTo(new[] { NetlinkSocket.BatchItemState.Succeeded, NetlinkSocket.BatchItemState.Failed, NetlinkSocket.BatchItemState.Failed, NetlinkSocket.BatchItemState.Succeeded }));
            Assert.That(errors[1]?.Errno, Is.EqualTo(Errno.ENODEV));
            Assert.That(errors[1]?.Message, Does.Contain("longer than the 2048"));
            Assert.That(errors[2]?.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(errors[2]?.ExtendedAckMessage, Is.EqualTo("short text"), "the next ACK is read whole");
        }
    }

    private static NetlinkHeader Shifted(NetlinkHeader first, int i)
        => new(first.Length, first.Type, first.Flags, unchecked(first.Sequence + (uint)i), first.PortId);

    /// <summary>Sends <paramref name="count"/> link requests as one batch datagram and returns each one's outcome.</summary>
    private static (NetlinkSocket.BatchItemState[] States, NetlinkBatchErrors Errors) RunBatch(NetlinkSocket socket, int count)
    {
        byte[] batch = new byte[count * 32];
        for (int i = 0; i < count; i++)
        {
            LinkRequest().AsSpan().CopyTo(batch.AsSpan(i * 32));
        }

        var states = new NetlinkSocket.BatchItemState[count];
        var errors = new NetlinkBatchErrors(count);
        Exception? e = RunBounded(() => socket.ExecuteBatch(batch, count, states, errors, maxPerSend: count, stopOnFirstError: false), TimeSpan.FromSeconds(20));
        Assert.That(e, Is.Null);
        return (states, errors);
    }
}
