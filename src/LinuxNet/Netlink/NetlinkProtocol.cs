namespace LinuxNet.Netlink;

/// <summary>
/// Netlink protocol numbers for <see cref="NetlinkSocket.Open(int, NetlinkSocketOptions?)"/>
/// (<c>NETLINK_*</c> in <c>/usr/include/linux/netlink.h</c>).
/// </summary>
/// <remarks>
/// LinuxNet wraps <see cref="Route"/> (rtnetlink); with <see cref="NetlinkSocket"/>, <see cref="NetlinkMessageWriter"/>
/// and <see cref="NetlinkMessageEnumerator"/> any of the others can be spoken directly. See <c>docs/netlink.md</c>.
/// </remarks>
public static class NetlinkProtocol
{
    /// <summary>rtnetlink: links, addresses, routes, neighbours, rules, traffic control (<c>NETLINK_ROUTE</c>).</summary>
    public const int Route = LinuxNetlink.NETLINK_ROUTE;

    /// <summary>Reserved for user-mode protocols (<c>NETLINK_USERSOCK</c>).</summary>
    public const int UserSocket = LinuxNetlink.NETLINK_USERSOCK;

    /// <summary>Socket monitoring, as <c>ss</c> uses it (<c>NETLINK_SOCK_DIAG</c>, also <c>NETLINK_INET_DIAG</c>).</summary>
    public const int SocketDiag = LinuxNetlink.NETLINK_SOCK_DIAG;

    /// <summary>Netfilter logging (<c>NETLINK_NFLOG</c>).</summary>
    public const int NetfilterLog = LinuxNetlink.NETLINK_NFLOG;

    /// <summary>IPsec (<c>NETLINK_XFRM</c>), as <c>ip xfrm</c> uses it.</summary>
    public const int Xfrm = LinuxNetlink.NETLINK_XFRM;

    /// <summary>SELinux event notifications (<c>NETLINK_SELINUX</c>).</summary>
    public const int SELinux = LinuxNetlink.NETLINK_SELINUX;

    /// <summary>Auditing (<c>NETLINK_AUDIT</c>).</summary>
    public const int Audit = LinuxNetlink.NETLINK_AUDIT;

    /// <summary>The kernel connector (<c>NETLINK_CONNECTOR</c>), e.g. process events.</summary>
    public const int Connector = LinuxNetlink.NETLINK_CONNECTOR;

    /// <summary>nftables, conntrack and the other netfilter subsystems (<c>NETLINK_NETFILTER</c>).</summary>
    public const int Netfilter = LinuxNetlink.NETLINK_NETFILTER;

    /// <summary>Kernel uevents, as udev reads them (<c>NETLINK_KOBJECT_UEVENT</c>).</summary>
    public const int KernelObjectUevent = LinuxNetlink.NETLINK_KOBJECT_UEVENT;

    /// <summary>
    /// Generic netlink (<c>NETLINK_GENERIC</c>): families such as <c>ethtool</c>, <c>nl80211</c>, <c>mptcp_pm</c>, whose
    /// message type is a family id resolved by name through the <c>nlctrl</c> family (<see cref="NetlinkMessageType.GenericNetlinkControl"/>).
    /// </summary>
    public const int Generic = LinuxNetlink.NETLINK_GENERIC;

    /// <summary>The crypto layer (<c>NETLINK_CRYPTO</c>).</summary>
    public const int Crypto = LinuxNetlink.NETLINK_CRYPTO;
}
