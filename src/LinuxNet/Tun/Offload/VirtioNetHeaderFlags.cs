using System;

namespace LinuxNet.Tun.Offload;

/// <summary>The <c>flags</c> byte of a <see cref="VirtioNetHeader"/>.</summary>
[Flags]
public enum VirtioNetHeaderFlags : byte
{
    /// <summary>No flag: the packet's checksums are complete (or the packet needs none).</summary>
    None = 0,

    /// <summary>
    /// The transport checksum is partial: the field at <see cref="VirtioNetHeader.ChecksumStart"/> +
    /// <see cref="VirtioNetHeader.ChecksumOffset"/> holds the pseudo-header sum, and the ones-complement sum from
    /// <see cref="VirtioNetHeader.ChecksumStart"/> to the end of the packet must still be folded in.
    /// Kernel: <c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>.
    /// </summary>
    NeedsChecksum = LinuxVirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM,

    /// <summary>The checksum has been validated by the sender. Kernel: <c>VIRTIO_NET_HDR_F_DATA_VALID</c>.</summary>
    DataValid = LinuxVirtioNet.VIRTIO_NET_HDR_F_DATA_VALID,

    /// <summary>Receive-segment-coalescing information is carried in the checksum fields. Kernel: <c>VIRTIO_NET_HDR_F_RSC_INFO</c>.</summary>
    RscInfo = LinuxVirtioNet.VIRTIO_NET_HDR_F_RSC_INFO,
}
