namespace LinuxNet.Route;

/// <summary>Who installed a route (<c>proto</c> in <c>ip route</c>). Values not named here (routing daemons) are valid too.</summary>
/// <remarks>Kernel: <c>RTPROT_*</c> in <c>rtm_protocol</c>; the names match <c>/etc/iproute2/rt_protos</c>.</remarks>
public enum RouteProtocol : byte
{
    /// <summary>Unknown (<c>unspec</c>); when deleting, matches any protocol. Kernel: RTPROT_UNSPEC.</summary>
    Unspecified = 0,

    /// <summary>Installed by an ICMP redirect (<c>redirect</c>). Kernel: RTPROT_REDIRECT.</summary>
    Redirect = 1,

    /// <summary>Installed by the kernel, e.g. for an address's prefix (<c>kernel</c>). Kernel: RTPROT_KERNEL.</summary>
    Kernel = 2,

    /// <summary>Installed during boot or by <c>ip route add</c> without <c>proto</c> (<c>boot</c>, the default). Kernel: RTPROT_BOOT.</summary>
    Boot = 3,

    /// <summary>Installed by the administrator, to survive daemons (<c>static</c>). Kernel: RTPROT_STATIC.</summary>
    Static = 4,

    /// <summary>Installed by IPv6 router advertisements (<c>ra</c>). Kernel: RTPROT_RA.</summary>
    RouterAdvertisement = 9,

    /// <summary>Installed by a DHCP client (<c>dhcp</c>). Kernel: RTPROT_DHCP.</summary>
    Dhcp = 16,
}
