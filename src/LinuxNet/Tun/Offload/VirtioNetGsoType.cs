namespace LinuxNet.Tun.Offload;

/// <summary>The <c>gso_type</c> byte of a <see cref="VirtioNetHeader"/>: which segmentation the frame needs.</summary>
/// <remarks>
/// <see cref="Ecn"/> is a bit that the kernel combines with one of the other values (<c>TcpV4 | Ecn</c>); use
/// <see cref="VirtioNetHeader.GsoProtocol"/> to get the value without it.
/// </remarks>
public enum VirtioNetGsoType : byte
{
    /// <summary>Not a GSO frame: one packet. Kernel: <c>VIRTIO_NET_HDR_GSO_NONE</c>.</summary>
    None = LinuxVirtioNet.VIRTIO_NET_HDR_GSO_NONE,

    /// <summary>TCP over IPv4 segmentation (TSO). Kernel: <c>VIRTIO_NET_HDR_GSO_TCPV4</c>.</summary>
    TcpV4 = LinuxVirtioNet.VIRTIO_NET_HDR_GSO_TCPV4,

    /// <summary>IPv4 UDP fragmentation offload (UFO, deprecated by the kernel). Kernel: <c>VIRTIO_NET_HDR_GSO_UDP</c>.</summary>
    Udp = LinuxVirtioNet.VIRTIO_NET_HDR_GSO_UDP,

    /// <summary>TCP over IPv6 segmentation (TSO). Kernel: <c>VIRTIO_NET_HDR_GSO_TCPV6</c>.</summary>
    TcpV6 = LinuxVirtioNet.VIRTIO_NET_HDR_GSO_TCPV6,

    /// <summary>UDP segmentation (USO, IPv4 or IPv6; kernel 5.0+). Kernel: <c>VIRTIO_NET_HDR_GSO_UDP_L4</c>.</summary>
    UdpL4 = LinuxVirtioNet.VIRTIO_NET_HDR_GSO_UDP_L4,

    /// <summary>Bit set together with a TCP type when the TCP stream uses ECN (CWR must appear on the first segment only). Kernel: <c>VIRTIO_NET_HDR_GSO_ECN</c>.</summary>
    Ecn = LinuxVirtioNet.VIRTIO_NET_HDR_GSO_ECN,
}
