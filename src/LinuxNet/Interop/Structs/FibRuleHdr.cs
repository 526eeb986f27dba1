using System.Runtime.InteropServices;

namespace LinuxNet;

// struct fib_rule_hdr, /usr/include/linux/fib_rules.h
[StructLayout(LayoutKind.Sequential)]
internal struct FibRuleHdr
{
    internal byte Family;
    internal byte DestinationLength;
    internal byte SourceLength;
    internal byte Tos;
    internal byte Table;
    internal byte Reserved1;
    internal byte Reserved2;
    internal byte Action;
    internal uint Flags;
}
