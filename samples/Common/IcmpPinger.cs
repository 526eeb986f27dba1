using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Samples;

/// <summary>The outcome of one ICMP echo.</summary>
/// <param name="Status">Reply, unreachable or timeout.</param>
/// <param name="From">Who answered (the target, or the router that reported it unreachable).</param>
/// <param name="RoundTrip">The round-trip time of a reply.</param>
/// <param name="Ttl">The TTL of the reply packet.</param>
public readonly record struct PingResult(PingStatus Status, IPAddress? From, TimeSpan RoundTrip, int Ttl)
{
    /// <summary>The line <c>ping</c> would print for this result.</summary>
    public string Describe(IPAddress target, int sequence, int size) => Status switch
    {
        PingStatus.Reply => $"{size + 8} bytes from {From}: icmp_seq={sequence} ttl={Ttl} time={RoundTrip.TotalMilliseconds:0.000} ms",
        PingStatus.HostUnreachable => $"From {From} icmp_seq={sequence} Destination Host Unreachable",
        PingStatus.NetworkUnreachable => $"From {From?.ToString() ?? target.ToString()} icmp_seq={sequence} Destination Net Unreachable",
        _ => $"no reply from {target} for icmp_seq={sequence}",
    };
}

/// <summary>How an ICMP echo ended.</summary>
public enum PingStatus
{
    /// <summary>An echo reply came back.</summary>
    Reply,
    /// <summary>ICMP destination host unreachable (e.g. no ARP answer).</summary>
    HostUnreachable,
    /// <summary>ICMP destination network unreachable, or no route.</summary>
    NetworkUnreachable,
    /// <summary>Nothing came back in time.</summary>
    Timeout,
}

/// <summary>
/// ICMPv4 echo over a raw socket — what <c>ping</c> does, without running it. The socket belongs to the network
/// namespace of the thread that creates the pinger, so create it inside <c>NetNamespace.Run</c>.
/// </summary>
public sealed class IcmpPinger : IDisposable
{
    private readonly Socket _socket;
    private readonly ushort _identifier = (ushort)Random.Shared.Next(1, ushort.MaxValue);
    private readonly byte[] _receive = new byte[2048];

    /// <summary>Opens the raw ICMP socket in the calling thread's namespace (needs CAP_NET_RAW).</summary>
    public IcmpPinger() => _socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);

    /// <summary>Sends one echo request and waits for its answer.</summary>
    public PingResult Ping(IPAddress target, int sequence, TimeSpan timeout, int payloadSize = 56)
    {
        byte[] request = new byte[8 + payloadSize];
        request[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), _identifier);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), (ushort)sequence);
        for (int i = 8; i < request.Length; i++)
        {
            request[i] = (byte)i;
        }

        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), Checksum(request));
        var clock = Stopwatch.StartNew();
        try
        {
            _socket.SendTo(request, new IPEndPoint(target, 0));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.NetworkUnreachable or SocketError.HostUnreachable)
        {
            return new PingResult(e.SocketErrorCode == SocketError.HostUnreachable ? PingStatus.HostUnreachable : PingStatus.NetworkUnreachable, null, TimeSpan.Zero, 0);
        }

        while (clock.Elapsed < timeout)
        {
            int left = (int)Math.Max(1, (timeout - clock.Elapsed).TotalMilliseconds);
            if (!_socket.Poll(left * 1000, SelectMode.SelectRead))
            {
                break;
            }

            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = _socket.ReceiveFrom(_receive, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                return new PingResult(e.SocketErrorCode == SocketError.HostUnreachable ? PingStatus.HostUnreachable : PingStatus.NetworkUnreachable, null, TimeSpan.Zero, 0);
            }

            PingResult? result = Match(_receive.AsSpan(0, length), sequence, clock.Elapsed);
            if (result is { } r)
            {
                return r;
            }
        }

        return new PingResult(PingStatus.Timeout, null, TimeSpan.Zero, 0);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    private PingResult? Match(ReadOnlySpan<byte> packet, int sequence, TimeSpan elapsed)
    {
        if (packet.Length < 28 || packet[0] >> 4 != 4)
        {
            return null;
        }

        int headerLength = (packet[0] & 0xf) * 4;
        var source = new IPAddress(packet.Slice(12, 4));
        int ttl = packet[8];
        ReadOnlySpan<byte> icmp = packet[headerLength..];
        if (icmp.Length < 8)
        {
            return null;
        }

        byte type = icmp[0];
        if (type == 0 && BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == _identifier && BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) == (ushort)sequence)
        {
            return new PingResult(PingStatus.Reply, source, elapsed, ttl);
        }

        if (type == 3 && icmp.Length >= 8 + 20 + 8)
        {
            ReadOnlySpan<byte> inner = icmp[8..];
            int innerHeader = (inner[0] & 0xf) * 4;
            if (inner.Length >= innerHeader + 8 && inner[9] == 1 && inner[innerHeader] == 8
                && BinaryPrimitives.ReadUInt16BigEndian(inner[(innerHeader + 4)..]) == _identifier
                && BinaryPrimitives.ReadUInt16BigEndian(inner[(innerHeader + 6)..]) == (ushort)sequence)
            {
                return new PingResult(icmp[1] == 1 ? PingStatus.HostUnreachable : PingStatus.NetworkUnreachable, source, elapsed, ttl);
            }
        }

        return null;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
