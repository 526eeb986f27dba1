using System.Diagnostics;
using System.Net;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Netlink;

/// <summary>
/// The dump consistency policy of <see cref="NetlinkSocketOptions"/> against real churn (issue 12 item 4): address
/// changes made while an address dump is read make the kernel flag it <c>NLM_F_DUMP_INTR</c>.
/// </summary>
[Category("Privileged")]
public class NetlinkSocketDumpPolicyTests
{
    // IPv6, so there are enough: ~200 KiB of RTM_NEWADDR, at least three dump parts even once the kernel sizes them to the
    // reader's 64 KiB buffer (the first dump of a socket uses 4 KiB parts, later ones do not).
    private const int Addresses = 2000;
    private const NetlinkMessageFlags CreateFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create;

    private NetNamespace? _ns;

    private NetNamespace Ns => _ns!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();

        // Enough addresses on lo (index 1 in a fresh namespace) that a dump takes several parts: the kernel checks the
        // address generation, and flags a change, between parts.
        using NetlinkSocket setup = OpenSocket(new NetlinkSocketOptions());
        for (int i = 0; i < Addresses; i++)
        {
            setup.Execute(AddressRequest(20 /* RTM_NEWADDR */, CreateFlags, Address(i)));
        }
    }

    [TearDown]
    public void TearDown() => _ns?.Dispose();

    private NetlinkSocket OpenSocket(NetlinkSocketOptions options) => Ns.Run(() => NetlinkSocket.Open(0, options));

    private static IPAddress Address(int i) => IPAddress.Parse($"2001:db8::{i + 1:x}");

    private static IPAddress Churned(int i) => IPAddress.Parse($"2001:db8:1::{i + 1:x}");

    private static byte[] AddressRequest(ushort type, NetlinkMessageFlags flags, IPAddress address)
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(type, flags);
        writer.WriteHeader(new IfAddrMsg { Family = 10, PrefixLength = 128, Flags = 0x02 /* IFA_F_NODAD */, Index = 1 });
        writer.WriteAddress(2 /* IFA_LOCAL */, address);
        writer.WriteAddress(1 /* IFA_ADDRESS */, address);
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static byte[] AddressDumpRequest()
    {
        byte[] buffer = new byte[32];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(22 /* RTM_GETADDR */, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfAddrMsg { Family = 10 });
        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    /// <summary>
    /// A dump whose handler removes one address at the first message of each of the first <paramref name="churnedAttempts"/>
    /// attempts. Removal, because it changes the address generation synchronously; an IPv6 add does so only once the
    /// address's (skipped) DAD completes, in a work item, which would race with the dump.
    /// </summary>
    private static (NetlinkDumpResult Result, int Seen) DumpWithChurn(NetlinkSocket socket, NetlinkSocket changer, int churnedAttempts)
    {
        int attempt = 0;
        bool changedThisAttempt = false;
        var seen = new List<int>();
        NetlinkDumpResult result = socket.Dump(AddressDumpRequest(), seen, (message, list) =>
        {
            if (!changedThisAttempt && attempt < churnedAttempts)
            {
                changedThisAttempt = true;
                changer.Execute(AddressRequest(21 /* RTM_DELADDR */, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, Address(Addresses - 1 - attempt)));
            }

            list.Add(message.ReadHeader<IfAddrMsg>().PrefixLength);
        }, list =>
        {
            attempt++;
            changedThisAttempt = false;
            list.Clear();
        });
        return (result, seen.Count);
    }

    [Test]
    public void Dump_ChurnDuringTwoAttempts_RestartsTwiceAndReturnsTheConsistentThird()
    {
        using NetlinkSocket socket = OpenSocket(new NetlinkSocketOptions());
        using NetlinkSocket changer = OpenSocket(new NetlinkSocketOptions());
        (NetlinkDumpResult result, int seen) = DumpWithChurn(socket, changer, churnedAttempts: 2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Attempts, Is.EqualTo(3), "the kernel did not flag the changed dumps, or the socket did not restart them");
            Assert.That(result.IsConsistent, Is.True);
            Assert.That(socket.DumpRestartCount, Is.EqualTo(2));
            Assert.That(seen, Is.EqualTo(result.MessageCount));
            Assert.That(seen, Is.EqualTo(Addresses - 2), "the test's addresses less the two removed");
        }
    }

    [Test]
    public void Dump_ChurnDuringEveryAttempt_AcceptInconsistent_ReturnsTheLastAttemptMarked()
    {
        var options = new NetlinkSocketOptions { MaxDumpRetries = 2, DumpRetryDelay = TimeSpan.Zero, AcceptInconsistentDumps = true };
        using NetlinkSocket socket = OpenSocket(options);
        using NetlinkSocket changer = OpenSocket(new NetlinkSocketOptions());
        (NetlinkDumpResult result, int seen) = DumpWithChurn(socket, changer, churnedAttempts: int.MaxValue);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Attempts, result.IsConsistent), Is.EqualTo((3, false)));
            Assert.That(seen, Is.EqualTo(result.MessageCount));
            Assert.That((socket.DumpRestartCount, socket.InconsistentDumpCount), Is.EqualTo((2L, 1L)));
        }
    }

    [Test]
    public void Dump_ChurnDuringEveryAttempt_Default_ThrowsAfterTheRetries()
    {
        using NetlinkSocket socket = OpenSocket(new NetlinkSocketOptions { MaxDumpRetries = 3 });
        using NetlinkSocket changer = OpenSocket(new NetlinkSocketOptions());
        NetlinkException e = Assert.Throws<NetlinkException>(() => DumpWithChurn(socket, changer, churnedAttempts: int.MaxValue))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINTR));
            Assert.That(e.Message, Does.Contain("gave up after 4 attempt(s)"));
            Assert.That(socket.DumpRestartCount, Is.EqualTo(3));
        }
    }

    [Test]
    public void Dump_BackgroundChurn_EveryDumpConsistentOrMarked_CountersAddUp()
    {
        // A second thread adds and removes addresses (bounded: 3,000 changes or 10 s) while dumps run (at most 2,000) with a policy
        // of 2 restarts and AcceptInconsistentDumps: each result is either consistent or marked, never silently mixed.
        var options = new NetlinkSocketOptions { MaxDumpRetries = 2, AcceptInconsistentDumps = true };
        using NetlinkSocket socket = OpenSocket(options);
        using NetlinkSocket changer = OpenSocket(new NetlinkSocketOptions());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Task churn = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < 3000 && !stop.IsCancellationRequested; i++)
            {
                IPAddress extra = Churned(1 + (i / 2 % 50));
                changer.Execute(i % 2 == 0 ? AddressRequest(20, CreateFlags, extra) : AddressRequest(21, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, extra));
            }
        }, TaskCreationOptions.LongRunning);

        int marked = 0;
        int attempts = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 2000 && !churn.IsCompleted; i++)
        {
            var seen = new List<int>();
            NetlinkDumpResult result = socket.Dump(AddressDumpRequest(), seen, static (m, list) => list.Add(m.Header.Type), static list => list.Clear());
            Assert.That(seen, Has.Count.EqualTo(result.MessageCount));
            attempts += result.Attempts;
            marked += result.IsConsistent ? 0 : 1;
        }

        stop.Cancel();
        churn.Wait(TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine($"{attempts} attempts, {socket.DumpRestartCount} restarts, {marked} dumps marked inconsistent in {clock.ElapsedMilliseconds} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(socket.InconsistentDumpCount, Is.EqualTo(marked));
            Assert.That(socket.DumpRestartCount, Is.LessThanOrEqualTo(attempts));
        }
    }
}
