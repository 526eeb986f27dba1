namespace LinuxNet;

// /usr/include/linux/pkt_cls.h: classifiers (u32, bpf), the action nest and the verdicts.
internal static class LinuxPktCls
{
    // enum TCA_ACT_*
    internal const ushort TCA_ACT_KIND = 1;
    internal const ushort TCA_ACT_OPTIONS = 2;
    internal const ushort TCA_ACT_INDEX = 3;
    internal const ushort TCA_ACT_STATS = 4;
    internal const ushort TCA_ACT_PAD = 5;
    internal const ushort TCA_ACT_COOKIE = 6;
    internal const ushort TCA_ACT_FLAGS = 7;

    // Verdicts (TC_ACT_*)
    internal const int TC_ACT_UNSPEC = -1;
    internal const int TC_ACT_OK = 0;
    internal const int TC_ACT_RECLASSIFY = 1;
    internal const int TC_ACT_SHOT = 2;
    internal const int TC_ACT_PIPE = 3;
    internal const int TC_ACT_STOLEN = 4;
    internal const int TC_ACT_QUEUED = 5;
    internal const int TC_ACT_REPEAT = 6;
    internal const int TC_ACT_REDIRECT = 7;
    internal const int TC_ACT_TRAP = 8;

    // TCA_CLS_FLAGS_*
    internal const uint TCA_CLS_FLAGS_SKIP_HW = 1 << 0;
    internal const uint TCA_CLS_FLAGS_SKIP_SW = 1 << 1;
    internal const uint TCA_CLS_FLAGS_IN_HW = 1 << 2;
    internal const uint TCA_CLS_FLAGS_NOT_IN_HW = 1 << 3;

    // enum TCA_U32_*
    internal const ushort TCA_U32_CLASSID = 1;
    internal const ushort TCA_U32_HASH = 2;
    internal const ushort TCA_U32_LINK = 3;
    internal const ushort TCA_U32_DIVISOR = 4;
    internal const ushort TCA_U32_SEL = 5;
    internal const ushort TCA_U32_POLICE = 6;
    internal const ushort TCA_U32_ACT = 7;
    internal const ushort TCA_U32_INDEV = 8;
    internal const ushort TCA_U32_PCNT = 9;
    internal const ushort TCA_U32_MARK = 10;
    internal const ushort TCA_U32_FLAGS = 11;
    internal const ushort TCA_U32_PAD = 12;

    // tc_u32_sel.flags
    internal const byte TC_U32_TERMINAL = 1;
    internal const byte TC_U32_OFFSET = 2;
    internal const byte TC_U32_VAROFFSET = 4;
    internal const byte TC_U32_EAT = 8;

    // enum TCA_BPF_*
    internal const ushort TCA_BPF_ACT = 1;
    internal const ushort TCA_BPF_POLICE = 2;
    internal const ushort TCA_BPF_CLASSID = 3;
    internal const ushort TCA_BPF_OPS_LEN = 4;
    internal const ushort TCA_BPF_OPS = 5;
    internal const ushort TCA_BPF_FD = 6;
    internal const ushort TCA_BPF_NAME = 7;
    internal const ushort TCA_BPF_FLAGS = 8;
    internal const ushort TCA_BPF_FLAGS_GEN = 9;
    internal const ushort TCA_BPF_TAG = 10;
    internal const ushort TCA_BPF_ID = 11;
    internal const uint TCA_BPF_FLAG_ACT_DIRECT = 1 << 0;
}
