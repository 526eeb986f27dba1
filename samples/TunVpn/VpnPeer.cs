using System.Net;
using System.Net.Sockets;
using LinuxNet.Tun;

namespace LinuxNet.Samples.TunVpn;

/// <summary>
/// One side of the tunnel: a thread moves packets TUN → seal → UDP, another UDP → open → TUN.
/// </summary>
/// <remarks>
/// Each direction runs on its own dedicated thread with blocking I/O and reused buffers: one read, one seal or open,
/// one write per packet, and no allocation. The UDP socket is connected to the peer, so a datagram from anywhere else
/// never reaches <see cref="PacketProtector.Open"/>.
/// <para>
/// A peer that is not up yet, or restarts, makes the kernel answer with ICMP port-unreachable, which a connected UDP
/// socket reports on the next send or receive as <see cref="SocketError.ConnectionRefused"/>. That, and the other
/// errors a real link produces (no route, no buffer space), drop one packet, are counted in <see cref="SendErrors"/>,
/// and the thread goes on: the tunnel resumes as soon as the peer answers. Any other error stops the thread; it is
/// kept in <see cref="Fault"/>, raised through <see cref="Faulted"/> and signals <see cref="FaultSignal"/>, so the
/// host can report it and exit instead of freezing.
/// </para>
/// </remarks>
public sealed class VpnPeer : IDisposable
{
    private const int MaxPacket = 65535;

    private readonly TunDevice _tun;
    private readonly Socket _udp;
    private readonly PacketProtector _protector;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _outbound;
    private readonly Thread _inbound;
    private long _packetsOut;
    private long _bytesOut;
    private long _packetsIn;
    private long _bytesIn;
    private long _sendErrors;
    private Exception? _fault;
    private readonly ManualResetEvent _faultSignal = new(false);
    private int _disposed;

    /// <summary>Creates the peer; <see cref="Start"/> starts moving packets.</summary>
    /// <param name="name">A name for the threads and logs.</param>
    /// <param name="tun">The TUN device (plain frames, no packet information).</param>
    /// <param name="udp">A UDP socket bound locally and connected to the other peer.</param>
    /// <param name="protector">Seals and opens datagrams.</param>
    public VpnPeer(string name, TunDevice tun, Socket udp, PacketProtector protector)
    {
        Name = name;
        _tun = tun;
        _udp = udp;
        _protector = protector;
        _udp.ReceiveTimeout = 250;
        _outbound = new Thread(Outbound) { IsBackground = true, Name = $"TunVpn {name} tun->udp" };
        _inbound = new Thread(Inbound) { IsBackground = true, Name = $"TunVpn {name} udp->tun" };
    }

    /// <summary>The peer's name.</summary>
    public string Name { get; }

    /// <summary>Packets read from the TUN and sent sealed.</summary>
    public long PacketsOut => Interlocked.Read(ref _packetsOut);

    /// <summary>Bytes of packets sent (before sealing).</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Packets received, opened and written to the TUN.</summary>
    public long PacketsIn => Interlocked.Read(ref _packetsIn);

    /// <summary>Bytes of packets written to the TUN.</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>Datagrams dropped because they did not authenticate.</summary>
    public long Rejected => _protector.Rejected;

    /// <summary>Datagrams dropped as replays.</summary>
    public long Replayed => _protector.Replayed;

    /// <summary>Packets dropped because the send failed transiently (peer not up yet or restarting, no route, no buffer space).</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>The exception that stopped a thread, if any.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Signalled when a thread stopped on an unexpected error (see <see cref="Fault"/>).</summary>
    public WaitHandle FaultSignal => _faultSignal;

    /// <summary>Raised, on the failing thread, when a thread stops on an unexpected error; the arguments name the thread.</summary>
    public event Action<VpnPeer, string, Exception>? Faulted;

    /// <summary>Starts both threads.</summary>
    public void Start()
    {
        _outbound.Start();
        _inbound.Start();
    }

    /// <summary>Stops both threads and waits for them.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _outbound.Join(TimeSpan.FromSeconds(5));
        _inbound.Join(TimeSpan.FromSeconds(5));
        _stop.Dispose();
        _faultSignal.Dispose();
    }

    /// <summary>Whether a send error is what a real link produces now and then: drop the packet and go on.</summary>
    public static bool IsTransient(SocketError error) => error is SocketError.ConnectionRefused or SocketError.HostUnreachable
        or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NoBufferSpaceAvailable or SocketError.MessageSize
        or SocketError.ConnectionReset or SocketError.WouldBlock;

    private void Fail(Thread thread, Exception e)
    {
        if (Interlocked.CompareExchange(ref _fault, e, null) == null)
        {
            _faultSignal.Set();
            Faulted?.Invoke(this, thread.Name ?? Name, e);
        }
    }

    private void Outbound()
    {
        byte[] packet = new byte[MaxPacket];
        byte[] datagram = new byte[MaxPacket + PacketProtector.Overhead];
        CancellationToken token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                int length = _tun.ReadFrame(packet, token);
                int sealedLength = _protector.Seal(packet.AsSpan(0, length), datagram);
                try
                {
                    _udp.Send(datagram.AsSpan(0, sealedLength), SocketFlags.None);
                }
                catch (SocketException e) when (IsTransient(e.SocketErrorCode))
                {
                    Interlocked.Increment(ref _sendErrors);
                    continue;
                }

                Interlocked.Increment(ref _packetsOut);
                Interlocked.Add(ref _bytesOut, length);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception e) when (!token.IsCancellationRequested)
        {
            Fail(_outbound, e);
        }
        catch (Exception)
        {
        }
    }

    private void Inbound()
    {
        byte[] datagram = new byte[MaxPacket + PacketProtector.Overhead];
        byte[] packet = new byte[MaxPacket];
        CancellationToken token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _udp.Receive(datagram, SocketFlags.None);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut || IsTransient(e.SocketErrorCode))
            {
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException && token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Fail(_inbound, e);
                return;
            }

            int length = _protector.Open(datagram.AsSpan(0, received), packet);
            if (length <= 0)
            {
                continue;
            }

            try
            {
                _tun.WriteFrame(packet.AsSpan(0, length));
                Interlocked.Increment(ref _packetsIn);
                Interlocked.Add(ref _bytesIn, length);
            }
            catch (LinuxNetException)
            {
                // A packet the kernel refuses (e.g. not IP) is dropped like on a real link.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>Creates a UDP socket bound to <paramref name="local"/> and connected to <paramref name="remote"/>, in the calling thread's namespace.</summary>
    public static Socket CreateSocket(IPEndPoint local, IPEndPoint remote)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 4 << 20;
            socket.SendBufferSize = 4 << 20;
            socket.Bind(local);
            socket.Connect(remote);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
