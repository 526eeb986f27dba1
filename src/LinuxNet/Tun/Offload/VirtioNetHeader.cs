using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LinuxNet.Tun.Offload;

/// <summary>
/// The <c>struct virtio_net_hdr</c> (10 bytes) or <c>struct virtio_net_hdr_v1</c> / <c>virtio_net_hdr_mrg_rxbuf</c>
/// (12 bytes, adds <see cref="NumBuffers"/>) that a TUN/TAP device opened with <c>IFF_VNET_HDR</c> puts in front of
/// every frame it returns and expects in front of every frame written to it.
/// </summary>
/// <remarks>
/// <para>
/// The struct holds the fields in host order; <see cref="Read(ReadOnlySpan{byte}, int, bool)"/> and
/// <see cref="Write(Span{byte}, int, bool)"/> convert. On the wire the 16-bit fields are little-endian, which is what a
/// Linux TUN device uses unless the device was switched with <c>TUNSETVNETBE</c> (a legacy big-endian virtio
/// mode, only on kernels built with <c>CONFIG_TUN_VNET_CROSS_LE</c>); pass <c>bigEndian: true</c> only in that case.
/// </para>
/// <para>
/// The header size is 10 unless it was changed with <c>TUNSETVNETHDRSZ</c> (12 is the usual alternative). With a
/// header larger than 12 bytes the extra bytes are written as zeros and ignored on read.
/// </para>
/// <para>
/// The struct itself is 12 bytes with the fields in kernel order, so on a little-endian host its memory image is
/// <c>struct virtio_net_hdr_v1</c>; prefer <see cref="Read(ReadOnlySpan{byte}, int, bool)"/>, which is correct on
/// any host and for any header size.
/// </para>
/// <para>Kernel: <c>/usr/include/linux/virtio_net.h</c>.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct VirtioNetHeader : IEquatable<VirtioNetHeader>
{
    /// <summary>Size of <c>struct virtio_net_hdr</c>, the default header size of a TUN device: 10 bytes.</summary>
    public const int Size = LinuxVirtioNet.VIRTIO_NET_HDR_LEN;

    /// <summary>Size of <c>struct virtio_net_hdr_v1</c> / <c>virtio_net_hdr_mrg_rxbuf</c>, with <see cref="NumBuffers"/>: 12 bytes.</summary>
    public const int SizeWithNumBuffers = LinuxVirtioNet.VIRTIO_NET_HDR_MRG_RXBUF_LEN;

    private VirtioNetHeaderFlags _flags;
    private VirtioNetGsoType _gsoType;
    private ushort _headerLength;
    private ushort _gsoSize;
    private ushort _checksumStart;
    private ushort _checksumOffset;
    private ushort _numBuffers;

    /// <summary>The header of a plain frame: no segmentation, checksums complete (all fields zero).</summary>
    public static VirtioNetHeader None => default;

    /// <summary>The flags (<c>flags</c>), for example <see cref="VirtioNetHeaderFlags.NeedsChecksum"/>.</summary>
    public VirtioNetHeaderFlags Flags { readonly get => _flags; set => _flags = value; }

    /// <summary>The segmentation type (<c>gso_type</c>), possibly with <see cref="VirtioNetGsoType.Ecn"/> set.</summary>
    public VirtioNetGsoType GsoType { readonly get => _gsoType; set => _gsoType = value; }

    /// <summary><see cref="GsoType"/> without the <see cref="VirtioNetGsoType.Ecn"/> bit.</summary>
    public readonly VirtioNetGsoType GsoProtocol => (VirtioNetGsoType)((byte)_gsoType & ~LinuxVirtioNet.VIRTIO_NET_HDR_GSO_ECN);

    /// <summary>Whether <see cref="GsoType"/> carries the <see cref="VirtioNetGsoType.Ecn"/> bit.</summary>
    public readonly bool IsEcn => ((byte)_gsoType & LinuxVirtioNet.VIRTIO_NET_HDR_GSO_ECN) != 0;

    /// <summary>
    /// Length of the headers (network + transport) in front of the payload (<c>hdr_len</c>). A hint: the kernel
    /// accepts values that are too small and fixes them up, so readers should not rely on it being exact.
    /// </summary>
    public ushort HeaderLength { readonly get => _headerLength; set => _headerLength = value; }

    /// <summary>Payload bytes per segment (<c>gso_size</c>): the maximum segment size the frame is to be cut into.</summary>
    public ushort GsoSize { readonly get => _gsoSize; set => _gsoSize = value; }

    /// <summary>Offset, from the start of the packet, where checksumming starts (<c>csum_start</c>): the transport header.</summary>
    public ushort ChecksumStart { readonly get => _checksumStart; set => _checksumStart = value; }

    /// <summary>Offset of the checksum field from <see cref="ChecksumStart"/> (<c>csum_offset</c>): 16 for TCP, 6 for UDP.</summary>
    public ushort ChecksumOffset { readonly get => _checksumOffset; set => _checksumOffset = value; }

    /// <summary>Number of merged receive buffers (<c>num_buffers</c>); only carried by the 12-byte header.</summary>
    public ushort NumBuffers { readonly get => _numBuffers; set => _numBuffers = value; }

    /// <summary>Reads a header from the start of <paramref name="source"/>.</summary>
    /// <param name="source">The frame, starting with the header.</param>
    /// <param name="headerSize">The device's header size: 10 (default), 12, or larger (extra bytes are ignored).</param>
    /// <param name="bigEndian"><see langword="true"/> only for a device switched to big-endian with <c>TUNSETVNETBE</c>.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headerSize"/> is less than 10.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than <paramref name="headerSize"/>.</exception>
    public static VirtioNetHeader Read(ReadOnlySpan<byte> source, int headerSize = Size, bool bigEndian = false)
    {
        CheckHeaderSize(headerSize);
        if (source.Length < headerSize)
        {
            throw new ArgumentException($"The frame holds {source.Length} bytes, fewer than the {headerSize}-byte virtio header.", nameof(source));
        }

        TryRead(source, out VirtioNetHeader header, headerSize, bigEndian);
        return header;
    }

    /// <summary>Reads a header from the start of <paramref name="source"/>, or returns <see langword="false"/> when it is too short.</summary>
    /// <param name="source">The frame, starting with the header.</param>
    /// <param name="header">The header read, or the default value.</param>
    /// <param name="headerSize">The device's header size: 10 (default), 12, or larger (extra bytes are ignored).</param>
    /// <param name="bigEndian"><see langword="true"/> only for a device switched to big-endian with <c>TUNSETVNETBE</c>.</param>
    /// <returns><see langword="true"/> when <paramref name="source"/> holds at least <paramref name="headerSize"/> bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headerSize"/> is less than 10.</exception>
    public static bool TryRead(ReadOnlySpan<byte> source, out VirtioNetHeader header, int headerSize = Size, bool bigEndian = false)
    {
        CheckHeaderSize(headerSize);
        header = default;
        if (source.Length < headerSize)
        {
            return false;
        }

        header._flags = (VirtioNetHeaderFlags)source[0];
        header._gsoType = (VirtioNetGsoType)source[1];
        header._headerLength = Read16(source.Slice(2), bigEndian);
        header._gsoSize = Read16(source.Slice(4), bigEndian);
        header._checksumStart = Read16(source.Slice(6), bigEndian);
        header._checksumOffset = Read16(source.Slice(8), bigEndian);
        header._numBuffers = headerSize >= SizeWithNumBuffers ? Read16(source.Slice(10), bigEndian) : (ushort)0;
        return true;
    }

    /// <summary>Writes the header to the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">Where the frame starts.</param>
    /// <param name="headerSize">The device's header size: 10 (default; <see cref="NumBuffers"/> is not written), 12, or larger (zero-filled).</param>
    /// <param name="bigEndian"><see langword="true"/> only for a device switched to big-endian with <c>TUNSETVNETBE</c>.</param>
    /// <returns><paramref name="headerSize"/>, the number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headerSize"/> is less than 10.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="headerSize"/>.</exception>
    public readonly int Write(Span<byte> destination, int headerSize = Size, bool bigEndian = false)
    {
        CheckHeaderSize(headerSize);
        if (destination.Length < headerSize)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes, fewer than the {headerSize}-byte virtio header.", nameof(destination));
        }

        destination[0] = (byte)_flags;
        destination[1] = (byte)_gsoType;
        Write16(destination.Slice(2), _headerLength, bigEndian);
        Write16(destination.Slice(4), _gsoSize, bigEndian);
        Write16(destination.Slice(6), _checksumStart, bigEndian);
        Write16(destination.Slice(8), _checksumOffset, bigEndian);
        if (headerSize >= SizeWithNumBuffers)
        {
            Write16(destination.Slice(10), _numBuffers, bigEndian);
            destination.Slice(SizeWithNumBuffers, headerSize - SizeWithNumBuffers).Clear();
        }

        return headerSize;
    }

    /// <inheritdoc/>
    public readonly bool Equals(VirtioNetHeader other) =>
        _flags == other._flags && _gsoType == other._gsoType && _headerLength == other._headerLength &&
        _gsoSize == other._gsoSize && _checksumStart == other._checksumStart &&
        _checksumOffset == other._checksumOffset && _numBuffers == other._numBuffers;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is VirtioNetHeader other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() =>
        ((int)_flags | ((int)_gsoType << 8) | (_headerLength << 16)) ^ (_gsoSize | (_checksumStart << 16)) ^ (_checksumOffset | (_numBuffers << 16));

    /// <inheritdoc/>
    public override readonly string ToString() =>
        $"flags={_flags} gso_type={_gsoType} hdr_len={_headerLength} gso_size={_gsoSize} csum_start={_checksumStart} csum_offset={_checksumOffset} num_buffers={_numBuffers}";

    /// <summary>Compares two headers field by field.</summary>
    /// <param name="left">The first header.</param>
    /// <param name="right">The second header.</param>
    /// <returns><see langword="true"/> when all fields are equal.</returns>
    public static bool operator ==(VirtioNetHeader left, VirtioNetHeader right) => left.Equals(right);

    /// <summary>Compares two headers field by field.</summary>
    /// <param name="left">The first header.</param>
    /// <param name="right">The second header.</param>
    /// <returns><see langword="true"/> when any field differs.</returns>
    public static bool operator !=(VirtioNetHeader left, VirtioNetHeader right) => !left.Equals(right);

    private static void CheckHeaderSize(int headerSize)
    {
        if (headerSize < Size)
        {
            throw new ArgumentOutOfRangeException(nameof(headerSize), headerSize, "A virtio-net header is at least 10 bytes.");
        }
    }

    private static ushort Read16(ReadOnlySpan<byte> source, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(source) : BinaryPrimitives.ReadUInt16LittleEndian(source);

    private static void Write16(Span<byte> destination, ushort value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, value);
        }
    }
}
