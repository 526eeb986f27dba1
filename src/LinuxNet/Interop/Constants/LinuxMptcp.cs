namespace LinuxNet;

// /usr/include/linux/mptcp.h
internal static class LinuxMptcp
{
    internal const string MPTCP_PM_NAME = "mptcp_pm";
    internal const string MPTCP_PM_EV_GRP_NAME = "mptcp_pm_events";
    internal const byte MPTCP_PM_VER = 1;

    internal const ushort MPTCP_PM_ATTR_ADDR = 1;
    internal const ushort MPTCP_PM_ATTR_RCV_ADD_ADDRS = 2;
    internal const ushort MPTCP_PM_ATTR_SUBFLOWS = 3;

    internal const ushort MPTCP_PM_ADDR_ATTR_FAMILY = 1;
    internal const ushort MPTCP_PM_ADDR_ATTR_ID = 2;
    internal const ushort MPTCP_PM_ADDR_ATTR_ADDR4 = 3;
    internal const ushort MPTCP_PM_ADDR_ATTR_ADDR6 = 4;
    internal const ushort MPTCP_PM_ADDR_ATTR_PORT = 5;
    internal const ushort MPTCP_PM_ADDR_ATTR_FLAGS = 6;
    internal const ushort MPTCP_PM_ADDR_ATTR_IF_IDX = 7;

    internal const uint MPTCP_PM_ADDR_FLAG_SIGNAL = 1 << 0;
    internal const uint MPTCP_PM_ADDR_FLAG_SUBFLOW = 1 << 1;
    internal const uint MPTCP_PM_ADDR_FLAG_BACKUP = 1 << 2;
    internal const uint MPTCP_PM_ADDR_FLAG_FULLMESH = 1 << 3;
    internal const uint MPTCP_PM_ADDR_FLAG_IMPLICIT = 1 << 4;

    internal const byte MPTCP_PM_CMD_ADD_ADDR = 1;
    internal const byte MPTCP_PM_CMD_DEL_ADDR = 2;
    internal const byte MPTCP_PM_CMD_GET_ADDR = 3;
    internal const byte MPTCP_PM_CMD_FLUSH_ADDRS = 4;
    internal const byte MPTCP_PM_CMD_SET_LIMITS = 5;
    internal const byte MPTCP_PM_CMD_GET_LIMITS = 6;

    internal const byte MPTCP_EVENT_CREATED = 1;
    internal const byte MPTCP_EVENT_ESTABLISHED = 2;
    internal const byte MPTCP_EVENT_CLOSED = 3;
    internal const byte MPTCP_EVENT_ANNOUNCED = 6;
    internal const byte MPTCP_EVENT_REMOVED = 7;
    internal const byte MPTCP_EVENT_SUB_ESTABLISHED = 10;
    internal const byte MPTCP_EVENT_SUB_CLOSED = 11;
    internal const byte MPTCP_EVENT_SUB_PRIORITY = 13;
}
