using LinuxNet.Route;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LinuxNet.Samples.WireGuard.Config;
using LinuxNet.Samples.WireGuard.Protocol;
using LinuxNet.Samples.WireGuard.Routing;
using LinuxNet.Tun;
using LinuxNet.Tun.Offload;
using LinuxNet.Udp;

namespace LinuxNet.Samples.WireGuard.Device;

/// <summary>
/// A WireGuard interface in userspace: a TUN device, one UDP socket and its peers. Three dedicated threads do the
/// work: TUN → route → seal → UDP, UDP → (handshake | open → check source → TUN), and the timers (handshake
/// retries, keepalives, rekeying, expiry).
/// </summary>
/// <remarks>
/// The data path seals and opens in place in one buffer per direction (16 bytes of headroom for the transport
/// header, room for the tag behind), so a packet costs one read, one AEAD call and one write, and allocates
/// nothing in steady state. A worker that dies sets <see cref="Fault"/>, logs, and fires <see cref="Faulted"/>.
/// </remarks>
public sealed partial class WireGuardDevice : IDisposable
{
    private const int MaxPacket = 65535;
    private const int BufferSize = MessageLayout.TransportHeaderSize + MaxPacket + MessageLayout.PaddingMultiple + MessageLayout.TagSize;
    private const int MaxDatagram = 65535;
    private const int ReceiveEntries = 32;
    private const int SendEntries = 4;

    private readonly TunDevice _tun;
    private readonly UdpBatchSocket _udp;
    private readonly UdpBatch _single = new(1, MaxDatagram);
    private readonly DatagramRuns _runs;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly CookieChecker _cookieChecker;
    private readonly Dictionary<string, Peer> _peersByKey = new(StringComparer.Ordinal);
    private readonly List<Peer> _peers = new();
    private readonly AllowedIps<Peer> _routes = new();
    private readonly ConcurrentDictionary<uint, IndexEntry> _indices = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _workers;
    private readonly int _mtu;
    private readonly GroCoalescer? _coalescer;
    private const int AllocationSampleEvery = 1024;
    private long _outboundPackets;
    private long _outboundAllocated;
    private long _inboundPackets;
    private long _inboundAllocated;
    private long _udpSends;
    private long _udpDatagramsSent;
    private long _udpReceives;
    private long _udpDatagramsReceived;
    private long _handshakeWindowStart;
    private int _handshakesInWindow;
    private int _disposed;
    private Exception? _fault;

    /// <summary>Creates the device on <paramref name="tun"/> with a UDP socket made in the calling thread's namespace; <see cref="Start"/> starts it.</summary>
    /// <param name="config">Keys, port and peers (the addresses and MTU of the TUN are the caller's, see <see cref="WireGuardInterface"/>).</param>
    /// <param name="tun">A TUN device without packet information or virtio-net header.</param>
    /// <param name="timers">The protocol's timers; <see langword="null"/> for the whitepaper's.</param>
    /// <param name="log">Where to log; <see langword="null"/> for nowhere.</param>
    /// <param name="time">The clock; <see langword="null"/> for the system's.</param>
    public WireGuardDevice(WireGuardConfig config, TunDevice tun, ProtocolTimers? timers = null, TextWriter? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tun);
        if (tun.PacketInformation || tun.Mode != TunMode.Tun || tun.VirtioNetHeaderSize > MessageLayout.TransportHeaderSize)
        {
            throw new ArgumentException("the TUN device must carry IP packets without packet information (a virtio-net header is fine)", nameof(tun));
        }

        _tun = tun;
        _log = log ?? TextWriter.Null;
        _time = time ?? TimeProvider.System;
        Timers = timers ?? ProtocolTimers.Default;
        _mtu = config.Interface.Mtu ?? WireGuardInterface.DefaultMtu;
        Local = Identity.FromPrivateKey(config.Interface.PrivateKey);
        _cookieChecker = new CookieChecker(Local, _time, Timers.CookieRefreshTime);
        foreach (PeerConfig peerConfig in config.Peers)
        {
            string key = WireGuardKey.Format(peerConfig.PublicKey);
            if (_peersByKey.ContainsKey(key))
            {
                throw new ArgumentException($"peer {key} appears twice", nameof(config));
            }

            var peer = new Peer(peerConfig, _time, Timers);
            _peersByKey.Add(key, peer);
            _peers.Add(peer);
            foreach (IPPrefix prefix in peerConfig.AllowedIps)
            {
                _routes.Insert(prefix, peer);
            }
        }

        if (tun.VirtioNetHeaderSize > 0)
        {
            // The AEAD authenticated every packet; re-verifying each checksum before coalescing would only cost.
            _coalescer = new GroCoalescer(tun.VirtioNetHeaderSize) { VerifyChecksums = false };
        }

        // One dual-stack socket, batched both ways: sendmmsg with UDP_SEGMENT runs out, recvmmsg with UDP_GRO in
        // (LinuxNet's UdpBatchSocket), with large buffers (SO_RCVBUFFORCE/SO_SNDBUFFORCE with CAP_NET_ADMIN, as
        // wireguard-go does): a small receive buffer drops datagrams in bursts, which the tunnelled TCP pays for.
        _udp = UdpBatchSocket.Bind(
            new IPEndPoint(IPAddress.IPv6Any, config.Interface.ListenPort ?? 0),
            new UdpBatchSocketOptions { ReceiveOffload = true, IPv6Only = false, ReceiveBufferSize = 4 << 20, SendBufferSize = 4 << 20 });
        ListenPort = _udp.LocalEndPoint.Port;
        _runs = new DatagramRuns(_udp, SendEntries);
        _workers = new[]
        {
            new Thread(Outbound) { IsBackground = true, Name = "wg tun->udp" },
            new Thread(Inbound) { IsBackground = true, Name = "wg udp->tun" },
            new Thread(TimerLoop) { IsBackground = true, Name = "wg timers" },
        };
    }

    /// <summary>Raised (on the dying worker's thread) when a worker stops with an error.</summary>
    public event EventHandler<Exception>? Faulted;

    /// <summary>Our identity.</summary>
    public Identity Local { get; }

    /// <summary>The UDP port.</summary>
    public int ListenPort { get; }

    /// <summary>The TUN device's name.</summary>
    public string InterfaceName => _tun.Name;

    /// <summary>The protocol timers in use.</summary>
    public ProtocolTimers Timers { get; }

    /// <summary>The peers, in configuration order.</summary>
    public IReadOnlyList<Peer> Peers => _peers;

    /// <summary>The allowed-IPs routing table.</summary>
    public AllowedIps<Peer> Routes => _routes;

    /// <summary>Handshake messages answered with a cookie reply (under load, no valid mac2).</summary>
    public long CookieRepliesSent { get; private set; }

    /// <summary>Handshake messages dropped (bad mac1, unknown key, stale timestamp, flood, not decrypting).</summary>
    public long HandshakesRejected { get; private set; }

    /// <summary>
    /// The data-path workers' counters: packets each handled and the bytes each had allocated on its own thread
    /// (sampled every 1024 packets), so a test can show that steady-state traffic allocates nothing.
    /// </summary>
    public (long OutboundPackets, long OutboundAllocated, long InboundPackets, long InboundAllocated) DataPathCounters =>
        (Interlocked.Read(ref _outboundPackets), Interlocked.Read(ref _outboundAllocated), Interlocked.Read(ref _inboundPackets), Interlocked.Read(ref _inboundAllocated));

    /// <summary>
    /// The UDP side's system calls and datagrams: <c>sendmmsg</c> calls and the datagrams they carried (a GSO run counts
    /// as its segments), <c>recvmmsg</c> calls and the datagrams they returned (a GRO run counts as its segments). With
    /// TUN offloads, bulk TCP moves many datagrams per call each way.
    /// </summary>
    public (long Sends, long DatagramsSent, long Receives, long DatagramsReceived) UdpCounters =>
        (Interlocked.Read(ref _udpSends) + _runs.Sends, Interlocked.Read(ref _udpDatagramsSent) + _runs.Datagrams,
         Interlocked.Read(ref _udpReceives), Interlocked.Read(ref _udpDatagramsReceived));

    /// <summary>The exception that stopped a worker, if any.</summary>
    public Exception? Fault => _fault;

    /// <summary>Starts the workers; peers with PersistentKeepalive and an endpoint start a handshake at once.</summary>
    public void Start()
    {
        foreach (Thread worker in _workers)
        {
            worker.Start();
        }

        foreach (Peer peer in _peers)
        {
            if (peer.PersistentKeepalive is not null)
            {
                SendKeepalive(peer, new byte[MessageLayout.MinTransportSize + MessageLayout.PaddingMultiple]);
            }
        }
    }

    /// <summary>The peer with <paramref name="publicKey"/>, or <see langword="null"/>.</summary>
    public Peer? FindPeer(ReadOnlySpan<byte> publicKey) => _peersByKey.GetValueOrDefault(WireGuardKey.Format(publicKey));

    /// <summary>Stops the workers, closes the socket, forgets all keys. The TUN device stays the caller's.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        foreach (Thread worker in _workers)
        {
            if (worker.IsAlive)
            {
                worker.Join(TimeSpan.FromSeconds(5));
            }
        }

        _udp.Dispose();
        lock (_single)
        {
            _single.Dispose();
        }

        if (!_workers[0].IsAlive)
        {
            _runs.Dispose(); // else the outbound worker, stuck past the join timeout, still uses it: its finalizer frees it
        }

        foreach (Peer peer in _peers)
        {
            lock (peer.Lock)
            {
                ClearSessions(peer);
            }
        }

        _stop.Dispose();
    }

    private void Outbound()
    {
        // The frame is read so that its IP packet starts at the transport header's end: a virtio-net header, if the
        // device has one, lands in the headroom (and is overwritten by the transport header when sealing).
        byte[] buffer = new byte[BufferSize];
        byte[] segments = new byte[BufferSize];
        int vnet = _tun.VirtioNetHeaderSize;
        int frameStart = MessageLayout.TransportHeaderSize - vnet;
        CancellationToken token = _stop.Token;
        DatagramRuns runs = _runs;
        long packets = 0;
        RunWorker(() =>
        {
            while (!token.IsCancellationRequested)
            {
                int length = _tun.ReadFrame(buffer.AsSpan(frameStart, vnet + MaxPacket), token) - vnet;
                Span<byte> packet = buffer.AsSpan(MessageLayout.TransportHeaderSize, Math.Max(0, length));
                Peer? peer = length > 0 ? Route(packet, destinationSide: true) : null;
                if (peer is null)
                {
                    continue;
                }

                if (vnet == 0)
                {
                    SendData(peer, buffer, length);
                    packets++;
                }
                else
                {
                    packets += SendOffloaded(peer, VirtioNetHeader.Read(buffer.AsSpan(frameStart, vnet), vnet), buffer, packet, segments, runs);
                }

                if (packets >= AllocationSampleEvery)
                {
                    Interlocked.Add(ref _outboundPackets, packets);
                    Interlocked.Exchange(ref _outboundAllocated, GC.GetAllocatedBytesForCurrentThread());
                    packets = 0;
                }
            }
        });
    }

    /// <summary>
    /// A frame of an offloading TUN: a plain packet (its partial checksum completed in place) goes as it is; a TCP
    /// super-frame of up to 64 KiB is split into MTU-sized packets (LinuxNet's <see cref="GsoSplitter"/>) written
    /// straight into the send batch, each sealed where it lies, and all of them leave as UDP GSO runs in one
    /// <c>sendmmsg</c> (<see cref="DatagramRuns"/>). One TUN read and one send then carry ~45 packets, and the kernel's
    /// TCP stack works in 64 KiB units.
    /// </summary>
    /// <returns>The packets sent.</returns>
    private int SendOffloaded(Peer peer, VirtioNetHeader header, byte[] buffer, Span<byte> packet, byte[] segments, DatagramRuns runs)
    {
        if (header.GsoType == VirtioNetGsoType.None)
        {
            if (!GsoSplitter.TryCompleteChecksum(header, packet))
            {
                return 0;
            }

            SendData(peer, buffer, packet.Length);
            return 1;
        }

        if (!GsoSplitter.TryCreate(header, packet, out GsoSplitter splitter))
        {
            return 0;
        }

        IPEndPoint? endpoint = peer.Endpoint;
        if (endpoint is null || peer.Current is null)
        {
            // No session yet: the packets are staged (and a handshake started) one by one.
            for (int i = 0; i < splitter.SegmentCount; i++)
            {
                SendData(peer, segments, splitter.WriteSegment(i, segments.AsSpan(MessageLayout.TransportHeaderSize)));
            }

            return splitter.SegmentCount;
        }

        int sealedCount = 0;
        for (int i = 0; i < splitter.SegmentCount; i++)
        {
            int length = splitter.GetSegmentLength(i);
            Span<byte> slot = runs.Reserve(PaddedLength(length) + MessageLayout.MinTransportSize, endpoint, _stop.Token);
            splitter.WriteSegment(i, slot[MessageLayout.TransportHeaderSize..]);
            int datagram = SealData(peer, slot, length);
            if (datagram == 0)
            {
                break;
            }

            runs.Commit(datagram);
            sealedCount++;
        }

        try
        {
            int bytes = runs.Flush(_stop.Token);
            if (bytes > 0)
            {
                DataSent(peer, bytes, data: true);
            }
        }
        catch (LinuxNetException e)
        {
            // The peer's network may be down: the datagrams are lost as on a real link; TCP and the timers retry.
            _log.WriteLine($"wireguard: send to {endpoint} failed: {e.Message}");
        }

        return sealedCount;
    }

    private void Inbound()
    {
        byte[] scratch = new byte[BufferSize];
        using var batch = new UdpBatch(ReceiveEntries, MaxDatagram);
        CancellationToken token = _stop.Token;
        long packets = 0;
        RunWorker(() =>
        {
            while (!token.IsCancellationRequested)
            {
                int entries;
                try
                {
                    entries = _udp.Receive(batch, token);
                }
                catch (LinuxNetException e) when (e.Errno is Errno.ECONNREFUSED or Errno.EHOSTUNREACH or Errno.ENETUNREACH)
                {
                    continue; // an ICMP error for an earlier send: nothing to read
                }

                long received = packets;
                for (int entry = 0; entry < entries; entry++)
                {
                    // With UDP_GRO an entry holds a run of equal-size datagrams from one sender.
                    Span<byte> run = batch.GetDatagram(entry);
                    int size = batch.GetSegmentSize(entry) is > 0 and int segment ? segment : run.Length;
                    for (int offset = 0; offset < run.Length; offset += size)
                    {
                        Span<byte> datagram = run.Slice(offset, Math.Min(size, run.Length - offset));
                        Receive(datagram, batch, entry, scratch);
                        packets++;
                    }
                }

                FlushCoalesced();
                Interlocked.Increment(ref _udpReceives);
                Interlocked.Add(ref _udpDatagramsReceived, packets - received);
                if (packets >= AllocationSampleEvery)
                {
                    Interlocked.Add(ref _inboundPackets, packets);
                    Interlocked.Exchange(ref _inboundAllocated, GC.GetAllocatedBytesForCurrentThread());
                    packets = 0;
                }
            }
        });
    }

    /// <summary>One datagram: a transport message or a handshake message, told apart by type and size.</summary>
    private void Receive(Span<byte> datagram, UdpBatch batch, int entry, byte[] scratch)
    {
        if (datagram.Length < 4 || datagram[1] != 0 || datagram[2] != 0 || datagram[3] != 0)
        {
            return;
        }

        switch (datagram[0])
        {
            case MessageLayout.Transport when datagram.Length >= MessageLayout.MinTransportSize:
                ReceiveTransport(datagram, batch, entry, scratch);
                break;
            case MessageLayout.Initiation when datagram.Length == MessageLayout.InitiationSize:
                ReceiveInitiation(datagram, batch.GetRemoteEndPoint(entry)!);
                break;
            case MessageLayout.Response when datagram.Length == MessageLayout.ResponseSize:
                ReceiveResponse(datagram, batch.GetRemoteEndPoint(entry)!, scratch);
                break;
            case MessageLayout.CookieReply when datagram.Length == MessageLayout.CookieReplySize:
                ReceiveCookieReply(datagram);
                break;
        }
    }

    private void TimerLoop()
    {
        byte[] scratch = new byte[BufferSize];
        CancellationToken token = _stop.Token;
        RunWorker(() =>
        {
            while (!token.WaitHandle.WaitOne(Timers.TimerTick))
            {
                foreach (Peer peer in _peers)
                {
                    Tick(peer, scratch);
                }
            }
        });
    }

    private void RunWorker(Action body)
    {
        try
        {
            body();
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && _stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _fault = e;
            _log.WriteLine($"wireguard: worker {Thread.CurrentThread.Name} died: {e}");
            Faulted?.Invoke(this, e);
        }
    }

    /// <summary>The peer routing a packet's destination (outgoing) or source (incoming) address, or <see langword="null"/>.</summary>
    private Peer? Route(ReadOnlySpan<byte> packet, bool destinationSide)
    {
        int version = packet[0] >> 4;
        if (version == 4 && packet.Length >= 20)
        {
            return _routes.Lookup(packet.Slice(destinationSide ? 16 : 12, 4));
        }

        if (version == 6 && packet.Length >= 40)
        {
            return _routes.Lookup(packet.Slice(destinationSide ? 24 : 8, 16));
        }

        return null;
    }

    private long Deadline(TimeSpan after) => _time.GetTimestamp() + (long)(after.TotalSeconds * _time.TimestampFrequency);

    private bool IsDue(long deadline) => deadline != 0 && _time.GetTimestamp() >= deadline;

    private sealed record IndexEntry(Peer Peer, Session? Session);

    private static uint ReadReceiver(ReadOnlySpan<byte> message, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(message[offset..]);

    private uint NewIndex(Peer peer, Session? session)
    {
        while (true)
        {
            uint index = BinaryPrimitives.ReadUInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
            if (_indices.TryAdd(index, new IndexEntry(peer, session)))
            {
                return index;
            }
        }
    }
}
