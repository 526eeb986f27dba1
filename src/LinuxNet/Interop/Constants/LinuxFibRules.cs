namespace LinuxNet;

// /usr/include/linux/fib_rules.h
internal static class LinuxFibRules
{
    // fib_rule_hdr.flags
    internal const uint FIB_RULE_PERMANENT = 0x00000001;
    internal const uint FIB_RULE_INVERT = 0x00000002;
    internal const uint FIB_RULE_UNRESOLVED = 0x00000004;
    internal const uint FIB_RULE_IIF_DETACHED = 0x00000008;
    internal const uint FIB_RULE_OIF_DETACHED = 0x00000010;

    // enum FRA_*
    internal const ushort FRA_UNSPEC = 0;
    internal const ushort FRA_DST = 1;
    internal const ushort FRA_SRC = 2;
    internal const ushort FRA_IIFNAME = 3;
    internal const ushort FRA_GOTO = 4;
    internal const ushort FRA_PRIORITY = 6;
    internal const ushort FRA_FWMARK = 10;
    internal const ushort FRA_FLOW = 11;
    internal const ushort FRA_TUN_ID = 12;
    internal const ushort FRA_SUPPRESS_IFGROUP = 13;
    internal const ushort FRA_SUPPRESS_PREFIXLEN = 14;
    internal const ushort FRA_TABLE = 15;
    internal const ushort FRA_FWMASK = 16;
    internal const ushort FRA_OIFNAME = 17;
    internal const ushort FRA_PAD = 18;
    internal const ushort FRA_L3MDEV = 19;
    internal const ushort FRA_UID_RANGE = 20;
    internal const ushort FRA_PROTOCOL = 21;
    internal const ushort FRA_IP_PROTO = 22;
    internal const ushort FRA_SPORT_RANGE = 23;
    internal const ushort FRA_DPORT_RANGE = 24;

    // enum FR_ACT_*
    internal const byte FR_ACT_UNSPEC = 0;
    internal const byte FR_ACT_TO_TBL = 1;
    internal const byte FR_ACT_GOTO = 2;
    internal const byte FR_ACT_NOP = 3;
    internal const byte FR_ACT_BLACKHOLE = 6;
    internal const byte FR_ACT_UNREACHABLE = 7;
    internal const byte FR_ACT_PROHIBIT = 8;
}
