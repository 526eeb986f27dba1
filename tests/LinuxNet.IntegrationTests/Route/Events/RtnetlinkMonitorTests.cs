using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class RtnetlinkMonitorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private RouteLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public async Task Enumerate_ChangesMadeByIp_ArriveAsTypedEventsInOrder()
    {
        using RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.All);
        _lab.Ip("link", "set", "v0", "mtu", "1400");
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        _lab.Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2");
        _lab.Ip("neigh", "add", "198.51.100.2", "lladdr", "02:00:00:00:00:02", "dev", "v0");
        _lab.Ip("rule", "add", "priority", "1000", "table", "100");
        _lab.Ip("rule", "del", "priority", "1000");
        _lab.Ip("neigh", "del", "198.51.100.2", "dev", "v0");
        _lab.Ip("route", "del", "203.0.113.0/24");
        _lab.Ip("addr", "del", "198.51.100.1/24", "dev", "v0");

        string[] expected =
        [
            "Link Changed v0 mtu 1400",
            "Address New 198.51.100.1/24",
            "Route New 203.0.113.0/24",
            "Neighbour New 198.51.100.2 PERMANENT",
            "Rule New 1000 table 100",
            "Rule Deleted 1000 table 100",
            "Neighbour Deleted 198.51.100.2",
            "Route Deleted 203.0.113.0/24",
            "Address Deleted 198.51.100.1/24",
        ];
        var seen = new List<string>();
        using var bound = new CancellationTokenSource(Bound);
        await foreach (RtnetlinkEvent change in monitor.WithCancellation(bound.Token))
        {
            string? text = Describe(change);
            if (text is not null && expected.Contains(text))
            {
                seen.Add(text);
            }

            if (text == expected[^1])
            {
                break;
            }
        }

        Assert.That(seen, Is.EqualTo(expected));
    }

    [Test]
    public async Task Enumerate_ReceiveBufferOverflows_YieldsOverrunThenKeepsWorking()
    {
        // v0 down: no duplicate-address detection, so no late address events keep overflowing the tiny buffer.
        _lab.Ip("link", "set", "v0", "down");
        using RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.Addresses | RtnetlinkEventKinds.Rules, new RtnetlinkMonitorOptions { ReceiveBufferSize = 4096 });
        using (RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch())
        {
            for (int i = 1; i <= 3000; i++)
            {
                batch.AddAddress(_lab.V0, new IPPrefix(IPAddress.Parse($"2001:db8:200::{i:x}"), 128));
            }

            Assert.That(batch.Execute().AllSucceeded, Is.True);
        }

        bool overrun = false;
        bool after = false;
        using var bound = new CancellationTokenSource(Bound);
        await foreach (RtnetlinkEvent change in monitor.WithCancellation(bound.Token))
        {
            if (change.IsOverrun && !overrun)
            {
                overrun = true;
                _lab.Ip("rule", "add", "priority", "4242", "table", "42");
            }
            else if (overrun && change.Kind == RtnetlinkEventKind.Rule && change.ToRule().Priority == 4242)
            {
                after = true;
                break;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(overrun, Is.True, "no Overrun event");
            Assert.That(after, Is.True, "the stream did not deliver the change made after the overrun");
        });
    }

    [Test]
    public async Task Enumerate_ForgedMessageFromUserSpace_IsDropped()
    {
        using RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.Rules);
        using NetlinkSocket forger = _lab.Namespace.Run(() => NetlinkSocket.Open());
        SendForgedRule(forger, monitor.PortId, priority: 666);
        _lab.Ip("rule", "add", "priority", "777", "table", "77");

        using var bound = new CancellationTokenSource(Bound);
        await using IAsyncEnumerator<RtnetlinkEvent> events = monitor.GetAsyncEnumerator(bound.Token);
        Assert.That(await events.MoveNextAsync(), Is.True);
        Assert.That(events.Current.ToRule().Priority, Is.EqualTo(777u));
    }

    [Test]
    public void Dispose_WhileWaiting_EndsEnumerationPromptly()
    {
        RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.Links);
        IAsyncEnumerator<RtnetlinkEvent> events = monitor.GetAsyncEnumerator();
        Task<bool> pending = events.MoveNextAsync().AsTask();
        Assert.That(pending.IsCompleted, Is.False);

        monitor.Dispose();

        Assert.That(pending.Wait(Bound), Is.True, "MoveNextAsync did not end after Dispose");
        Assert.That(pending.Result, Is.False);
    }

    [Test]
    public void Cancel_WhileWaiting_ThrowsOperationCanceled()
    {
        using RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.Links);
        using var cts = new CancellationTokenSource();
        IAsyncEnumerator<RtnetlinkEvent> events = monitor.GetAsyncEnumerator(cts.Token);
        Task<bool> pending = events.MoveNextAsync().AsTask();
        cts.Cancel();
        Assert.That(() => pending.Wait(Bound), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Open_NoKinds_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() => RtnetlinkMonitor.Open(_lab.Namespace, RtnetlinkEventKinds.None));

    private static string? Describe(RtnetlinkEvent e) => e.Kind switch
    {
        RtnetlinkEventKind.Link when e.Action == RtnetlinkEventAction.Changed && e.ToLink() is { Name: "v0", Mtu: 1400 } => "Link Changed v0 mtu 1400",
        RtnetlinkEventKind.Address => $"Address {e.Action} {e.GetAddress()}/{e.AddressPrefixLength}",
        RtnetlinkEventKind.Route when e.RouteTable == 254 => $"Route {e.Action} {e.GetRouteDestination()}/{e.RoutePrefixLength}",
        RtnetlinkEventKind.Neighbour => $"Neighbour {e.Action} {e.ToNeighbour().Address}" + (e.Action == RtnetlinkEventAction.New ? " " + e.ToNeighbour().State.ToString().ToUpperInvariant() : string.Empty),
        RtnetlinkEventKind.Rule when e.Family == System.Net.Sockets.AddressFamily.InterNetwork => $"Rule {e.Action} {e.ToRule().Priority} table {e.ToRule().Table}",
        _ => null,
    };

    private static unsafe void SendForgedRule(NetlinkSocket forger, uint port, uint priority)
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(32, NetlinkMessageFlags.None);
        writer.WriteHeader(new FibRuleHdr { Family = 2, Table = 66, Action = 1 });
        writer.WriteUInt32(6, priority);
        int length = writer.EndMessage();
        SockAddrNetlink target = new() { Family = 16, PortId = port };
        fixed (byte* p = buffer)
        {
            nint sent = Interop.Libc.SendTo(forger.Handle.DangerousGetFd(), p, (nuint)length, 0, &target, (uint)sizeof(SockAddrNetlink));
            Assert.That((int)sent, Is.EqualTo(length), $"forged send failed: errno {Marshal.GetLastWin32Error()}");
        }
    }
}
