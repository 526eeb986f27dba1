namespace LinuxNet;

// /usr/include/linux/nsfs.h: NSIO = 0xb7; NS_GET_NSTYPE = _IO(NSIO, 0x3) (kernel 4.11+)
internal static class LinuxNsfs
{
    internal const uint NS_GET_NSTYPE = 0xb703;
}
