using System;
using System.Buffers.Binary;

namespace LinuxNet.Tun.Offload;

/// <summary>
/// Coalesces consecutive TCP segments of one flow into a GSO super-frame (virtio header + IP packet of up to
/// 64 KiB) to write to a TUN device opened with <c>IFF_VNET_HDR</c> and offloads on (<c>TUNSETOFFLOAD</c> with
/// <c>TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6</c>): the kernel then runs its stack once per super-frame instead of
/// once per packet. The software counterpart of the kernel's GRO for the write side of a VPN.
/// </summary>
/// <remarks>
/// <para>Use it as a small state machine, one packet at a time, in the order the packets arrived:</para>
/// <code>
/// foreach (ReadOnlySpan&lt;byte&gt; packet in batch)
/// {
///     GroAddResult result = gro.Add(packet);
///     if (result == GroAddResult.FlushRequired)
///     {
///         tun.WriteFrame(gro.Flush());
///         result = gro.Add(packet);                    // Added or NotCoalescable now
///     }
///     if (result == GroAddResult.NotCoalescable)
///     {
///         if (gro.HasPending) tun.WriteFrame(gro.Flush());
///         int n = GroCoalescer.WritePassThrough(packet, frame);
///         tun.WriteFrame(frame.Slice(0, n));
///     }
/// }
/// if (gro.HasPending) tun.WriteFrame(gro.Flush());     // at the end of every batch: never hold packets back
/// </code>
/// <para>
/// A packet joins the pending frame when it is IPv4 (without options, not a fragment) or IPv6 (without
/// extension headers) TCP with payload, its flags are ACK or ACK|PSH, and it matches the first packet: same
/// addresses, ports, TOS/traffic class and flow label, TTL/hop limit, DF bit, acknowledgment number, window,
/// urgent pointer and TCP options (byte for byte, as Linux's <c>tcp_gro_receive</c> requires); its sequence
/// number follows the last byte taken; and its payload is no longer than the first packet's (the frame's
/// <c>gso_size</c>). A shorter packet or one with PSH ends the frame. The IP packet never exceeds 65,535 bytes.
/// </para>
/// <para>
/// A frame of one packet is written unchanged behind a <see cref="VirtioNetHeader.None"/> header. A frame of
/// several gets the summed IPv4 total length and a new header checksum (the first packet's identification is
/// kept) or the IPv6 payload length, PSH if the last packet had it, and a virtio header with
/// <see cref="VirtioNetGsoType.TcpV4"/>/<see cref="VirtioNetGsoType.TcpV6"/>, <c>gso_size</c>, and
/// <see cref="VirtioNetHeaderFlags.NeedsChecksum"/> with <c>csum_start</c>/<c>csum_offset</c> pointing at the TCP
/// checksum, which holds the pseudo-header sum (not complemented) as the kernel expects for
/// <c>CHECKSUM_PARTIAL</c>.
/// </para>
/// <para>
/// With <see cref="VerifyChecksums"/> on (the default) a packet whose IPv4 header or TCP checksum is wrong is
/// reported as <see cref="GroAddResult.NotCoalescable"/>, so the kernel still sees, and drops, the corrupt packet
/// instead of receiving it inside a super-frame with a fresh checksum.
/// </para>
/// <para>
/// The one buffer is allocated by the constructor and reused; <see cref="Add"/> and <see cref="Flush"/> allocate
/// nothing. Not thread-safe: use one instance per writer.
/// </para>
/// </remarks>
public sealed class GroCoalescer
{
    /// <summary>The largest IP packet a super-frame can hold: 65,535 bytes (the IPv4 total length field).</summary>
    public const int MaxPacketLength = 65535;

    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;

    // UDP_MAX_SEGMENTS on kernels before 6.9 (128 since): a longer USO frame is refused with EINVAL.
    private const int MaxUdpSegments = 64;
    private const byte TcpFlagsAck = 0x10;
    private const byte TcpFlagsAckPsh = 0x18;
    private const byte TcpPsh = 0x08;

    private readonly byte[] _buffer;
    private readonly int _headerSize;
    private readonly int _maxPacketLength;

    private int _length;
    private int _count;
    private bool _closed;
    private bool _isIPv6;
    private int _ipHeaderLength;
    private int _tcpHeaderLength; // the transport header: TCP's, or 8 for UDP
    private bool _isUdp;
    private int _segmentSize;
    private uint _nextSequence;

    /// <summary>Creates a coalescer and its buffer (<paramref name="headerSize"/> + <paramref name="maxPacketLength"/> bytes).</summary>
    /// <param name="headerSize">The device's virtio header size: 10 (default) or the value set with <c>TUNSETVNETHDRSZ</c>.</param>
    /// <param name="maxPacketLength">The largest super-frame IP packet to build, at most <see cref="MaxPacketLength"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public GroCoalescer(int headerSize = VirtioNetHeader.Size, int maxPacketLength = MaxPacketLength)
    {
        if (headerSize < VirtioNetHeader.Size || headerSize > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(headerSize), headerSize, "The virtio header size must be from 10 to 64 bytes.");
        }

        if (maxPacketLength < 60 || maxPacketLength > MaxPacketLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPacketLength), maxPacketLength, "The maximum packet length must be from 60 to 65535 bytes.");
        }

        _headerSize = headerSize;
        _maxPacketLength = maxPacketLength;
        _buffer = new byte[headerSize + maxPacketLength];
    }

    /// <summary>Whether packets are waiting in the pending super-frame (call <see cref="Flush"/> to get it).</summary>
    public bool HasPending => _count > 0;

    /// <summary>The number of packets in the pending super-frame.</summary>
    public int PendingSegmentCount => _count;

    /// <summary>Whether packets with a wrong IPv4 header, TCP or UDP checksum are refused (default <see langword="true"/>).</summary>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>Whether TCP segments are coalesced (default <see langword="true"/>); the device needs <see cref="TunOffloads.Tso4"/>/<see cref="TunOffloads.Tso6"/> to take the frames.</summary>
    public bool CoalesceTcp { get; set; } = true;

    /// <summary>
    /// Whether UDP datagrams are coalesced into <see cref="VirtioNetGsoType.UdpL4"/> frames (default
    /// <see langword="false"/>); the device needs <see cref="TunOffloads.Uso4"/>/<see cref="TunOffloads.Uso6"/>
    /// (Linux 6.2+). Datagrams of one flow (addresses, ports, TOS/traffic class, TTL/hop limit, DF, flow label)
    /// join while their payloads have the first one's size; a shorter one ends the frame; at most 64 per frame.
    /// </summary>
    public bool CoalesceUdp { get; set; }

    /// <summary>Offers the next packet (a complete IP packet, no virtio header).</summary>
    /// <param name="packet">The packet; copied when taken, so the caller may reuse its buffer afterwards.</param>
    /// <returns>Whether it was taken, and if not, what the caller must do (see <see cref="GroAddResult"/>).</returns>
    public GroAddResult Add(ReadOnlySpan<byte> packet)
    {
        if (!TryParse(packet, out bool isIPv6, out int ipHeaderLength, out int tcpHeaderLength, out bool isUdp))
        {
            return GroAddResult.NotCoalescable;
        }

        int payloadLength = packet.Length - ipHeaderLength - tcpHeaderLength;
        ReadOnlySpan<byte> tcp = packet.Slice(ipHeaderLength);
        if (_count == 0)
        {
            packet.CopyTo(_buffer.AsSpan(_headerSize));
            _length = packet.Length;
            _count = 1;
            _isIPv6 = isIPv6;
            _isUdp = isUdp;
            _ipHeaderLength = ipHeaderLength;
            _tcpHeaderLength = tcpHeaderLength;
            _segmentSize = payloadLength;
            _nextSequence = isUdp ? 0 : unchecked(BinaryPrimitives.ReadUInt32BigEndian(tcp.Slice(4)) + (uint)payloadLength);
            _closed = !isUdp && (tcp[13] & TcpPsh) != 0;
            return GroAddResult.Added;
        }

        if (isUdp != _isUdp || !CanAppend(packet, isIPv6, ipHeaderLength, tcpHeaderLength, payloadLength))
        {
            return GroAddResult.FlushRequired;
        }

        int headers = ipHeaderLength + tcpHeaderLength;
        packet.Slice(headers).CopyTo(_buffer.AsSpan(_headerSize + _length));
        _length += payloadLength;
        _count++;
        _nextSequence = unchecked(_nextSequence + (uint)payloadLength);
        if (isUdp)
        {
            _closed |= _count == MaxUdpSegments;
        }
        else if ((tcp[13] & TcpPsh) != 0)
        {
            _buffer[_headerSize + _ipHeaderLength + 13] |= TcpPsh;
            _closed = true;
        }

        if (payloadLength < _segmentSize)
        {
            _closed = true;
        }

        return GroAddResult.Added;
    }

    /// <summary>
    /// Completes the pending super-frame and returns it, virtio header included, ready for one write to the device;
    /// the coalescer is then empty.
    /// </summary>
    /// <returns>The frame. It lives in the coalescer's buffer: write it before the next <see cref="Add"/>.</returns>
    /// <exception cref="InvalidOperationException">Nothing is pending (<see cref="HasPending"/> is <see langword="false"/>).</exception>
    public ReadOnlySpan<byte> Flush() => _buffer.AsSpan(0, FlushLength());

    /// <summary><see cref="Flush"/> for an asynchronous write: the frame as memory in the coalescer's buffer.</summary>
    internal ReadOnlyMemory<byte> FlushMemory() => _buffer.AsMemory(0, FlushLength());

    private int FlushLength()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("No packet is pending.");
        }

        Span<byte> packet = _buffer.AsSpan(_headerSize, _length);
        VirtioNetHeader header = default;
        if (_count > 1)
        {
            ReadOnlySpan<byte> source, destination;
            if (_isIPv6)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(4), (ushort)(_length - 40));
                source = packet.Slice(8, 16);
                destination = packet.Slice(24, 16);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2), (ushort)_length);
                packet[10] = 0;
                packet[11] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(10), InternetChecksum.Compute(packet.Slice(0, _ipHeaderLength)));
                source = packet.Slice(12, 4);
                destination = packet.Slice(16, 4);
            }

            int checksumOffset = _isUdp ? 6 : 16;
            if (_isUdp)
            {
                // The super-datagram's own length; the kernel rewrites it per segment.
                BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(_ipHeaderLength + 4), (ushort)(_length - _ipHeaderLength));
            }

            uint pseudo = InternetChecksum.PseudoHeaderSum(source, destination, _isUdp ? ProtocolUdp : ProtocolTcp, _length - _ipHeaderLength);
            BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(_ipHeaderLength + checksumOffset), InternetChecksum.Fold(pseudo));

            header.Flags = VirtioNetHeaderFlags.NeedsChecksum;
            header.GsoType = _isUdp ? VirtioNetGsoType.UdpL4 : _isIPv6 ? VirtioNetGsoType.TcpV6 : VirtioNetGsoType.TcpV4;
            header.HeaderLength = (ushort)(_ipHeaderLength + _tcpHeaderLength);
            header.GsoSize = (ushort)_segmentSize;
            header.ChecksumStart = (ushort)_ipHeaderLength;
            header.ChecksumOffset = (ushort)checksumOffset;
        }

        header.Write(_buffer, _headerSize);
        int frameLength = _headerSize + _length;
        _count = 0;
        _length = 0;
        return frameLength;
    }

    /// <summary>Discards the pending super-frame.</summary>
    public void Reset()
    {
        _count = 0;
        _length = 0;
    }

    /// <summary>Writes <paramref name="packet"/> behind a <see cref="VirtioNetHeader.None"/> header: a frame for a packet that is not coalesced.</summary>
    /// <param name="packet">The IP packet.</param>
    /// <param name="destination">The buffer for the frame.</param>
    /// <param name="headerSize">The device's virtio header size.</param>
    /// <returns>The frame length, <paramref name="headerSize"/> + the packet length.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    /// <remarks>To avoid the copy, write the header and the packet with one gathered write (<c>writev</c>) instead.</remarks>
    public static int WritePassThrough(ReadOnlySpan<byte> packet, Span<byte> destination, int headerSize = VirtioNetHeader.Size)
    {
        if (destination.Length < headerSize + packet.Length)
        {
            throw new ArgumentException($"The frame needs {headerSize + packet.Length} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        VirtioNetHeader.None.Write(destination, headerSize);
        packet.CopyTo(destination.Slice(headerSize));
        return headerSize + packet.Length;
    }

    private bool TryParse(ReadOnlySpan<byte> packet, out bool isIPv6, out int ipHeaderLength, out int tcpHeaderLength, out bool isUdp)
    {
        isIPv6 = false;
        isUdp = false;
        ipHeaderLength = 0;
        tcpHeaderLength = 0;
        if (packet.Length < 29 || packet.Length > _maxPacketLength)
        {
            return false;
        }

        int version = packet[0] >> 4;
        if (version == 4)
        {
            // IPv4 options would have to match byte for byte and are rare; such packets pass through.
            if (packet[0] != 0x45 || BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2)) != packet.Length ||
                (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(6)) & 0x3FFF) != 0 || !IsCoalescedProtocol(packet[9]))
            {
                return false;
            }

            if (VerifyChecksums && InternetChecksum.Sum(packet.Slice(0, 20)) != 0xFFFF)
            {
                return false;
            }

            ipHeaderLength = 20;
            isUdp = packet[9] == ProtocolUdp;
        }
        else if (version == 6)
        {
            if (packet.Length < 49 || BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(4)) != packet.Length - 40 || !IsCoalescedProtocol(packet[6]))
            {
                return false;
            }

            ipHeaderLength = 40;
            isIPv6 = true;
            isUdp = packet[6] == ProtocolUdp;
        }
        else
        {
            return false;
        }

        ReadOnlySpan<byte> tcp = packet.Slice(ipHeaderLength);
        if (isUdp)
        {
            tcpHeaderLength = 8;
            return tcp.Length > 8 && BinaryPrimitives.ReadUInt16BigEndian(tcp.Slice(4)) == tcp.Length && (!VerifyChecksums || IsUdpChecksumValid(packet, isIPv6, tcp));
        }

        if (tcp.Length < 21)
        {
            return false;
        }

        tcpHeaderLength = (tcp[12] >> 4) * 4;
        if (tcpHeaderLength < 20 || tcpHeaderLength >= tcp.Length)
        {
            // Also refuses segments without payload (pure ACKs), which GRO must not merge.
            return false;
        }

        byte flags = tcp[13];
        if (flags != TcpFlagsAck && flags != TcpFlagsAckPsh)
        {
            return false;
        }

        if (VerifyChecksums)
        {
            ReadOnlySpan<byte> source = isIPv6 ? packet.Slice(8, 16) : packet.Slice(12, 4);
            ReadOnlySpan<byte> destination = isIPv6 ? packet.Slice(24, 16) : packet.Slice(16, 4);
            uint pseudo = InternetChecksum.PseudoHeaderSum(source, destination, ProtocolTcp, tcp.Length);
            if (InternetChecksum.Sum(tcp, pseudo) != 0xFFFF)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsCoalescedProtocol(byte protocol) => (protocol == ProtocolTcp && CoalesceTcp) || (protocol == ProtocolUdp && CoalesceUdp);

    private static bool IsUdpChecksumValid(ReadOnlySpan<byte> packet, bool isIPv6, ReadOnlySpan<byte> udp)
    {
        if (!isIPv6 && BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(6)) == 0)
        {
            return true; // no checksum (IPv4 only)
        }

        ReadOnlySpan<byte> source = isIPv6 ? packet.Slice(8, 16) : packet.Slice(12, 4);
        ReadOnlySpan<byte> destination = isIPv6 ? packet.Slice(24, 16) : packet.Slice(16, 4);
        uint pseudo = InternetChecksum.PseudoHeaderSum(source, destination, ProtocolUdp, udp.Length);
        return InternetChecksum.Sum(udp, pseudo) == 0xFFFF;
    }

    private bool CanAppend(ReadOnlySpan<byte> packet, bool isIPv6, int ipHeaderLength, int tcpHeaderLength, int payloadLength)
    {
        if (_closed || isIPv6 != _isIPv6 || tcpHeaderLength != _tcpHeaderLength || payloadLength > _segmentSize ||
            _length + payloadLength > _maxPacketLength)
        {
            return false;
        }

        ReadOnlySpan<byte> first = _buffer.AsSpan(_headerSize, _ipHeaderLength + _tcpHeaderLength);
        if (isIPv6)
        {
            // Version, traffic class, flow label; next header, hop limit; addresses.
            if (!packet.Slice(0, 4).SequenceEqual(first.Slice(0, 4)) || !packet.Slice(6, 34).SequenceEqual(first.Slice(6, 34)))
            {
                return false;
            }
        }
        else
        {
            // Version/IHL, TOS; flags/fragment offset (DF); TTL, protocol; addresses. Identification and checksum differ.
            if (packet[1] != first[1] || !packet.Slice(6, 4).SequenceEqual(first.Slice(6, 4)) ||
                !packet.Slice(12, 8).SequenceEqual(first.Slice(12, 8)))
            {
                return false;
            }
        }

        ReadOnlySpan<byte> tcp = packet.Slice(ipHeaderLength, tcpHeaderLength);
        ReadOnlySpan<byte> firstTcp = first.Slice(_ipHeaderLength);
        if (_isUdp)
        {
            return tcp.Slice(0, 4).SequenceEqual(firstTcp.Slice(0, 4));
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(tcp.Slice(4)) != _nextSequence)
        {
            return false;
        }

        // Ports; acknowledgment, data offset; window; urgent pointer and options. Sequence, flags and checksum differ.
        return tcp.Slice(0, 4).SequenceEqual(firstTcp.Slice(0, 4)) &&
            tcp.Slice(8, 5).SequenceEqual(firstTcp.Slice(8, 5)) &&
            tcp.Slice(14, 2).SequenceEqual(firstTcp.Slice(14, 2)) &&
            tcp.Slice(18).SequenceEqual(firstTcp.Slice(18));
    }
}
