namespace LinuxNet;

// /usr/include/linux/udp.h, /usr/include/netinet/in.h, /usr/include/linux/in6.h
internal static class LinuxUdp
{
    internal const int IPPROTO_IPV6 = 41;
    internal const int IPPROTO_UDP = 17;
    internal const int SOL_UDP = 17;

    internal const int UDP_SEGMENT = 103;
    internal const int UDP_GRO = 104;

    internal const int IPV6_V6ONLY = 26;

    /// <summary>The largest UDP payload over IPv4: 65,535 − 20 (IPv4 header) − 8 (UDP header).</summary>
    internal const int MaxPayloadIPv4 = 65507;

    /// <summary>sizeof(struct sockaddr_in6), the largest address a UDP socket uses.</summary>
    internal const int SockAddrIn6Size = 28;
    internal const int SockAddrInSize = 16;
}
