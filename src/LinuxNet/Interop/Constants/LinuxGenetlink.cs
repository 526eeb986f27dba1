namespace LinuxNet;

// /usr/include/linux/genetlink.h
internal static class LinuxGenetlink
{
    internal const int GENL_NAMSIZ = 16;
    internal const int GENL_HDRLEN = 4;

    internal const uint GENL_ADMIN_PERM = 0x01;
    internal const uint GENL_CMD_CAP_DO = 0x02;
    internal const uint GENL_CMD_CAP_DUMP = 0x04;
    internal const uint GENL_CMD_CAP_HASPOL = 0x08;
    internal const uint GENL_UNS_ADMIN_PERM = 0x10;

    internal const byte CTRL_CMD_NEWFAMILY = 1;
    internal const byte CTRL_CMD_DELFAMILY = 2;
    internal const byte CTRL_CMD_GETFAMILY = 3;

    // nlctrl's own version: iproute2's `ip` sends 0, ethtool sends 1; the kernel accepts both.
    internal const byte CTRL_VERSION = 1;

    internal const ushort CTRL_ATTR_FAMILY_ID = 1;
    internal const ushort CTRL_ATTR_FAMILY_NAME = 2;
    internal const ushort CTRL_ATTR_VERSION = 3;
    internal const ushort CTRL_ATTR_HDRSIZE = 4;
    internal const ushort CTRL_ATTR_MAXATTR = 5;
    internal const ushort CTRL_ATTR_OPS = 6;
    internal const ushort CTRL_ATTR_MCAST_GROUPS = 7;

    internal const ushort CTRL_ATTR_OP_ID = 1;
    internal const ushort CTRL_ATTR_OP_FLAGS = 2;

    internal const ushort CTRL_ATTR_MCAST_GRP_NAME = 1;
    internal const ushort CTRL_ATTR_MCAST_GRP_ID = 2;
}
