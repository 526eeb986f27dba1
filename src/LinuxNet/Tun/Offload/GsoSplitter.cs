using System;
using System.Buffers.Binary;

namespace LinuxNet.Tun.Offload;

/// <summary>
/// Cuts a GSO super-frame, as read from a TUN device opened with <c>IFF_VNET_HDR</c> and offloads enabled
/// (<c>TUNSETOFFLOAD</c>), into the wire-sized IP packets it stands for, with complete headers and checksums; the
/// software counterpart of the kernel's <c>skb_gso_segment</c>.
/// </summary>
/// <remarks>
/// <para>
/// Create one per frame with <see cref="Create"/> or <see cref="TryCreate"/> (the frame is parsed and validated
/// once), then write each segment into a buffer of your own with <see cref="WriteSegment"/>, or all of them
/// back to back with <see cref="WriteSegments"/>. Nothing is allocated; the splitter is a view over the caller's
/// frame, which must not change while the splitter is used.
/// </para>
/// <para>
/// Supported: <see cref="VirtioNetGsoType.TcpV4"/>, <see cref="VirtioNetGsoType.TcpV6"/> (with or without
/// <see cref="VirtioNetGsoType.Ecn"/>) and <see cref="VirtioNetGsoType.UdpL4"/> over IPv4 (with options) or IPv6
/// (without extension headers); and <see cref="VirtioNetGsoType.None"/>, which yields the packet itself, its
/// checksum completed when <see cref="VirtioNetHeaderFlags.NeedsChecksum"/> is set.
/// Each segment carries <see cref="VirtioNetHeader.GsoSize"/> payload bytes (the last one the rest); the IPv4
/// total length, identification (incremented per segment) and header checksum, the IPv6 payload length, the TCP
/// sequence number, flags (FIN and PSH only on the last segment, CWR only on the first) and checksum, or the UDP
/// length and checksum, are rewritten. Transport checksums are always computed from scratch, so it does not
/// matter whether the super-frame's checksum field holds a partial (pseudo-header) sum or anything else.
/// </para>
/// <para>The header's <see cref="VirtioNetHeader.HeaderLength"/> is only checked against the frame length: the
/// headers are measured from the packet itself, as the kernel does.</para>
/// </remarks>
public readonly ref struct GsoSplitter
{
    private const string Operation = "GSO split";
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;
    private const byte TcpFin = 0x01;
    private const byte TcpPsh = 0x08;
    private const byte TcpCwr = 0x80;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly VirtioNetHeader _header;
    private readonly Kind _kind;
    private readonly int _ipHeaderLength;
    private readonly int _headersLength;
    private readonly int _payloadLength;
    private readonly int _segmentSize;
    private readonly int _segmentCount;

    private GsoSplitter(ReadOnlySpan<byte> packet, VirtioNetHeader header, Kind kind, int ipHeaderLength, int headersLength, int segmentSize)
    {
        _packet = packet;
        _header = header;
        _kind = kind;
        _ipHeaderLength = ipHeaderLength;
        _headersLength = headersLength;
        _payloadLength = packet.Length - headersLength;
        _segmentSize = segmentSize;
        _segmentCount = _payloadLength == 0 ? 1 : (_payloadLength + segmentSize - 1) / segmentSize;
    }

    private enum Kind : byte
    {
        Whole,
        TcpV4,
        TcpV6,
        UdpV4,
        UdpV6,
    }

    /// <summary>The number of packets the frame is cut into (1 for a frame that needs no segmentation).</summary>
    public int SegmentCount => _segmentCount;

    /// <summary>Length of the network and transport headers every segment starts with (0 for a <see cref="VirtioNetGsoType.None"/> frame).</summary>
    public int HeadersLength => _headersLength;

    /// <summary>The length of the longest segment: what a buffer for <see cref="WriteSegment"/> must hold.</summary>
    public int MaxSegmentLength => _headersLength + Math.Min(_segmentSize, _payloadLength);

    /// <summary>The sum of all segment lengths: what a buffer for <see cref="WriteSegments"/> must hold.</summary>
    public int TotalLength => (_headersLength * _segmentCount) + _payloadLength;

    /// <summary>Parses and validates a frame.</summary>
    /// <param name="header">The virtio header read in front of the packet.</param>
    /// <param name="packet">The IP packet that followed the header (the rest of the frame).</param>
    /// <returns>The splitter.</returns>
    /// <exception cref="MalformedPacketException">
    /// The frame is truncated or inconsistent (<see cref="Errno.EINVAL"/>: IHL below 5, lengths beyond the frame,
    /// <c>gso_size</c> 0, a transport protocol that does not match <c>gso_type</c>…), or uses a feature the splitter
    /// does not handle (<see cref="Errno.EOPNOTSUPP"/>: IPv6 extension headers, IPv4 fragments, UFO, jumbograms).
    /// </exception>
    public static GsoSplitter Create(VirtioNetHeader header, ReadOnlySpan<byte> packet)
    {
        string? error = Parse(header, packet, out GsoSplitter splitter, out Errno errno);
        if (error is not null)
        {
            throw new MalformedPacketException(errno, Operation, error);
        }

        return splitter;
    }

    /// <summary>Parses and validates a frame, returning <see langword="false"/> where <see cref="Create"/> throws.</summary>
    /// <param name="header">The virtio header read in front of the packet.</param>
    /// <param name="packet">The IP packet that followed the header.</param>
    /// <param name="splitter">The splitter, or the default value.</param>
    /// <returns><see langword="true"/> when the frame can be split.</returns>
    public static bool TryCreate(VirtioNetHeader header, ReadOnlySpan<byte> packet, out GsoSplitter splitter) =>
        Parse(header, packet, out splitter, out _) is null;

    /// <summary>Returns the length of segment <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="SegmentCount"/> − 1.</param>
    /// <returns>Its length in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public int GetSegmentLength(int index)
    {
        CheckIndex(index);
        return _headersLength + Math.Min(_segmentSize, _payloadLength - (index * _segmentSize));
    }

    /// <summary>Writes segment <paramref name="index"/>, a complete IP packet, to the start of <paramref name="destination"/>.</summary>
    /// <param name="index">From 0 to <see cref="SegmentCount"/> − 1.</param>
    /// <param name="destination">The buffer; must not overlap the frame.</param>
    /// <returns>The segment's length.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the segment.</exception>
    public int WriteSegment(int index, Span<byte> destination)
    {
        int length = GetSegmentLength(index);
        if (destination.Length < length)
        {
            throw new ArgumentException($"Segment {index} needs {length} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        destination = destination.Slice(0, length);
        if (_kind == Kind.Whole)
        {
            _packet.CopyTo(destination);
            if ((_header.Flags & VirtioNetHeaderFlags.NeedsChecksum) != 0)
            {
                CompleteChecksumUnchecked(_header, destination);
            }

            return length;
        }

        int payloadOffset = index * _segmentSize;
        _packet.Slice(0, _headersLength).CopyTo(destination);

        // The payload is summed while it is copied; it starts at an even offset (headers are multiples of 4 bytes),
        // so its sum can be added to the transport header's.
        uint payloadSum = InternetChecksum.CopyAndSum(_packet.Slice(_headersLength + payloadOffset, length - _headersLength), destination.Slice(_headersLength));

        Span<byte> ip = destination.Slice(0, _ipHeaderLength);
        ReadOnlySpan<byte> source, target;
        if (_kind is Kind.TcpV4 or Kind.UdpV4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(2), (ushort)length);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(4), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_packet.Slice(4)) + index));
            ip[10] = 0;
            ip[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), InternetChecksum.Compute(ip));
            source = ip.Slice(12, 4);
            target = ip.Slice(16, 4);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(4), (ushort)(length - 40));
            source = ip.Slice(8, 16);
            target = ip.Slice(24, 16);
        }

        Span<byte> transport = destination.Slice(_ipHeaderLength);
        if (_kind is Kind.TcpV4 or Kind.TcpV6)
        {
            uint sequence = BinaryPrimitives.ReadUInt32BigEndian(_packet.Slice(_ipHeaderLength + 4));
            BinaryPrimitives.WriteUInt32BigEndian(transport.Slice(4), unchecked(sequence + (uint)payloadOffset));
            byte flags = transport[13];
            if (index != _segmentCount - 1)
            {
                flags &= unchecked((byte)~(TcpFin | TcpPsh));
            }

            if (index != 0)
            {
                flags &= unchecked((byte)~TcpCwr);
            }

            transport[13] = flags;
            transport[16] = 0;
            transport[17] = 0;
            uint pseudo = InternetChecksum.Add(InternetChecksum.PseudoHeaderSum(source, target, ProtocolTcp, transport.Length), payloadSum);
            BinaryPrimitives.WriteUInt16BigEndian(transport.Slice(16), InternetChecksum.Compute(transport.Slice(0, _headersLength - _ipHeaderLength), pseudo));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(transport.Slice(4), (ushort)transport.Length);
            transport[6] = 0;
            transport[7] = 0;
            uint pseudo = InternetChecksum.Add(InternetChecksum.PseudoHeaderSum(source, target, ProtocolUdp, transport.Length), payloadSum);
            ushort checksum = InternetChecksum.Compute(transport.Slice(0, 8), pseudo);

            // RFC 768: a computed 0 is sent as all ones; 0 means "no checksum".
            BinaryPrimitives.WriteUInt16BigEndian(transport.Slice(6), checksum == 0 ? (ushort)0xFFFF : checksum);
        }

        return length;
    }

    /// <summary>Writes all segments back to back into <paramref name="destination"/> and their lengths into <paramref name="segmentLengths"/>.</summary>
    /// <param name="destination">The buffer, at least <see cref="TotalLength"/> bytes; must not overlap the frame.</param>
    /// <param name="segmentLengths">Receives each segment's length; at least <see cref="SegmentCount"/> elements.</param>
    /// <returns><see cref="SegmentCount"/>.</returns>
    /// <exception cref="ArgumentException">A buffer is too small.</exception>
    public int WriteSegments(Span<byte> destination, Span<int> segmentLengths)
    {
        if (segmentLengths.Length < _segmentCount)
        {
            throw new ArgumentException($"The frame has {_segmentCount} segments; the lengths span holds {segmentLengths.Length}.", nameof(segmentLengths));
        }

        if (destination.Length < TotalLength)
        {
            throw new ArgumentException($"The segments need {TotalLength} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        int offset = 0;
        for (int i = 0; i < _segmentCount; i++)
        {
            int written = WriteSegment(i, destination.Slice(offset));
            segmentLengths[i] = written;
            offset += written;
        }

        return _segmentCount;
    }

    /// <summary>
    /// Completes a partial checksum in place: when <paramref name="header"/> has
    /// <see cref="VirtioNetHeaderFlags.NeedsChecksum"/>, sums the packet from <c>csum_start</c> to its end (the
    /// checksum field holds the pseudo-header sum) and stores the complement at <c>csum_start + csum_offset</c>.
    /// </summary>
    /// <param name="header">The frame's virtio header.</param>
    /// <param name="packet">The packet that followed it.</param>
    /// <returns>
    /// <see langword="true"/> when the checksum was completed or none was needed; <see langword="false"/> when the
    /// checksum offsets point outside the packet (nothing is changed).
    /// </returns>
    public static bool TryCompleteChecksum(VirtioNetHeader header, Span<byte> packet)
    {
        if ((header.Flags & VirtioNetHeaderFlags.NeedsChecksum) == 0)
        {
            return true;
        }

        if (header.ChecksumStart + header.ChecksumOffset + 2 > packet.Length)
        {
            return false;
        }

        CompleteChecksumUnchecked(header, packet);
        return true;
    }

    private static void CompleteChecksumUnchecked(VirtioNetHeader header, Span<byte> packet)
    {
        int start = header.ChecksumStart;
        int field = start + header.ChecksumOffset;
        ushort checksum = InternetChecksum.Compute(packet.Slice(start));
        if (checksum == 0 && field + 2 <= packet.Length && IsUdpChecksumField(packet, start, header.ChecksumOffset))
        {
            checksum = 0xFFFF;
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(field), checksum);
    }

    // A UDP checksum that computes to zero must be sent as 0xFFFF (RFC 768); for TCP zero is a valid value. The kernel
    // makes the same distinction through skb->csum_not_inet / CSUM_MANGLED_0 for UDP.
    private static bool IsUdpChecksumField(ReadOnlySpan<byte> packet, int start, int offset)
    {
        if (offset != 6 || packet.Length == 0)
        {
            return false;
        }

        int version = packet[0] >> 4;
        if (version == 4 && packet.Length >= 20)
        {
            return packet[9] == ProtocolUdp && (packet[0] & 0xF) * 4 == start;
        }

        return version == 6 && packet.Length >= 40 && packet[6] == ProtocolUdp && start == 40;
    }

    private static string? Parse(VirtioNetHeader header, ReadOnlySpan<byte> packet, out GsoSplitter splitter, out Errno errno)
    {
        splitter = default;
        errno = Errno.EINVAL;
        if ((header.Flags & VirtioNetHeaderFlags.NeedsChecksum) != 0 && header.ChecksumStart + header.ChecksumOffset + 2 > packet.Length)
        {
            return "csum_start + csum_offset points beyond the packet.";
        }

        VirtioNetGsoType gso = header.GsoProtocol;
        if (gso == VirtioNetGsoType.None)
        {
            splitter = new GsoSplitter(packet, header, Kind.Whole, 0, 0, Math.Max(packet.Length, 1));
            return null;
        }

        if (gso == VirtioNetGsoType.Udp)
        {
            errno = Errno.EOPNOTSUPP;
            return "gso_type UDP (UFO, IP fragmentation) is not supported.";
        }

        if (gso is not (VirtioNetGsoType.TcpV4 or VirtioNetGsoType.TcpV6 or VirtioNetGsoType.UdpL4))
        {
            return "Unknown gso_type.";
        }

        if (header.GsoSize == 0)
        {
            return "gso_size is 0 for a GSO frame.";
        }

        if (header.HeaderLength > packet.Length)
        {
            return "hdr_len is beyond the end of the frame.";
        }

        if (packet.Length < 1)
        {
            return "The packet is empty.";
        }

        int version = packet[0] >> 4;
        int ipHeaderLength;
        byte protocol;
        if (version == 4 && gso != VirtioNetGsoType.TcpV6)
        {
            if (packet.Length < 20)
            {
                return "The IPv4 header is truncated.";
            }

            ipHeaderLength = (packet[0] & 0xF) * 4;
            if (ipHeaderLength < 20)
            {
                return "The IPv4 header length (IHL) is below 5.";
            }

            int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2));
            if (ipHeaderLength > totalLength || totalLength > packet.Length)
            {
                return "The IPv4 total length does not fit the frame.";
            }

            if ((BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(6)) & 0x3FFF) != 0)
            {
                errno = Errno.EOPNOTSUPP;
                return "IPv4 fragments cannot be segmented.";
            }

            packet = packet.Slice(0, totalLength);
            protocol = packet[9];
        }
        else if (version == 6 && gso != VirtioNetGsoType.TcpV4)
        {
            if (packet.Length < 40)
            {
                return "The IPv6 header is truncated.";
            }

            int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(4));
            if (payloadLength == 0)
            {
                errno = Errno.EOPNOTSUPP;
                return "IPv6 jumbograms (payload length 0) are not supported.";
            }

            if (40 + payloadLength > packet.Length)
            {
                return "The IPv6 payload length does not fit the frame.";
            }

            ipHeaderLength = 40;
            packet = packet.Slice(0, 40 + payloadLength);
            protocol = packet[6];
        }
        else
        {
            return "The IP version does not match gso_type.";
        }

        byte expected = gso == VirtioNetGsoType.UdpL4 ? ProtocolUdp : ProtocolTcp;
        if (protocol != expected)
        {
            if (version == 6 && IsIPv6ExtensionHeader(protocol))
            {
                errno = Errno.EOPNOTSUPP;
                return "IPv6 extension headers are not supported.";
            }

            return "The transport protocol does not match gso_type.";
        }

        int transportHeaderLength;
        if (protocol == ProtocolTcp)
        {
            if (packet.Length < ipHeaderLength + 20)
            {
                return "The TCP header is truncated.";
            }

            transportHeaderLength = (packet[ipHeaderLength + 12] >> 4) * 4;
            if (transportHeaderLength < 20)
            {
                return "The TCP data offset is below 5.";
            }

            if (packet.Length < ipHeaderLength + transportHeaderLength)
            {
                return "The TCP options are truncated.";
            }
        }
        else
        {
            transportHeaderLength = 8;
            if (packet.Length < ipHeaderLength + 8)
            {
                return "The UDP header is truncated.";
            }
        }

        Kind kind = (protocol, version) switch
        {
            (ProtocolTcp, 4) => Kind.TcpV4,
            (ProtocolTcp, _) => Kind.TcpV6,
            (_, 4) => Kind.UdpV4,
            _ => Kind.UdpV6,
        };
        splitter = new GsoSplitter(packet, header, kind, ipHeaderLength, ipHeaderLength + transportHeaderLength, header.GsoSize);
        return null;
    }

    // RFC 8200 §4 and the IANA list: hop-by-hop, routing, fragment, ESP, AH, destination options, mobility, HIP, shim6.
    private static bool IsIPv6ExtensionHeader(byte nextHeader) =>
        nextHeader is 0 or 43 or 44 or 50 or 51 or 60 or 135 or 139 or 140;

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)_segmentCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The frame has {_segmentCount} segments.");
        }
    }
}
