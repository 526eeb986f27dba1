namespace LinuxNet;

// /usr/include/linux/veth.h
internal static class LinuxVeth
{
    internal const ushort VETH_INFO_UNSPEC = 0;
    internal const ushort VETH_INFO_PEER = 1;
}
