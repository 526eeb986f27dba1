using System;

namespace LinuxNet.Tun;

/// <summary>
/// Offloads the program accepts from the kernel (<c>ioctl(TUNSETOFFLOAD)</c>): the kernel may then hand over frames
/// with partial checksums and GSO super-frames up to 64 KiB, described by the <c>virtio_net_hdr</c> in front.
/// </summary>
/// <remarks>Values are the kernel's <c>TUN_F_*</c> constants. Every flag needs <see cref="TunDeviceOptions.VirtioNetHeader"/>.</remarks>
[Flags]
public enum TunOffloads
{
    /// <summary>No offloads: every frame is a complete, checksummed packet.</summary>
    None = 0,

    /// <summary><c>TUN_F_CSUM</c>: frames may carry a partial checksum (<c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>). Required by every other flag.</summary>
    Checksum = 0x01,

    /// <summary><c>TUN_F_TSO4</c>: TCP/IPv4 segmentation offload.</summary>
    Tso4 = 0x02,

    /// <summary><c>TUN_F_TSO6</c>: TCP/IPv6 segmentation offload.</summary>
    Tso6 = 0x04,

    /// <summary><c>TUN_F_TSO_ECN</c>: TSO frames may carry ECN (CWR) bits.</summary>
    TsoEcn = 0x08,

    /// <summary><c>TUN_F_UFO</c>: UDP fragmentation offload (removed from modern kernels; usually rejected).</summary>
    Ufo = 0x10,

    /// <summary><c>TUN_F_USO4</c>: UDP/IPv4 segmentation offload (Linux 6.2+).</summary>
    Uso4 = 0x20,

    /// <summary><c>TUN_F_USO6</c>: UDP/IPv6 segmentation offload (Linux 6.2+).</summary>
    Uso6 = 0x40,
}
