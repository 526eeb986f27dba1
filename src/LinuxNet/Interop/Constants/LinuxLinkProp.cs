namespace LinuxNet;

// The link-property message types of /usr/include/linux/rtnetlink.h (alternative names travel in IFLA_PROP_LIST,
// see LinuxIfLink), kept in their own file so the altname area adds one file.
internal static class LinuxLinkProp
{
    internal const ushort RTM_NEWLINKPROP = 108;
    internal const ushort RTM_DELLINKPROP = 109;
    internal const ushort RTM_GETLINKPROP = 110;

    // ALTIFNAMSIZ (include/linux/netdevice.h is not UAPI; iproute2 and the kernel's policy use 128 with the NUL).
    internal const int ALTIFNAMSIZ = 128;
}
