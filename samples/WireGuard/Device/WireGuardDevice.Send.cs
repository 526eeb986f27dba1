using System.Net;
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
        IPEndPoint? endpoint = peer.Endpoint;
        int datagram = SealData(peer, buffer, length);
        if (datagram > 0 && endpoint is not null && Transmit(peer, buffer.AsSpan(0, datagram), endpoint))
        {
            DataSent(peer, datagram, length > 0);
        }
    }

    /// <summary>
    /// Seals the packet at <c>buffer[16..16+length]</c> in place for <paramref name="peer"/>'s current session (padded
    /// as <see cref="PaddedLength"/> says), or stages it and starts a handshake when there is no usable session.
    /// </summary>
    /// <returns>The datagram's length, or 0 when there is nothing to send now.</returns>
    private int SealData(Peer peer, Span<byte> buffer, int length)
    {
        Session? session = peer.Current;
        if (session is null || peer.Endpoint is null || _time.GetElapsedTime(session.Created) >= Timers.RejectAfterTime)
        {
            if (length > 0)
            {
                peer.Stage(buffer.Slice(MessageLayout.TransportHeaderSize, length));
            }

            StartHandshake(peer, retry: false);
            return 0;
        }

        int datagram = session.Seal(buffer, length, PaddedLength(length));
        if (datagram == 0)
        {
            StartHandshake(peer, retry: false);
            return 0;
        }

        // Keep the key fresh: the initiator rekeys a session past Rekey-After-Time; either side past Rekey-After-Messages.
        if ((session.IsInitiator && _time.GetElapsedTime(session.Created) >= Timers.RekeyAfterTime) || session.SendCounter >= Timers.RekeyAfterMessages)
        {
            StartHandshake(peer, retry: false);
        }

        return datagram;
    }

    /// <summary>The plaintext length a packet of <paramref name="length"/> bytes is padded to: a multiple of 16, at most the MTU.</summary>
    private int PaddedLength(int length)
        => length == 0 ? 0 : Math.Max(length, Math.Min((length + MessageLayout.PaddingMultiple - 1) & ~(MessageLayout.PaddingMultiple - 1), _mtu));

    /// <summary>The timers' part of sending: counters, the passive keepalive is off, and data arms the new-handshake timer.</summary>
    private void DataSent(Peer peer, int bytes, bool data)
    {
        peer.AddSent(bytes);
        peer.LastSent = _time.GetTimestamp();
        peer.KeepaliveDue = 0;
        if (data && peer.NewHandshakeDue == 0)
        {
            // Data went out: if nothing authenticated comes back in Keepalive-Timeout + Rekey-Timeout, rehandshake.
            peer.NewHandshakeDue = Deadline(Timers.KeepaliveTimeout + Timers.RekeyTimeout);
        }
    }

    private void SendKeepalive(Peer peer, byte[] scratch) => SendData(peer, scratch, 0);

    /// <summary>Sends one datagram (handshake messages, keepalives, single packets) through the shared one-entry batch.</summary>
    /// <returns>Whether the kernel took it.</returns>
    private bool Transmit(Peer? peer, ReadOnlySpan<byte> datagram, IPEndPoint endpoint)
    {
        try
        {
            lock (_single)
            {
                _single.Clear();
                _single.Add(datagram, endpoint);
                _udp.Send(_single, _stop.Token);
            }

            Interlocked.Increment(ref _udpSends);
            Interlocked.Increment(ref _udpDatagramsSent);

            return true;
        }
        catch (LinuxNetException e)
        {
            // The peer's network may be down or not up yet: the datagram is lost as on a real link; timers retry.
            _log.WriteLine($"wireguard: send to {peer?.Endpoint ?? endpoint} failed: {e.Message}");
            return false;
        }
    }

    /// <summary>Sends a new initiation unless one went out less than Rekey-Timeout ago (a retry always sends).</summary>
    private void StartHandshake(Peer peer, bool retry)
    {
        IPEndPoint? endpoint = peer.Endpoint;
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

        if (Transmit(peer, message, endpoint))
        {
            DataSent(peer, message.Length, data: false);
        }
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
