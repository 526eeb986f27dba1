namespace LinuxNet.Route;

/// <summary>What a policy rule does with a packet it matches (<c>fib_rule_hdr.action</c>).</summary>
public enum RuleAction
{
    /// <summary>
    /// Not set. Adding a rule treats it as <see cref="ToTable"/>; deleting matches rules of any action, as
    /// <c>ip rule del</c> without a type does (<c>FR_ACT_UNSPEC</c>).
    /// </summary>
    Unspecified = 0,

    /// <summary>Look the destination up in <see cref="RuleSpec.Table"/> (<c>FR_ACT_TO_TBL</c>, <c>ip rule … table N</c>).</summary>
    ToTable = 1,

    /// <summary>Continue with the rule whose priority is <see cref="RuleSpec.GotoPriority"/> (<c>FR_ACT_GOTO</c>).</summary>
    Goto = 2,

    /// <summary>Do nothing (<c>FR_ACT_NOP</c>, <c>ip rule … nop</c>).</summary>
    Nop = 3,

    /// <summary>Drop silently (<c>FR_ACT_BLACKHOLE</c>, <c>ip rule … blackhole</c>).</summary>
    Blackhole = 6,

    /// <summary>Drop with "network unreachable" (<c>FR_ACT_UNREACHABLE</c>, <c>ip rule … unreachable</c>).</summary>
    Unreachable = 7,

    /// <summary>Drop with "prohibited" (<c>FR_ACT_PROHIBIT</c>, <c>ip rule … prohibit</c>).</summary>
    Prohibit = 8,
}
