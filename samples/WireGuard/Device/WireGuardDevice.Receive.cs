using System.Net;
using LinuxNet.Samples.WireGuard.Protocol;
using LinuxNet.Tun.Offload;
using LinuxNet.Udp;

namespace LinuxNet.Samples.WireGuard.Device;

public sealed partial class WireGuardDevice
{
    /// <summary>A transport message, from entry <paramref name="batchEntry"/> of <paramref name="batch"/> (one datagram of its run), which names the sender.</summary>
    private void ReceiveTransport(Span<byte> datagram, UdpBatch batch, int batchEntry, byte[] scratch)
    {
        if (!_indices.TryGetValue(ReadReceiver(datagram, MessageLayout.ReceiverOffset), out IndexEntry? entry) || entry.Session is not Session session)
        {
            return;
        }

        Peer peer = entry.Peer;
        if (_time.GetElapsedTime(session.Created) >= Timers.RejectAfterTime)
        {
            return;
        }

        int length = session.Open(datagram);
        if (length == -2)
        {
            peer.Replayed++;
            return;
        }

        if (length < 0)
        {
            return;
        }

        // Authenticated: the endpoint follows, the timers learn that the peer is alive.
        Span<byte> address = stackalloc byte[16];
        if (batch.TryGetRemoteAddress(batchEntry, address, out int addressLength))
        {
            peer.UpdateEndpoint(address[..addressLength], batch.GetRemotePort(batchEntry));
        }

        peer.AddReceived(datagram.Length);
        peer.NewHandshakeDue = 0;
        if (session == peer.Next)
        {
            ConfirmNext(peer, session);
            FlushStaged(peer, scratch, keepaliveIfNone: false);
        }

        if (session.IsInitiator && !peer.Handshake.IsInitiationSent
            && _time.GetElapsedTime(session.Created) >= Timers.RejectAfterTime - Timers.KeepaliveTimeout - Timers.RekeyTimeout)
        {
            StartHandshake(peer, retry: false);
        }

        if (length == 0)
        {
            return; // a keepalive
        }

        if (peer.KeepaliveDue == 0)
        {
            peer.KeepaliveDue = Deadline(Timers.KeepaliveTimeout);
        }

        Span<byte> packet = datagram.Slice(MessageLayout.TransportHeaderSize, length);
        int ipLength = IpLength(packet);
        if (ipLength <= 0 || ipLength > length || Route(packet, destinationSide: false) != peer)
        {
            peer.Misrouted++;
            return;
        }

        int vnet = _tun.VirtioNetHeaderSize;
        if (vnet == 0)
        {
            WriteTun(packet[..ipLength]);
            return;
        }

        // An offloading TUN: consecutive TCP segments of a flow are coalesced (LinuxNet's GroCoalescer) and written
        // as one super-frame when the socket has nothing more queued (see FlushCoalesced), so the kernel's TCP stack
        // takes them in 64 KiB units.
        GroCoalescer gro = _coalescer!;
        GroAddResult result = gro.Add(packet[..ipLength]);
        if (result == GroAddResult.FlushRequired)
        {
            WriteTun(gro.Flush());
            result = gro.Add(packet[..ipLength]);
        }

        if (result == GroAddResult.NotCoalescable)
        {
            if (gro.HasPending)
            {
                WriteTun(gro.Flush());
            }

            // The header goes into the headroom the transport header used: no GSO; the AEAD already vouched
            // for the bytes, so the kernel need not verify the checksums (as the kernel's WireGuard does).
            Span<byte> frame = datagram.Slice(MessageLayout.TransportHeaderSize - vnet, vnet + ipLength);
            new VirtioNetHeader { Flags = VirtioNetHeaderFlags.DataValid }.Write(frame, vnet);
            WriteTun(frame);
        }
    }

    /// <summary>Writes the pending super-frame, if any: called after each received batch, so packets are never held back.</summary>
    private void FlushCoalesced()
    {
        if (_coalescer is { HasPending: true } gro)
        {
            WriteTun(gro.Flush());
        }
    }

    private void WriteTun(ReadOnlySpan<byte> frame)
    {
        try
        {
            _tun.WriteFrame(frame);
        }
        catch (LinuxNetException)
        {
            // A packet the kernel refuses is dropped as on a real link.
        }
    }

    private void ReceiveInitiation(ReadOnlySpan<byte> message, IPEndPoint from)
    {
        if (!CheckMacs(message, from))
        {
            return;
        }

        ConsumedInitiation? initiation = Noise.ConsumeInitiation(Local, message);
        Peer? peer = initiation is null ? null : FindPeer(initiation.RemoteStatic);
        if (initiation is null || peer is null)
        {
            Reject($"initiation from {from} that does not decrypt or names no peer of ours");
            return;
        }

        byte[] response = new byte[MessageLayout.ResponseSize];
        lock (peer.Lock)
        {
            // Replay and flood protection: a strictly newer timestamp, and not more often than the limit.
            if (!Tai64N.IsAfter(initiation.Timestamp, peer.LatestTimestamp))
            {
                Reject($"initiation from {from} replays an old timestamp");
                return;
            }

            if (peer.LastInitiationConsumed != 0 && _time.GetElapsedTime(peer.LastInitiationConsumed) < Timers.InitiationMinInterval)
            {
                Reject($"initiation from {from} comes too soon after the last one (flood)");
                return;
            }

            initiation.Timestamp.CopyTo(peer.LatestTimestamp, 0);
            peer.LastInitiationConsumed = _time.GetTimestamp();
            uint index = NewIndex(peer, session: null);
            TransportKeys keys = Noise.CreateResponse(initiation, peer.PresharedKey, index, response);
            peer.Cookies.AddMacs(response);
            var session = new Session(keys, _time.GetTimestamp(), Timers.RejectAfterMessages);
            _indices[index] = new IndexEntry(peer, session);
            if (peer.Next is Session old)
            {
                _indices.TryRemove(old.LocalIndex, out _);
            }

            peer.Next = session;
            CompleteHandshake(peer);
        }

        peer.SetEndpoint(from);
        peer.AddReceived(message.Length);
        if (Transmit(peer, response, from))
        {
            DataSent(peer, response.Length, data: false);
        }
    }

    private void ReceiveResponse(ReadOnlySpan<byte> message, IPEndPoint from, byte[] scratch)
    {
        if (!CheckMacs(message, from)
            || !_indices.TryGetValue(ReadReceiver(message, MessageLayout.ResponseReceiverOffset), out IndexEntry? entry) || entry.Session is not null)
        {
            return;
        }

        Peer peer = entry.Peer;
        lock (peer.Lock)
        {
            if (!peer.Handshake.IsInitiationSent || peer.Handshake.LocalIndex != ReadReceiver(message, MessageLayout.ResponseReceiverOffset))
            {
                return;
            }

            TransportKeys? keys = Noise.ConsumeResponse(Local, peer.Handshake, peer.PresharedKey, message);
            if (keys is null)
            {
                Reject($"response from {from} does not decrypt (wrong key or pre-shared key?)");
                return;
            }

            peer.Handshake.Clear();
            peer.RetryDue = 0;
            var session = new Session(keys, _time.GetTimestamp(), Timers.RejectAfterMessages);
            _indices[keys.LocalIndex] = new IndexEntry(peer, session);
            Session? previous = peer.Previous;
            if (peer.Next is Session next)
            {
                peer.Previous = next;
                peer.Next = null;
                if (peer.Current is Session current)
                {
                    _indices.TryRemove(current.LocalIndex, out _);
                }
            }
            else
            {
                peer.Previous = peer.Current;
            }

            if (previous is not null && previous != peer.Previous)
            {
                _indices.TryRemove(previous.LocalIndex, out _);
            }

            peer.Current = session;
            CompleteHandshake(peer);
        }

        peer.SetEndpoint(from);
        peer.AddReceived(message.Length);
        peer.NewHandshakeDue = 0;
        FlushStaged(peer, scratch, keepaliveIfNone: true);
    }

    private void ReceiveCookieReply(ReadOnlySpan<byte> message)
    {
        if (_indices.TryGetValue(CookieGenerator.ReceiverOf(message), out IndexEntry? entry) && entry.Session is null)
        {
            // The cookie goes into mac2 of the next retry (the retry timer sends it, as wireguard-go does).
            if (!entry.Peer.Cookies.TryConsumeReply(message))
            {
                Reject("a cookie reply that does not decrypt");
            }
        }
    }

    /// <summary>The responder's key confirmation: the initiator sent on the new session, so it becomes current.</summary>
    private void ConfirmNext(Peer peer, Session session)
    {
        lock (peer.Lock)
        {
            if (peer.Next != session)
            {
                return;
            }

            if (peer.Previous is Session previous)
            {
                _indices.TryRemove(previous.LocalIndex, out _);
            }

            peer.Previous = peer.Current;
            peer.Current = session;
            peer.Next = null;
        }
    }

    private void CompleteHandshake(Peer peer)
    {
        peer.LatestHandshake = _time.GetUtcNow();
        peer.LastHandshakeTimestamp = _time.GetTimestamp();
        peer.Handshakes++;
    }

    /// <summary>mac1 always; under load also mac2, else a cookie reply goes back and the message is dropped.</summary>
    private bool CheckMacs(ReadOnlySpan<byte> message, IPEndPoint from)
    {
        MacCheck check = _cookieChecker.Check(message, from);
        if (check == MacCheck.Invalid)
        {
            Reject($"handshake message from {from} with a wrong mac1");
            return false;
        }

        if (IsUnderLoad() && check != MacCheck.Mac2Valid)
        {
            byte[] reply = new byte[MessageLayout.CookieReplySize];
            _cookieChecker.CreateReply(message, from, reply);
            if (Transmit(null, reply, from))
            {
                CookieRepliesSent++;
            }

            return false;
        }

        return true;
    }

    private bool IsUnderLoad()
    {
        long now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_handshakeWindowStart, now) >= TimeSpan.FromSeconds(1))
        {
            _handshakeWindowStart = now;
            _handshakesInWindow = 0;
        }

        return ++_handshakesInWindow > Timers.UnderLoadHandshakesPerSecond;
    }

    private void Reject(string why)
    {
        HandshakesRejected++;
        _log.WriteLine("wireguard: dropped " + why);
    }

    /// <summary>The IP packet's own length (the rest of the plaintext is padding), or 0 when it is not IP.</summary>
    private static int IpLength(ReadOnlySpan<byte> packet) => (packet[0] >> 4) switch
    {
        4 when packet.Length >= 20 => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
        6 when packet.Length >= 40 => 40 + System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(packet[4..]),
        _ => 0,
    };
}
