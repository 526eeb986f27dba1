namespace LinuxNet;

// /usr/include/linux/net_namespace.h: attributes of RTM_NEWNSID/RTM_DELNSID/RTM_GETNSID.
internal static class LinuxNetNamespace
{
    internal const int NETNSA_NSID_NOT_ASSIGNED = -1;

    internal const ushort NETNSA_NONE = 0;
    internal const ushort NETNSA_NSID = 1;
    internal const ushort NETNSA_PID = 2;
    internal const ushort NETNSA_FD = 3;
    internal const ushort NETNSA_TARGET_NSID = 4;
    internal const ushort NETNSA_CURRENT_NSID = 5;
}
