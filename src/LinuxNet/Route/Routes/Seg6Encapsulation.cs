using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// IPv6 segment routing encapsulation: <c>encap seg6 mode inline|encap|l2encap segs A,B,C [hmac KEYID]</c>.
/// Packets the route carries leave with a segment routing header (SRH) listing <see cref="Segments"/>.
/// </summary>
/// <remarks>
/// <para>
/// Kernel: <c>LWTUNNEL_ENCAP_SEG6</c> with <c>SEG6_IPTUNNEL_SRH</c> = <c>struct seg6_iptunnel_encap</c> (mode, then
/// <c>struct ipv6_sr_hdr</c>, <c>/usr/include/linux/seg6.h</c>); needs <c>CONFIG_IPV6_SEG6_LWTUNNEL</c>. The header
/// lists the segments last first, as iproute2 writes it; <see cref="Segments"/> is in travel order (first segment first).
/// In <see cref="Seg6Mode.Inline"/> mode the header has one more slot, left zero, for the packet's final destination:
/// <see cref="Segments"/> does not include it (<c>ip -j route</c> shows it as a trailing <c>"::"</c>).
/// </para>
/// <para>With <see cref="HmacKeyId"/> set, an HMAC TLV with that key id (and a zero HMAC the kernel fills in) follows the segments.</para>
/// </remarks>
public sealed class Seg6Encapsulation : RouteEncapsulation
{
    // hdrlen is a byte counting 8-byte units beyond the first 8: at most 2,048 bytes of header.
    private const int MaxHeaderBytes = 256 * 8;

    /// <summary>A seg6 encapsulation in <paramref name="mode"/> through <paramref name="segments"/>.</summary>
    /// <param name="mode">How the header is applied.</param>
    /// <param name="segments">The IPv6 segments in travel order (<c>segs A,B,C</c>).</param>
    public Seg6Encapsulation(Seg6Mode mode, params IPAddress[] segments)
    {
        Mode = mode;
        Segments = new List<IPAddress>(segments ?? Array.Empty<IPAddress>());
    }

    /// <inheritdoc/>
    public override int KernelType => LinuxLwtunnel.LWTUNNEL_ENCAP_SEG6;

    /// <summary>How the header is applied (<c>mode</c>).</summary>
    public Seg6Mode Mode { get; set; }

    /// <summary>The IPv6 segments in travel order (<c>segs</c>); at least one.</summary>
    public IList<IPAddress> Segments { get; }

    /// <summary>The HMAC key id (<c>hmac KEYID</c>), or <see langword="null"/> for no HMAC TLV.</summary>
    public uint? HmacKeyId { get; set; }

    internal override int MaxSize => 4 + 4 + 4 + 4 + MaxHeaderBytes + 8;

    private int SlotCount => Segments.Count + (Mode == Seg6Mode.Inline ? 1 : 0);

    private int HeaderLength => 8 + (16 * SlotCount) + (HmacKeyId is null ? 0 : LinuxLwtunnel.SR6_TLV_HMAC_SIZE);

    internal override void Validate(string parameterName)
    {
        if (Segments.Count == 0)
        {
            throw new ArgumentException("A seg6 encapsulation needs at least one segment (segs).", parameterName);
        }

        if (Mode is < Seg6Mode.Inline or > Seg6Mode.L2EncapReduced)
        {
            throw new ArgumentException($"'{Mode}' is not a seg6 mode (Inline, Encap, L2Encap, EncapReduced, L2EncapReduced).", parameterName);
        }

        foreach (IPAddress segment in Segments)
        {
            if (segment is null || segment.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException($"A seg6 segment is an IPv6 address, not '{segment?.ToString() ?? "null"}'.", parameterName);
            }
        }

        if (HeaderLength > MaxHeaderBytes)
        {
            throw new ArgumentException($"{Segments.Count} segments make a segment routing header of {HeaderLength} bytes; the header holds at most {MaxHeaderBytes}.", parameterName);
        }
    }

    internal override void WriteBody(ref NetlinkMessageWriter writer)
    {
        int slots = SlotCount;
        int headerLength = HeaderLength;
        var value = new byte[4 + headerLength];
        BinaryPrimitives.WriteInt32LittleEndian(value, (int)Mode);
        Span<byte> srh = value.AsSpan(4);
        srh[1] = (byte)((headerLength >> 3) - 1);
        srh[2] = LinuxLwtunnel.IPV6_SRCRT_TYPE_4;
        srh[3] = (byte)(slots - 1); // segments_left
        srh[4] = (byte)(slots - 1); // first_segment
        srh[5] = HmacKeyId is null ? (byte)0 : LinuxLwtunnel.SR6_FLAG1_HMAC;
        for (int i = 0; i < Segments.Count; i++)
        {
            // The first segment to visit sits in the last slot.
            Segments[i].GetAddressBytes().CopyTo(srh.Slice(8 + (16 * (slots - 1 - i)), 16));
        }

        if (HmacKeyId is { } keyId)
        {
            Span<byte> tlv = srh.Slice(8 + (16 * slots));
            tlv[0] = LinuxLwtunnel.SR6_TLV_HMAC;
            tlv[1] = LinuxLwtunnel.SR6_TLV_HMAC_SIZE - 2;
            BinaryPrimitives.WriteUInt32BigEndian(tlv.Slice(4), keyId);
        }

        writer.WriteAttribute(LinuxLwtunnel.SEG6_IPTUNNEL_SRH, value);
    }

    internal static Seg6Encapsulation? Parse(ReadOnlySpan<byte> encap)
    {
        foreach (NetlinkAttribute attribute in new NetlinkAttributeEnumerator(encap))
        {
            if (attribute.Type != LinuxLwtunnel.SEG6_IPTUNNEL_SRH || attribute.Value.Length < 12)
            {
                continue;
            }

            ReadOnlySpan<byte> value = attribute.Value;
            var mode = (Seg6Mode)BinaryPrimitives.ReadInt32LittleEndian(value);
            ReadOnlySpan<byte> srh = value.Slice(4);
            int slots = srh[4] + 1;
            if (8 + (16 * slots) > srh.Length)
            {
                throw new NetlinkProtocolException($"A seg6 header claims {slots} segments in {srh.Length} bytes.");
            }

            var result = new Seg6Encapsulation(mode);
            int last = mode == Seg6Mode.Inline ? 1 : 0;
            for (int slot = slots - 1; slot >= last; slot--)
            {
                result.Segments.Add(ReadAddress(srh.Slice(8 + (16 * slot), 16)));
            }

            int tlv = 8 + (16 * slots);
            if ((srh[5] & LinuxLwtunnel.SR6_FLAG1_HMAC) != 0 && srh.Length >= tlv + 8 && srh[tlv] == LinuxLwtunnel.SR6_TLV_HMAC)
            {
                result.HmacKeyId = BinaryPrimitives.ReadUInt32BigEndian(srh.Slice(tlv + 4));
            }

            return result;
        }

        return null;
    }

    private static IPAddress ReadAddress(ReadOnlySpan<byte> bytes)
#if NET
        => new(bytes);
#else
        => new(bytes.ToArray());
#endif

    /// <summary>Formats the encapsulation as <c>ip route</c> shows it: <c>seg6 mode encap segs 2 [ A B ]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => $"seg6 mode {ModeName(Mode)} segs {Segments.Count.ToString(CultureInfo.InvariantCulture)} [ {string.Join(" ", Segments)} ]{(HmacKeyId is { } k ? " hmac 0x" + k.ToString("x", CultureInfo.InvariantCulture) : "")}";

    /// <summary>The mode as iproute2 names it: <c>inline</c>, <c>encap</c>, <c>l2encap</c>, <c>encap.red</c>, <c>l2encap.red</c>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>The name.</returns>
    public static string ModeName(Seg6Mode mode) => mode switch
    {
        Seg6Mode.Inline => "inline",
        Seg6Mode.Encap => "encap",
        Seg6Mode.L2Encap => "l2encap",
        Seg6Mode.EncapReduced => "encap.red",
        Seg6Mode.L2EncapReduced => "l2encap.red",
        _ => ((int)mode).ToString(CultureInfo.InvariantCulture),
    };
}
