namespace LinuxNet;

// /usr/include/linux/if_link.h (bond modes from /usr/include/linux/if_bonding.h), values generated from the headers with a C program.
internal static class LinuxIfLink
{
    // enum IFLA_*
    internal const ushort IFLA_UNSPEC = 0;
    internal const ushort IFLA_ADDRESS = 1;
    internal const ushort IFLA_BROADCAST = 2;
    internal const ushort IFLA_IFNAME = 3;
    internal const ushort IFLA_MTU = 4;
    internal const ushort IFLA_LINK = 5;
    internal const ushort IFLA_QDISC = 6;
    internal const ushort IFLA_STATS = 7;
    internal const ushort IFLA_COST = 8;
    internal const ushort IFLA_PRIORITY = 9;
    internal const ushort IFLA_MASTER = 10;
    internal const ushort IFLA_WIRELESS = 11;
    internal const ushort IFLA_PROTINFO = 12;
    internal const ushort IFLA_TXQLEN = 13;
    internal const ushort IFLA_MAP = 14;
    internal const ushort IFLA_WEIGHT = 15;
    internal const ushort IFLA_OPERSTATE = 16;
    internal const ushort IFLA_LINKMODE = 17;
    internal const ushort IFLA_LINKINFO = 18;
    internal const ushort IFLA_NET_NS_PID = 19;
    internal const ushort IFLA_IFALIAS = 20;
    internal const ushort IFLA_NUM_VF = 21;
    internal const ushort IFLA_VFINFO_LIST = 22;
    internal const ushort IFLA_STATS64 = 23;
    internal const ushort IFLA_VF_PORTS = 24;
    internal const ushort IFLA_PORT_SELF = 25;
    internal const ushort IFLA_AF_SPEC = 26;
    internal const ushort IFLA_GROUP = 27;
    internal const ushort IFLA_NET_NS_FD = 28;
    internal const ushort IFLA_EXT_MASK = 29;
    internal const ushort IFLA_PROMISCUITY = 30;
    internal const ushort IFLA_NUM_TX_QUEUES = 31;
    internal const ushort IFLA_NUM_RX_QUEUES = 32;
    internal const ushort IFLA_CARRIER = 33;
    internal const ushort IFLA_PHYS_PORT_ID = 34;
    internal const ushort IFLA_CARRIER_CHANGES = 35;
    internal const ushort IFLA_PHYS_SWITCH_ID = 36;
    internal const ushort IFLA_LINK_NETNSID = 37;
    internal const ushort IFLA_PHYS_PORT_NAME = 38;
    internal const ushort IFLA_PROTO_DOWN = 39;
    internal const ushort IFLA_GSO_MAX_SEGS = 40;
    internal const ushort IFLA_GSO_MAX_SIZE = 41;
    internal const ushort IFLA_PAD = 42;
    internal const ushort IFLA_XDP = 43;
    internal const ushort IFLA_EVENT = 44;
    internal const ushort IFLA_NEW_NETNSID = 45;
    internal const ushort IFLA_IF_NETNSID = 46;
    internal const ushort IFLA_TARGET_NETNSID = 46;
    internal const ushort IFLA_CARRIER_UP_COUNT = 47;
    internal const ushort IFLA_CARRIER_DOWN_COUNT = 48;
    internal const ushort IFLA_NEW_IFINDEX = 49;
    internal const ushort IFLA_MIN_MTU = 50;
    internal const ushort IFLA_MAX_MTU = 51;
    internal const ushort IFLA_PROP_LIST = 52;
    internal const ushort IFLA_ALT_IFNAME = 53;
    internal const ushort IFLA_PERM_ADDRESS = 54;
    internal const ushort IFLA_PROTO_DOWN_REASON = 55;
    internal const ushort IFLA_PARENT_DEV_NAME = 56;
    internal const ushort IFLA_PARENT_DEV_BUS_NAME = 57;
    internal const ushort IFLA_GRO_MAX_SIZE = 58;
    internal const ushort IFLA_TSO_MAX_SIZE = 59;
    internal const ushort IFLA_TSO_MAX_SEGS = 60;
    internal const ushort IFLA_ALLMULTI = 61;

    // enum IFLA_INFO_*
    internal const ushort IFLA_INFO_UNSPEC = 0;
    internal const ushort IFLA_INFO_KIND = 1;
    internal const ushort IFLA_INFO_DATA = 2;
    internal const ushort IFLA_INFO_XSTATS = 3;
    internal const ushort IFLA_INFO_SLAVE_KIND = 4;
    internal const ushort IFLA_INFO_SLAVE_DATA = 5;

    // enum IFLA_BR_* (bridge)
    internal const ushort IFLA_BR_FORWARD_DELAY = 1;
    internal const ushort IFLA_BR_HELLO_TIME = 2;
    internal const ushort IFLA_BR_MAX_AGE = 3;
    internal const ushort IFLA_BR_AGEING_TIME = 4;
    internal const ushort IFLA_BR_STP_STATE = 5;
    internal const ushort IFLA_BR_PRIORITY = 6;
    internal const ushort IFLA_BR_VLAN_FILTERING = 7;
    internal const ushort IFLA_BR_VLAN_PROTOCOL = 8;
    internal const ushort IFLA_BR_GROUP_FWD_MASK = 9;
    internal const ushort IFLA_BR_ROOT_ID = 10;
    internal const ushort IFLA_BR_BRIDGE_ID = 11;
    internal const ushort IFLA_BR_ROOT_PORT = 12;
    internal const ushort IFLA_BR_ROOT_PATH_COST = 13;
    internal const ushort IFLA_BR_MCAST_SNOOPING = 23;
    internal const ushort IFLA_BR_VLAN_DEFAULT_PVID = 39;
    internal const ushort IFLA_BR_PAD = 40;

    // enum IFLA_VLAN_*
    internal const ushort IFLA_VLAN_ID = 1;
    internal const ushort IFLA_VLAN_FLAGS = 2;
    internal const ushort IFLA_VLAN_EGRESS_QOS = 3;
    internal const ushort IFLA_VLAN_INGRESS_QOS = 4;
    internal const ushort IFLA_VLAN_PROTOCOL = 5;

    // enum IFLA_MACVLAN_*, enum macvlan_mode
    internal const ushort IFLA_MACVLAN_MODE = 1;
    internal const ushort IFLA_MACVLAN_FLAGS = 2;
    internal const ushort IFLA_MACVLAN_MACADDR_MODE = 3;
    internal const ushort IFLA_MACVLAN_MACADDR = 4;
    internal const ushort IFLA_MACVLAN_MACADDR_DATA = 5;
    internal const ushort IFLA_MACVLAN_MACADDR_COUNT = 6;
    internal const ushort IFLA_MACVLAN_BC_QUEUE_LEN = 7;
    internal const ushort IFLA_MACVLAN_BC_QUEUE_LEN_USED = 8;
    internal const uint MACVLAN_MODE_PRIVATE = 0x1;
    internal const uint MACVLAN_MODE_VEPA = 0x2;
    internal const uint MACVLAN_MODE_BRIDGE = 0x4;
    internal const uint MACVLAN_MODE_PASSTHRU = 0x8;
    internal const uint MACVLAN_MODE_SOURCE = 0x10;

    // enum IFLA_VXLAN_*
    internal const ushort IFLA_VXLAN_ID = 1;
    internal const ushort IFLA_VXLAN_GROUP = 2;
    internal const ushort IFLA_VXLAN_LINK = 3;
    internal const ushort IFLA_VXLAN_LOCAL = 4;
    internal const ushort IFLA_VXLAN_TTL = 5;
    internal const ushort IFLA_VXLAN_TOS = 6;
    internal const ushort IFLA_VXLAN_LEARNING = 7;
    internal const ushort IFLA_VXLAN_AGEING = 8;
    internal const ushort IFLA_VXLAN_LIMIT = 9;
    internal const ushort IFLA_VXLAN_PORT_RANGE = 10;
    internal const ushort IFLA_VXLAN_PROXY = 11;
    internal const ushort IFLA_VXLAN_RSC = 12;
    internal const ushort IFLA_VXLAN_L2MISS = 13;
    internal const ushort IFLA_VXLAN_L3MISS = 14;
    internal const ushort IFLA_VXLAN_PORT = 15;
    internal const ushort IFLA_VXLAN_GROUP6 = 16;
    internal const ushort IFLA_VXLAN_LOCAL6 = 17;
    internal const ushort IFLA_VXLAN_UDP_CSUM = 18;
    internal const ushort IFLA_VXLAN_COLLECT_METADATA = 25;
    internal const ushort IFLA_VXLAN_TTL_INHERIT = 28;
    internal const ushort IFLA_VXLAN_DF = 29;

    // enum IFLA_BOND_* (bond modes: /usr/include/linux/if_bonding.h)
    internal const ushort IFLA_BOND_MODE = 1;
    internal const ushort IFLA_BOND_ACTIVE_SLAVE = 2;
    internal const ushort IFLA_BOND_MIIMON = 3;
    internal const byte BOND_MODE_ROUNDROBIN = 0;
    internal const byte BOND_MODE_ACTIVEBACKUP = 1;
    internal const byte BOND_MODE_XOR = 2;
    internal const byte BOND_MODE_BROADCAST = 3;
    internal const byte BOND_MODE_8023AD = 4;
    internal const byte BOND_MODE_TLB = 5;
    internal const byte BOND_MODE_ALB = 6;

    // enum IFLA_IPVLAN_*, enum ipvlan_mode, IPVLAN_F_*
    internal const ushort IFLA_IPVLAN_MODE = 1;
    internal const ushort IFLA_IPVLAN_FLAGS = 2;
    internal const ushort IPVLAN_MODE_L2 = 0;
    internal const ushort IPVLAN_MODE_L3 = 1;
    internal const ushort IPVLAN_MODE_L3S = 2;
    internal const ushort IPVLAN_F_PRIVATE = 1;
    internal const ushort IPVLAN_F_VEPA = 2;

    // enum IFLA_TUN_* (linux/if_link.h): the tun driver's IFLA_INFO_DATA, read-only (tun devices are made with TUNSETIFF).
    internal const ushort IFLA_TUN_OWNER = 1;
    internal const ushort IFLA_TUN_GROUP = 2;
    internal const ushort IFLA_TUN_TYPE = 3;
    internal const ushort IFLA_TUN_PI = 4;
    internal const ushort IFLA_TUN_VNET_HDR = 5;
    internal const ushort IFLA_TUN_PERSIST = 6;
    internal const ushort IFLA_TUN_MULTI_QUEUE = 7;
    internal const ushort IFLA_TUN_NUM_QUEUES = 8;
    internal const ushort IFLA_TUN_NUM_DISABLED_QUEUES = 9;

    // The bridge's and bridge port's running timers (enum IFLA_BR_* / IFLA_BRPORT_*, linux/if_link.h): they count by
    // themselves, so a watch does not take them for a change of the link.
    internal const ushort IFLA_BR_HELLO_TIMER = 16;
    internal const ushort IFLA_BR_TCN_TIMER = 17;
    internal const ushort IFLA_BR_TOPOLOGY_CHANGE_TIMER = 18;
    internal const ushort IFLA_BR_GC_TIMER = 19;
    internal const ushort IFLA_BRPORT_MESSAGE_AGE_TIMER = 21;
    internal const ushort IFLA_BRPORT_FORWARD_DELAY_TIMER = 22;
    internal const ushort IFLA_BRPORT_HOLD_TIMER = 23;
}
