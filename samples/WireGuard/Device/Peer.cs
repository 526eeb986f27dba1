using System.Net;
using LinuxNet.Samples.WireGuard.Config;
using LinuxNet.Samples.WireGuard.Protocol;

namespace LinuxNet.Samples.WireGuard.Device;

/// <summary>
/// A peer's state: its identity and pre-shared key, its endpoint (which follows authenticated packets), its three
/// sessions (previous, current, and the next one a responder holds until the initiator's first data confirms it),
/// the handshake in progress, the timers' deadlines and the transfer counters.
/// </summary>
/// <remarks>
/// Handshake state and session rotation change under <see cref="Lock"/>; the data path reads
/// <see cref="Current"/> and <see cref="Endpoint"/> without locking (each is swapped whole, never changed in place).
/// Timer deadlines are <see cref="TimeProvider"/> timestamps, 0 = not armed.
/// </remarks>
public sealed class Peer
{
    private const int MaxStaged = 128;
    private readonly Queue<byte[]> _staged = new();
    private volatile IPEndPoint? _endpoint;
    private volatile Session? _current;
    private long _received;
    private long _sent;

    internal Peer(PeerConfig config, TimeProvider time, ProtocolTimers timers)
    {
        Remote = Identity.FromPublicKey(config.PublicKey);
        PresharedKey = config.PresharedKey ?? Array.Empty<byte>();
        PersistentKeepalive = config.PersistentKeepalive is int s ? TimeSpan.FromSeconds(s) : null;
        Cookies = new CookieGenerator(Remote, time, timers.CookieRefreshTime);
        if (config.Endpoint is not null)
        {
            SetEndpoint(config.Endpoint);
        }
    }

    /// <summary>The peer's public key and derived keys.</summary>
    public Identity Remote { get; }

    /// <summary>The pre-shared key, empty for none.</summary>
    public byte[] PresharedKey { get; }

    /// <summary>How often a keepalive goes out when nothing else did, or <see langword="null"/>.</summary>
    public TimeSpan? PersistentKeepalive { get; }

    /// <summary>Where datagrams to the peer go, or <see langword="null"/> until known.</summary>
    public IPEndPoint? Endpoint => _endpoint;

    /// <summary>When the last handshake completed, or <see langword="null"/>.</summary>
    public DateTimeOffset? LatestHandshake { get; internal set; }

    /// <summary>UDP bytes received from the peer (authenticated datagrams), as <c>wg show</c> counts them.</summary>
    public long ReceivedBytes => Interlocked.Read(ref _received);

    /// <summary>UDP bytes sent to the peer.</summary>
    public long SentBytes => Interlocked.Read(ref _sent);

    /// <summary>Completed handshakes (either side initiated).</summary>
    public int Handshakes { get; internal set; }

    /// <summary>Transport messages dropped as replays.</summary>
    public long Replayed { get; internal set; }

    /// <summary>Transport messages whose inner source address is not among the peer's allowed IPs.</summary>
    public long Misrouted { get; internal set; }

    /// <summary>The session data is sent on.</summary>
    public Session? Current
    {
        get => _current;
        internal set => _current = value;
    }

    internal object Lock { get; } = new();

    internal Session? Previous { get; set; }

    internal Session? Next { get; set; }

    internal HandshakeState Handshake { get; } = new();

    internal CookieGenerator Cookies { get; }

    internal byte[] LatestTimestamp { get; } = new byte[Tai64N.Size];

    internal long LastInitiationConsumed { get; set; }

    internal long AttemptStarted { get; set; }

    internal long LastInitiationSent { get; set; }

    internal long RetryDue { get; set; }

    internal long KeepaliveDue { get; set; }

    internal long NewHandshakeDue { get; set; }

    internal long LastSent { get; set; }

    internal long LastHandshakeTimestamp { get; set; }

    internal void AddReceived(int bytes) => Interlocked.Add(ref _received, bytes);

    internal void AddSent(int bytes) => Interlocked.Add(ref _sent, bytes);

    /// <summary>Points the peer at <paramref name="endpoint"/> (from the configuration, or roaming); a v4-mapped address is kept as IPv4.</summary>
    internal void SetEndpoint(IPEndPoint endpoint)
        => _endpoint = endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    /// <summary>
    /// Roams: when an authenticated datagram came from somewhere else (<paramref name="address"/>: 4 or 16 bytes as
    /// the socket reported them, <paramref name="port"/>), the peer's endpoint follows it. Allocates only on a change.
    /// </summary>
    internal void UpdateEndpoint(ReadOnlySpan<byte> address, int port)
    {
        IPEndPoint? current = _endpoint;
        if (current is not null && current.Port == port && SameAddress(current.Address, address))
        {
            return;
        }

        SetEndpoint(new IPEndPoint(new IPAddress(address), port));
    }

    private static bool SameAddress(IPAddress known, ReadOnlySpan<byte> address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!known.TryWriteBytes(bytes, out int written))
        {
            return false;
        }

        if (written == 4 && address.Length == 16 && address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF)
        {
            address = address[12..];
        }

        return address.SequenceEqual(bytes[..written]);
    }

    /// <summary>Keeps a copy of a packet that waits for a session (the oldest goes when full).</summary>
    internal void Stage(ReadOnlySpan<byte> packet)
    {
        lock (_staged)
        {
            if (_staged.Count >= MaxStaged)
            {
                _staged.Dequeue();
            }

            _staged.Enqueue(packet.ToArray());
        }
    }

    internal byte[]? TakeStaged()
    {
        lock (_staged)
        {
            return _staged.Count > 0 ? _staged.Dequeue() : null;
        }
    }

    internal void DropStaged()
    {
        lock (_staged)
        {
            _staged.Clear();
        }
    }
}
