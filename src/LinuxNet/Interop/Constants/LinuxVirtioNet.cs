namespace LinuxNet;

// /usr/include/linux/virtio_net.h. VIRTIO_NET_HDR_GSO_UDP_L4 (kernel 5.0+, UDP segmentation offload) is missing from
// older uapi headers such as the one on the build machine, so its value is taken from the kernel source
// (include/uapi/linux/virtio_net.h).
internal static class LinuxVirtioNet
{
    internal const byte VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    internal const byte VIRTIO_NET_HDR_F_DATA_VALID = 2;
    internal const byte VIRTIO_NET_HDR_F_RSC_INFO = 4;

    internal const byte VIRTIO_NET_HDR_GSO_NONE = 0;
    internal const byte VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    internal const byte VIRTIO_NET_HDR_GSO_UDP = 3;
    internal const byte VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    internal const byte VIRTIO_NET_HDR_GSO_UDP_L4 = 5;
    internal const byte VIRTIO_NET_HDR_GSO_ECN = 0x80;

    // sizeof(struct virtio_net_hdr) and sizeof(struct virtio_net_hdr_v1) == sizeof(struct virtio_net_hdr_mrg_rxbuf).
    internal const int VIRTIO_NET_HDR_LEN = 10;
    internal const int VIRTIO_NET_HDR_MRG_RXBUF_LEN = 12;
}
