namespace LinuxNet;

// /usr/include/linux/pkt_sched.h, the RTM_*QDISC/TCLASS/TFILTER types and TCA_* of /usr/include/linux/rtnetlink.h,
// and TCA_STATS_* of /usr/include/linux/gen_stats.h: what traffic control (Tc/) needs.
internal static class LinuxPktSched
{
    // enum RTM_* (rtnetlink.h)
    internal const ushort RTM_NEWQDISC = 36;
    internal const ushort RTM_DELQDISC = 37;
    internal const ushort RTM_GETQDISC = 38;
    internal const ushort RTM_NEWTCLASS = 40;
    internal const ushort RTM_DELTCLASS = 41;
    internal const ushort RTM_GETTCLASS = 42;
    internal const ushort RTM_NEWTFILTER = 44;
    internal const ushort RTM_DELTFILTER = 45;
    internal const ushort RTM_GETTFILTER = 46;

    // enum TCA_* (rtnetlink.h)
    internal const ushort TCA_KIND = 1;
    internal const ushort TCA_OPTIONS = 2;
    internal const ushort TCA_STATS = 3;
    internal const ushort TCA_XSTATS = 4;
    internal const ushort TCA_RATE = 5;
    internal const ushort TCA_FCNT = 6;
    internal const ushort TCA_STATS2 = 7;
    internal const ushort TCA_STAB = 8;
    internal const ushort TCA_PAD = 9;
    internal const ushort TCA_DUMP_INVISIBLE = 10;
    internal const ushort TCA_CHAIN = 11;
    internal const ushort TCA_HW_OFFLOAD = 12;
    internal const ushort TCA_INGRESS_BLOCK = 13;
    internal const ushort TCA_EGRESS_BLOCK = 14;
    internal const ushort TCA_DUMP_FLAGS = 15;
    internal const ushort TCA_EXT_WARN_MSG = 16;

    // enum TCA_STATS_* (gen_stats.h)
    internal const ushort TCA_STATS_BASIC = 1;
    internal const ushort TCA_STATS_RATE_EST = 2;
    internal const ushort TCA_STATS_QUEUE = 3;
    internal const ushort TCA_STATS_APP = 4;
    internal const ushort TCA_STATS_RATE_EST64 = 5;
    internal const ushort TCA_STATS_PAD = 6;
    internal const ushort TCA_STATS_BASIC_HW = 7;
    internal const ushort TCA_STATS_PKT64 = 8;

    // Handles
    internal const uint TC_H_MAJ_MASK = 0xFFFF0000;
    internal const uint TC_H_MIN_MASK = 0x0000FFFF;
    internal const uint TC_H_UNSPEC = 0;
    internal const uint TC_H_ROOT = 0xFFFFFFFF;
    internal const uint TC_H_INGRESS = 0xFFFFFFF1;
    internal const uint TC_H_CLSACT = TC_H_INGRESS;
    internal const uint TC_H_MIN_PRIORITY = 0xFFE0;
    internal const uint TC_H_MIN_INGRESS = 0xFFF2;
    internal const uint TC_H_MIN_EGRESS = 0xFFF3;

    // enum tc_link_layer
    internal const byte TC_LINKLAYER_UNAWARE = 0;
    internal const byte TC_LINKLAYER_ETHERNET = 1;
    internal const byte TC_LINKLAYER_ATM = 2;
    internal const byte TC_LINKLAYER_MASK = 0x0F;

    // enum TCA_TBF_*
    internal const ushort TCA_TBF_PARMS = 1;
    internal const ushort TCA_TBF_RTAB = 2;
    internal const ushort TCA_TBF_PTAB = 3;
    internal const ushort TCA_TBF_RATE64 = 4;
    internal const ushort TCA_TBF_PRATE64 = 5;
    internal const ushort TCA_TBF_BURST = 6;
    internal const ushort TCA_TBF_PBURST = 7;
    internal const ushort TCA_TBF_PAD = 8;

    // HTB
    internal const uint TC_HTB_PROTOVER = 3;
    internal const ushort TCA_HTB_PARMS = 1;
    internal const ushort TCA_HTB_INIT = 2;
    internal const ushort TCA_HTB_CTAB = 3;
    internal const ushort TCA_HTB_RTAB = 4;
    internal const ushort TCA_HTB_DIRECT_QLEN = 5;
    internal const ushort TCA_HTB_RATE64 = 6;
    internal const ushort TCA_HTB_CEIL64 = 7;
    internal const ushort TCA_HTB_PAD = 8;
    internal const ushort TCA_HTB_OFFLOAD = 9;

    // enum TCA_NETEM_*
    internal const ushort TCA_NETEM_CORR = 1;
    internal const ushort TCA_NETEM_DELAY_DIST = 2;
    internal const ushort TCA_NETEM_REORDER = 3;
    internal const ushort TCA_NETEM_CORRUPT = 4;
    internal const ushort TCA_NETEM_LOSS = 5;
    internal const ushort TCA_NETEM_RATE = 6;
    internal const ushort TCA_NETEM_ECN = 7;
    internal const ushort TCA_NETEM_RATE64 = 8;
    internal const ushort TCA_NETEM_PAD = 9;
    internal const ushort TCA_NETEM_LATENCY64 = 10;
    internal const ushort TCA_NETEM_JITTER64 = 11;
    internal const ushort TCA_NETEM_SLOT = 12;
    internal const ushort TCA_NETEM_SLOT_DIST = 13;

    // enum TCA_FQ_CODEL_*
    internal const ushort TCA_FQ_CODEL_TARGET = 1;
    internal const ushort TCA_FQ_CODEL_LIMIT = 2;
    internal const ushort TCA_FQ_CODEL_INTERVAL = 3;
    internal const ushort TCA_FQ_CODEL_ECN = 4;
    internal const ushort TCA_FQ_CODEL_FLOWS = 5;
    internal const ushort TCA_FQ_CODEL_QUANTUM = 6;
    internal const ushort TCA_FQ_CODEL_CE_THRESHOLD = 7;
    internal const ushort TCA_FQ_CODEL_DROP_BATCH_SIZE = 8;
    internal const ushort TCA_FQ_CODEL_MEMORY_LIMIT = 9;
}
