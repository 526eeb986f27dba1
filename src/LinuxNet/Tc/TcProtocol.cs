namespace LinuxNet.Tc;

/// <summary>The protocols a filter matches (<c>protocol</c>): EtherType values as <c>tc</c> names them.</summary>
public enum TcProtocol : ushort
{
    /// <summary>None given; the kernel requires one on add (a delete or list matches any).</summary>
    Unspecified = 0,

    /// <summary>Every protocol (<c>protocol all</c>, <c>ETH_P_ALL</c>).</summary>
    All = 0x0003,

    /// <summary>IPv4 (<c>protocol ip</c>, <c>ETH_P_IP</c>).</summary>
    IPv4 = 0x0800,

    /// <summary>ARP (<c>protocol arp</c>, <c>ETH_P_ARP</c>).</summary>
    Arp = 0x0806,

    /// <summary>802.1Q VLAN (<c>protocol 802.1Q</c>, <c>ETH_P_8021Q</c>).</summary>
    Vlan = 0x8100,

    /// <summary>IPv6 (<c>protocol ipv6</c>, <c>ETH_P_IPV6</c>).</summary>
    IPv6 = 0x86DD,
}
