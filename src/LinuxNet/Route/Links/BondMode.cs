namespace LinuxNet.Route;

/// <summary>A bond's policy (<c>ip link add … type bond mode MODE</c>).</summary>
/// <remarks>Kernel: <c>IFLA_BOND_MODE</c>, <c>BOND_MODE_*</c> in <c>/usr/include/linux/if_bonding.h</c>.</remarks>
public enum BondMode : byte
{
    /// <summary>Round robin (<c>balance-rr</c>); the kernel's default.</summary>
    BalanceRoundRobin = 0,

    /// <summary>One active slave, the others standing by (<c>active-backup</c>).</summary>
    ActiveBackup = 1,

    /// <summary>Slave chosen by a hash (<c>balance-xor</c>).</summary>
    BalanceXor = 2,

    /// <summary>Every packet on every slave (<c>broadcast</c>).</summary>
    Broadcast = 3,

    /// <summary>IEEE 802.3ad dynamic link aggregation (<c>802.3ad</c>, LACP).</summary>
    Ieee8023ad = 4,

    /// <summary>Adaptive transmit load balancing (<c>balance-tlb</c>).</summary>
    BalanceTlb = 5,

    /// <summary>Adaptive load balancing (<c>balance-alb</c>).</summary>
    BalanceAlb = 6,
}
