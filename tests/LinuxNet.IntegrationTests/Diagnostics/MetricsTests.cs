using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;
using LinuxNet.Udp;

namespace LinuxNet.IntegrationTests.Diagnostics;

/// <summary>
/// <see cref="LinuxNetMetrics"/> against the kernel: what a <see cref="MeterListener"/> (as dotnet-counters and
/// OpenTelemetry use) sees for TUN frames, batched UDP datagrams, netlink requests, refusals and events equals what was
/// done — and, for the TUN device, what the kernel's own counters (<c>ip -j -s link</c>) say.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class MetricsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private NetNamespace _ns = null!;
    private Recorder _recorder = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _recorder = new Recorder();
    }

    [TearDown]
    public void TearDown()
    {
        _recorder?.Dispose();
        _ns?.Dispose();
    }

    [Test]
    public void TunQueue_FramesAndBytes_EqualWhatWasReadAndWritten_AndTheKernelsCounters()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnm0" }, _ns);
        tun.BringUp([IPPrefix.Parse("198.51.100.1/24")]);
        IpOracle.Run(_ns, "link", "set", "lo", "up");
        const int Count = 20;
        byte[] payload = new byte[100];

        // 20 datagrams from a socket in the namespace go out through the TUN: we read them (receive).
        using Socket sender = _ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        var frames = new List<byte[]>();
        byte[] buffer = new byte[tun.MaxFrameSize];
        using var bound = new CancellationTokenSource(Bound);
        for (int i = 0; i < Count; i++)
        {
            sender.SendTo(payload, new IPEndPoint(IPAddress.Parse("198.51.100.2"), 9000));
        }

        long readBytes = 0;
        while (frames.Count(f => f[9] == 17) < Count)
        {
            int n = tun.Queues[0].ReadFrame(buffer, bound.Token);
            frames.Add(buffer.AsSpan(0, n).ToArray());
            readBytes += n;
        }

        // Write the UDP ones back (transmit): the kernel takes them in as received on lnm0.
        long writtenBytes = 0;
        foreach (byte[] frame in frames.Where(f => f[9] == 17))
        {
            tun.Queues[0].WriteFrame(frame);
            writtenBytes += frame.Length;
        }

        JsonElement stats = IpOracle.Json(_ns, "-s", "link", "show", "lnm0")[0].GetProperty("stats64");
        Assert.Multiple(() =>
        {
            Assert.That(_recorder.Sum("linuxnet.tun.frames", ("linuxnet.tun.device", "lnm0"), ("network.io.direction", "receive")), Is.EqualTo(frames.Count));
            Assert.That(_recorder.Sum("linuxnet.tun.io", ("linuxnet.tun.device", "lnm0"), ("network.io.direction", "receive")), Is.EqualTo(readBytes));
            Assert.That(_recorder.Sum("linuxnet.tun.frames", ("linuxnet.tun.device", "lnm0"), ("network.io.direction", "transmit")), Is.EqualTo(Count));
            Assert.That(_recorder.Sum("linuxnet.tun.io", ("linuxnet.tun.device", "lnm0"), ("network.io.direction", "transmit")), Is.EqualTo(writtenBytes));
            Assert.That(_recorder.Sum("linuxnet.tun.frames", ("linuxnet.tun.queue", 0)), Is.EqualTo(frames.Count + Count), "the queue tag");
            // The kernel's view: what we wrote is what lnm0 received, what we read is what it sent.
            Assert.That(stats.GetProperty("rx").GetProperty("packets").GetInt64(), Is.EqualTo(Count));
            Assert.That(stats.GetProperty("rx").GetProperty("bytes").GetInt64(), Is.EqualTo(writtenBytes));
            Assert.That(stats.GetProperty("tx").GetProperty("packets").GetInt64(), Is.GreaterThanOrEqualTo(frames.Count));
        });
    }

    [Test]
    public void TunQueue_FrameLargerThanTheBuffer_CountsADrop()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnm0" }, _ns);
        tun.BringUp([IPPrefix.Parse("198.51.100.1/24")]);
        using Socket sender = _ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        sender.SendTo(new byte[1000], new IPEndPoint(IPAddress.Parse("198.51.100.2"), 9000));
        byte[] small = new byte[200];
        using var bound = new CancellationTokenSource(Bound);

        Assert.That(() =>
        {
            while (true)
            {
                tun.Queues[0].ReadFrame(small, bound.Token); // IPv6 noise fits; the 1,028-byte datagram does not
            }
        }, Throws.InstanceOf<TunFrameTooLargeException>());
        Assert.That(_recorder.Sum("linuxnet.tun.dropped", ("linuxnet.tun.device", "lnm0"), ("network.io.direction", "receive")), Is.EqualTo(1));
    }

    [Test]
    public void UdpBatchSocket_GsoRun_CountsItsDatagramsAndOneCallEachWay()
    {
        using UdpBatchSocket receiver = UdpBatchSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), _ns, new UdpBatchSocketOptions { ReceiveOffload = false });
        using UdpBatchSocket sender = UdpBatchSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), _ns, null);
        IpOracle.Run(_ns, "link", "set", "lo", "up");
        using var batch = new UdpBatch(16);
        batch.Add(new byte[10 * 500], receiver.LocalEndPoint, segmentSize: 500);
        sender.Send(batch);

        using var incoming = new UdpBatch(16, 2048);
        using var bound = new CancellationTokenSource(Bound);
        int received = 0;
        while (received < 10)
        {
            received += receiver.Receive(incoming, bound.Token);
        }

        string senderTag = sender.LocalEndPoint.ToString();
        string receiverTag = receiver.LocalEndPoint.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(_recorder.Sum("linuxnet.udp.datagrams", ("linuxnet.udp.socket", senderTag), ("network.io.direction", "transmit")), Is.EqualTo(10));
            Assert.That(_recorder.Sum("linuxnet.udp.calls", ("linuxnet.udp.socket", senderTag), ("network.io.direction", "transmit")), Is.EqualTo(1));
            Assert.That(_recorder.Sum("linuxnet.udp.datagrams", ("linuxnet.udp.socket", receiverTag), ("network.io.direction", "receive")), Is.EqualTo(10));
        });
    }

    [Test]
    public void Netlink_RequestsAndRefusals_AreCountedByOperationAndErrno()
    {
        using RtnetlinkSession rt = RtnetlinkSession.Open(_ns);
        _ = rt.Links.List();
        var refused = Assert.Throws<LinuxNet.Netlink.NetlinkException>(() => rt.Links.Delete(9999))!;
        Assert.That(refused.Errno, Is.EqualTo(Errno.ENODEV));

        Assert.Multiple(() =>
        {
            Assert.That(_recorder.Sum("linuxnet.netlink.requests", ("linuxnet.netlink.protocol", "route"), ("linuxnet.netlink.operation", "RTM_GETLINK")), Is.GreaterThanOrEqualTo(1));
            Assert.That(_recorder.Sum("linuxnet.netlink.failures", ("linuxnet.netlink.operation", "RTM_DELLINK"), ("error.type", "ENODEV")), Is.EqualTo(1));
        });
    }

    [Test]
    public void Netlink_BatchRefusals_CountOncePerRefusedMessage()
    {
        using RtnetlinkSession rt = RtnetlinkSession.Open(_ns);
        using RtnetlinkBatch batch = rt.CreateBatch();
        batch.AddAddress("lo", IPPrefix.Parse("198.51.100.7/32"));
        batch.AddAddress("lo", IPPrefix.Parse("198.51.100.7/32")); // EEXIST
        batch.AddAddress("lo", IPPrefix.Parse("198.51.100.7/32")); // EEXIST
        _ = batch.Execute();

        Assert.Multiple(() =>
        {
            Assert.That(_recorder.Sum("linuxnet.netlink.requests", ("linuxnet.netlink.operation", "RTM_NEWADDR")), Is.EqualTo(3));
            Assert.That(_recorder.Sum("linuxnet.netlink.failures", ("linuxnet.netlink.operation", "RTM_NEWADDR"), ("error.type", "EEXIST")), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Monitor_EventsAreCountedByType_AndAnOverrunIsCounted()
    {
        using RtnetlinkSession rt = RtnetlinkSession.Open(_ns);
        using RtnetlinkMonitor monitor = rt.Monitor(RtnetlinkEventKinds.Addresses, new RtnetlinkMonitorOptions { ReceiveBufferSize = 4096 });
        using (RtnetlinkBatch batch = rt.CreateBatch())
        {
            for (int i = 0; i < 500; i++)
            {
                batch.AddAddress("lo", IPPrefix.Parse($"2001:db8:77::{i + 1:x}/128"));
            }

            _ = batch.Execute();
        }

        using var bound = new CancellationTokenSource(Bound);
        await using IAsyncEnumerator<RtnetlinkEvent> events = monitor.GetAsyncEnumerator(bound.Token);
        bool overrun = false;
        while (!overrun && await events.MoveNextAsync())
        {
            overrun = events.Current.Kind == RtnetlinkEventKind.Overrun;
        }

        Assert.Multiple(() =>
        {
            Assert.That(overrun, Is.True, "500 address events overran a 4 KiB buffer");
            Assert.That(_recorder.Sum("linuxnet.netlink.overruns", ("linuxnet.netlink.socket_role", "event")), Is.GreaterThanOrEqualTo(1));
            Assert.That(_recorder.Sum("linuxnet.netlink.events", ("linuxnet.netlink.operation", "RTM_NEWADDR")), Is.GreaterThanOrEqualTo(1));
        });
    }

    /// <summary>Collects every measurement of LinuxNet's meter, with its tags.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public Recorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LinuxNetMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.Start();
        }

        public long Sum(string name, params (string Key, object Value)[] tags)
            => _measurements.Where(m => m.Name == name && tags.All(t => m.Tags.Any(k => k.Key == t.Key && Equals(k.Value, t.Value)))).Sum(m => m.Value);

        public void Dispose() => _listener.Dispose();
    }
}
