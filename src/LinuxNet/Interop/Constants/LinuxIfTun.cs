namespace LinuxNet;

// /usr/include/linux/if_tun.h. The ioctl numbers are the asm-generic _IOW/_IOR encodings, which x86-64 and arm64 share.
internal static class LinuxIfTun
{
    internal const nuint TUNSETIFF = 0x400454ca;      // _IOW('T', 202, int)
    internal const nuint TUNSETPERSIST = 0x400454cb;  // _IOW('T', 203, int)
    internal const nuint TUNSETOWNER = 0x400454cc;    // _IOW('T', 204, int)
    internal const nuint TUNSETLINK = 0x400454cd;     // _IOW('T', 205, int)
    internal const nuint TUNSETGROUP = 0x400454ce;    // _IOW('T', 206, int)
    internal const nuint TUNGETFEATURES = 0x800454cf; // _IOR('T', 207, unsigned int)
    internal const nuint TUNSETOFFLOAD = 0x400454d0;  // _IOW('T', 208, unsigned int)
    internal const nuint TUNGETIFF = 0x800454d2;      // _IOR('T', 210, unsigned int)
    internal const nuint TUNGETSNDBUF = 0x800454d3;   // _IOR('T', 211, int)
    internal const nuint TUNSETSNDBUF = 0x400454d4;   // _IOW('T', 212, int)
    internal const nuint TUNGETVNETHDRSZ = 0x800454d7; // _IOR('T', 215, int)
    internal const nuint TUNSETVNETHDRSZ = 0x400454d8; // _IOW('T', 216, int)
    internal const nuint TUNSETQUEUE = 0x400454d9;    // _IOW('T', 217, int)
    internal const nuint TUNSETCARRIER = 0x400454e2;  // _IOW('T', 226, int)
    internal const nuint TUNGETDEVNETNS = 0x54e3;     // _IO('T', 227): a new descriptor for the device's network namespace

    internal const short IFF_TUN = 0x0001;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_NAPI = 0x0010;
    internal const short IFF_NAPI_FRAGS = 0x0020;
    internal const short IFF_NO_CARRIER = 0x0040;
    internal const short IFF_NO_PI = 0x1000;
    internal const short IFF_ONE_QUEUE = 0x2000;
    internal const short IFF_VNET_HDR = 0x4000;
    internal const short IFF_TUN_EXCL = unchecked((short)0x8000);
    internal const short IFF_MULTI_QUEUE = 0x0100;
    internal const short IFF_ATTACH_QUEUE = 0x0200;
    internal const short IFF_DETACH_QUEUE = 0x0400;
    internal const short IFF_PERSIST = 0x0800;

    internal const uint TUN_F_CSUM = 0x01;
    internal const uint TUN_F_TSO4 = 0x02;
    internal const uint TUN_F_TSO6 = 0x04;
    internal const uint TUN_F_TSO_ECN = 0x08;
    internal const uint TUN_F_UFO = 0x10;

    // Not in this machine's (older) header; linux/if_tun.h has them since 6.2.
    internal const uint TUN_F_USO4 = 0x20;
    internal const uint TUN_F_USO6 = 0x40;

    internal const int TUN_PKT_STRIP = 0x0001;

    // sizeof(struct tun_pi) and sizeof(struct virtio_net_hdr), the kernel's default vnet header size.
    internal const int TunPiSize = 4;
    internal const int VirtioNetHdrSize = 10;

    // MAX_TAP_QUEUES in drivers/net/tun.c (DEFAULT_MAX_NUM_RSS_QUEUES would be lower; the tun limit is this).
    internal const int MAX_TAP_QUEUES = 256;
}
