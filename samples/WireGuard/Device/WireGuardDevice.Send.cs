using System.Net;
using System.Net.Sockets;
using LinuxNet.Samples.WireGuard.Protocol;

namespace LinuxNet.Samples.WireGuard.Device;

public sealed partial class WireGuardDevice
{
    /// <summary>
    /// Sends the packet at <c>buffer[16..16+length]</c> to <paramref name="peer"/> on its current session, or stages it
    /// and starts a handshake when there is no usable session. Length 0 is a keepalive.
    /// </summary>
    private void SendData(Peer peer, byte[] buffer, int length)
    {
        Session? session = peer.Current;
        SocketAddress? endpoint = peer.EndpointAddress;
        if (session is null || endpoint is null || _time.GetElapsedTime(session.Created) >= Timers.RejectAfterTime)
        {
            if (length > 0)
            {
                peer.Stage(buffer.AsSpan(MessageLayout.TransportHeaderSize, length));
            }

            StartHandshake(peer, retry: false);
            return;
        }

        int padded = length == 0 ? 0 : Math.Max(length, Math.Min((length + MessageLayout.PaddingMultiple - 1) & ~(MessageLayout.PaddingMultiple - 1), _mtu));
        int datagram = session.Seal(buffer, length, padded);
        if (datagram == 0)
        {
            StartHandshake(peer, retry: false);
            return;
        }

        Transmit(peer, buffer.AsSpan(0, datagram), endpoint);
        if (length > 0 && peer.NewHandshakeDue == 0)
        {
            // Data went out: if nothing authenticated comes back in Keepalive-Timeout + Rekey-Timeout, rehandshake.
            peer.NewHandshakeDue = Deadline(Timers.KeepaliveTimeout + Timers.RekeyTimeout);
        }

        // Keep the key fresh: the initiator rekeys a session past Rekey-After-Time; either side past Rekey-After-Messages.
        if ((session.IsInitiator && _time.GetElapsedTime(session.Created) >= Timers.RekeyAfterTime) || session.SendCounter >= Timers.RekeyAfterMessages)
        {
            StartHandshake(peer, retry: false);
        }
    }

    private void SendKeepalive(Peer peer, byte[] scratch) => SendData(peer, scratch, 0);

    private void Transmit(Peer peer, ReadOnlySpan<byte> datagram, SocketAddress endpoint)
    {
        try
        {
            _udp.SendTo(datagram, SocketFlags.None, endpoint);
            peer.AddSent(datagram.Length);
            peer.LastSent = _time.GetTimestamp();
            peer.KeepaliveDue = 0;
        }
        catch (SocketException e)
        {
            // The peer's network may be down or not up yet: the datagram is lost as on a real link; timers retry.
            _log.WriteLine($"wireguard: send to {peer.Endpoint} failed: {e.SocketErrorCode}");
        }
    }

    /// <summary>Sends a new initiation unless one went out less than Rekey-Timeout ago (a retry always sends).</summary>
    private void StartHandshake(Peer peer, bool retry)
    {
        SocketAddress? endpoint = peer.EndpointAddress;
        if (endpoint is null)
        {
            return;
        }

        byte[] message = new byte[MessageLayout.InitiationSize];
        lock (peer.Lock)
        {
            if (!retry)
            {
                // At most one initiation per Rekey-Timeout, answered or not (as wireguard-go): a responder's
                // flood limit and the whitened 16 ms timestamp granularity would drop faster ones anyway.
                if (peer.LastInitiationSent != 0 && _time.GetElapsedTime(peer.LastInitiationSent) < Timers.RekeyTimeout)
                {
                    return;
                }

                if (!peer.Handshake.IsInitiationSent)
                {
                    peer.AttemptStarted = _time.GetTimestamp();
                }
            }

            if (peer.Handshake.IsInitiationSent)
            {
                _indices.TryRemove(peer.Handshake.LocalIndex, out _);
            }

            uint index = NewIndex(peer, session: null);
            Span<byte> timestamp = stackalloc byte[Tai64N.Size];
            Tai64N.Write(_time.GetUtcNow(), timestamp);
            Noise.CreateInitiation(Local, peer.Remote, index, timestamp, peer.Handshake, message);
            peer.Cookies.AddMacs(message);
            peer.LastInitiationSent = _time.GetTimestamp();
            TimeSpan jitter = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * Timers.MaxJitter.Ticks));
            peer.RetryDue = Deadline(Timers.RekeyTimeout + jitter);
        }

        Transmit(peer, message, endpoint);
    }

    /// <summary>One timer pass over <paramref name="peer"/> (whitepaper 6.2 – 6.5).</summary>
    private void Tick(Peer peer, byte[] scratch)
    {
        if (peer.Handshake.IsInitiationSent && IsDue(peer.RetryDue))
        {
            if (_time.GetElapsedTime(peer.AttemptStarted) >= Timers.RekeyAttemptTime)
            {
                lock (peer.Lock)
                {
                    _indices.TryRemove(peer.Handshake.LocalIndex, out _);
                    peer.Handshake.Clear();
                    peer.RetryDue = 0;
                }

                peer.DropStaged();
                _log.WriteLine($"wireguard: handshake with {peer.Endpoint} did not complete after {Timers.RekeyAttemptTime.TotalSeconds} s, giving up");
            }
            else
            {
                StartHandshake(peer, retry: true);
            }
        }

        if (IsDue(peer.KeepaliveDue))
        {
            peer.KeepaliveDue = 0;
            SendKeepalive(peer, scratch);
        }

        if (IsDue(peer.NewHandshakeDue))
        {
            peer.NewHandshakeDue = 0;
            StartHandshake(peer, retry: false);
        }

        if (peer.PersistentKeepalive is TimeSpan interval && (peer.LastSent == 0 || _time.GetElapsedTime(peer.LastSent) >= interval))
        {
            SendKeepalive(peer, scratch);
        }

        if (peer.LastHandshakeTimestamp != 0 && _time.GetElapsedTime(peer.LastHandshakeTimestamp) >= Timers.RejectAfterTime * 3)
        {
            lock (peer.Lock)
            {
                ClearSessions(peer);
                peer.LastHandshakeTimestamp = 0;
            }

            _log.WriteLine($"wireguard: sessions with {peer.Endpoint} expired, keys erased");
        }
    }

    /// <summary>Forgets every session and the handshake in progress (under the peer's lock).</summary>
    private void ClearSessions(Peer peer)
    {
        foreach (Session? session in new[] { peer.Previous, peer.Current, peer.Next })
        {
            if (session is not null)
            {
                _indices.TryRemove(session.LocalIndex, out _);
            }
        }

        peer.Previous = peer.Current = peer.Next = null;
        if (peer.Handshake.IsInitiationSent)
        {
            _indices.TryRemove(peer.Handshake.LocalIndex, out _);
        }

        peer.Handshake.Clear();
        peer.DropStaged();
    }

    /// <summary>Sends the packets that waited for a session.</summary>
    private void FlushStaged(Peer peer, byte[] scratch, bool keepaliveIfNone)
    {
        bool any = false;
        while (peer.TakeStaged() is byte[] packet)
        {
            packet.CopyTo(scratch, MessageLayout.TransportHeaderSize);
            SendData(peer, scratch, packet.Length);
            any = true;
        }

        if (!any && keepaliveIfNone)
        {
            // Confirms the new session to the responder, which may not send on it before it received something.
            SendKeepalive(peer, scratch);
        }
    }
}
