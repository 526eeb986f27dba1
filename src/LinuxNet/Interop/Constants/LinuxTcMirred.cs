namespace LinuxNet;

// /usr/include/linux/tc_act/tc_mirred.h
internal static class LinuxTcMirred
{
    internal const int TCA_EGRESS_REDIR = 1;
    internal const int TCA_EGRESS_MIRROR = 2;
    internal const int TCA_INGRESS_REDIR = 3;
    internal const int TCA_INGRESS_MIRROR = 4;

    // enum TCA_MIRRED_*
    internal const ushort TCA_MIRRED_TM = 1;
    internal const ushort TCA_MIRRED_PARMS = 2;
    internal const ushort TCA_MIRRED_PAD = 3;
}
