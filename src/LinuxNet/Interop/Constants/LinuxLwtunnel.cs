namespace LinuxNet;

// /usr/include/linux/lwtunnel.h, seg6.h, seg6_iptunnel.h, seg6_hmac.h, mpls_iptunnel.h, mpls.h
internal static class LinuxLwtunnel
{
    // enum lwtunnel_encap_types
    internal const ushort LWTUNNEL_ENCAP_NONE = 0;
    internal const ushort LWTUNNEL_ENCAP_MPLS = 1;
    internal const ushort LWTUNNEL_ENCAP_SEG6 = 5;

    // enum SEG6_IPTUNNEL_*
    internal const ushort SEG6_IPTUNNEL_SRH = 1;

    // enum SEG6_IPTUN_MODE_*
    internal const int SEG6_IPTUN_MODE_INLINE = 0;
    internal const int SEG6_IPTUN_MODE_ENCAP = 1;
    internal const int SEG6_IPTUN_MODE_L2ENCAP = 2;
    internal const int SEG6_IPTUN_MODE_ENCAP_RED = 3;
    internal const int SEG6_IPTUN_MODE_L2ENCAP_RED = 4;

    // struct ipv6_sr_hdr
    internal const byte IPV6_SRCRT_TYPE_4 = 4;
    internal const byte SR6_FLAG1_HMAC = 1 << 3;
    internal const byte SR6_TLV_HMAC = 5;

    // struct sr6_tlv_hmac: type, len, reserved (2), hmackeyid (4, big-endian), hmac[SEG6_HMAC_FIELD_LEN]
    internal const int SEG6_HMAC_FIELD_LEN = 32;
    internal const int SR6_TLV_HMAC_SIZE = 8 + SEG6_HMAC_FIELD_LEN;

    // enum MPLS_IPTUNNEL_*
    internal const ushort MPLS_IPTUNNEL_DST = 1;
    internal const ushort MPLS_IPTUNNEL_TTL = 2;

    // struct mpls_label (big-endian u32): label 20 bits, TC 3, bottom of stack 1, TTL 8
    internal const int MPLS_LS_LABEL_SHIFT = 12;
    internal const uint MPLS_LS_S_MASK = 0x0000_0100;
    internal const uint MPLS_LABEL_MAX = (1u << 20) - 1;

    // AF_MPLS, /usr/include/x86_64-linux-gnu/bits/socket.h
    internal const byte AF_MPLS = 28;
}
