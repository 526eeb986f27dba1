namespace LinuxNet;

// /usr/include/linux/if_link.h (enum IFLA_BRPORT_*, inside IFLA_PROTINFO of AF_BRIDGE link messages) and if_bridge.h (BR_STATE_*)
internal static class LinuxIfBridgePort
{
    internal const ushort IFLA_BRPORT_STATE = 1;
    internal const ushort IFLA_BRPORT_PRIORITY = 2;
    internal const ushort IFLA_BRPORT_COST = 3;
    internal const ushort IFLA_BRPORT_MODE = 4;
    internal const ushort IFLA_BRPORT_GUARD = 5;
    internal const ushort IFLA_BRPORT_PROTECT = 6;
    internal const ushort IFLA_BRPORT_FAST_LEAVE = 7;
    internal const ushort IFLA_BRPORT_LEARNING = 8;
    internal const ushort IFLA_BRPORT_UNICAST_FLOOD = 9;
    internal const ushort IFLA_BRPORT_MULTICAST_ROUTER = 25;
    internal const ushort IFLA_BRPORT_MCAST_FLOOD = 27;
    internal const ushort IFLA_BRPORT_MCAST_TO_UCAST = 28;
    internal const ushort IFLA_BRPORT_VLAN_TUNNEL = 29;
    internal const ushort IFLA_BRPORT_BCAST_FLOOD = 30;
    internal const ushort IFLA_BRPORT_NEIGH_SUPPRESS = 32;
    internal const ushort IFLA_BRPORT_ISOLATED = 33;
    internal const ushort IFLA_BRPORT_LOCKED = 39;
}
