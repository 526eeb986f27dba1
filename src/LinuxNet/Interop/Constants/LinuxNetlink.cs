namespace LinuxNet;

// /usr/include/linux/netlink.h
internal static class LinuxNetlink
{
    internal const int NETLINK_ROUTE = 0;
    internal const int NETLINK_USERSOCK = 2;
    internal const int NETLINK_SOCK_DIAG = 4;
    internal const int NETLINK_NFLOG = 5;
    internal const int NETLINK_XFRM = 6;
    internal const int NETLINK_SELINUX = 7;
    internal const int NETLINK_AUDIT = 9;
    internal const int NETLINK_CONNECTOR = 11;
    internal const int NETLINK_NETFILTER = 12;
    internal const int NETLINK_KOBJECT_UEVENT = 15;
    internal const int NETLINK_GENERIC = 16;
    internal const int NETLINK_CRYPTO = 21;

    internal const ushort NLMSG_NOOP = 0x1;
    internal const ushort NLMSG_ERROR = 0x2;
    internal const ushort NLMSG_DONE = 0x3;
    internal const ushort NLMSG_OVERRUN = 0x4;
    internal const ushort NLMSG_MIN_TYPE = 0x10;

    // /usr/include/linux/genetlink.h
    internal const ushort GENL_ID_CTRL = NLMSG_MIN_TYPE;

    internal const ushort NLM_F_REQUEST = 0x01;
    internal const ushort NLM_F_MULTI = 0x02;
    internal const ushort NLM_F_ACK = 0x04;
    internal const ushort NLM_F_ECHO = 0x08;
    internal const ushort NLM_F_DUMP_INTR = 0x10;
    internal const ushort NLM_F_DUMP_FILTERED = 0x20;
    internal const ushort NLM_F_ROOT = 0x100;
    internal const ushort NLM_F_MATCH = 0x200;
    internal const ushort NLM_F_ATOMIC = 0x400;
    internal const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    internal const ushort NLM_F_REPLACE = 0x100;
    internal const ushort NLM_F_EXCL = 0x200;
    internal const ushort NLM_F_CREATE = 0x400;
    internal const ushort NLM_F_APPEND = 0x800;
    internal const ushort NLM_F_CAPPED = 0x100;
    internal const ushort NLM_F_ACK_TLVS = 0x200;

    internal const ushort NLA_F_NESTED = 1 << 15;
    internal const ushort NLA_F_NET_BYTEORDER = 1 << 14;
    internal const ushort NLA_TYPE_MASK = unchecked((ushort)~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));

    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_ADD_MEMBERSHIP = 1;
    internal const int NETLINK_DROP_MEMBERSHIP = 2;
    internal const int NETLINK_PKTINFO = 3;
    internal const int NETLINK_BROADCAST_ERROR = 4;
    internal const int NETLINK_NO_ENOBUFS = 5;
    internal const int NETLINK_LISTEN_ALL_NSID = 8;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;
    internal const int NETLINK_GET_STRICT_CHK = 12;

    // enum nlmsgerr_attrs
    internal const ushort NLMSGERR_ATTR_MSG = 1;
    internal const ushort NLMSGERR_ATTR_OFFS = 2;
    internal const ushort NLMSGERR_ATTR_COOKIE = 3;
    internal const ushort NLMSGERR_ATTR_POLICY = 4;
    internal const ushort NLMSGERR_ATTR_MISS_TYPE = 5;
    internal const ushort NLMSGERR_ATTR_MISS_NEST = 6;

    internal const int NLMSG_HDRLEN = 16;
    internal const int NLA_HDRLEN = 4;
    internal const int NLMSG_ALIGNTO = 4;
}
