namespace LinuxNet;

// /usr/include/linux/tc_act/tc_gact.h
internal static class LinuxTcGact
{
    // enum TCA_GACT_*
    internal const ushort TCA_GACT_TM = 1;
    internal const ushort TCA_GACT_PARMS = 2;
    internal const ushort TCA_GACT_PROB = 3;
    internal const ushort TCA_GACT_PAD = 4;
}
