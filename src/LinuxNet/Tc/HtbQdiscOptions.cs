using System.Globalization;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>An htb qdisc's options as the kernel reports them (<c>r2q 10 default 0x10 direct_packets_stat 0 direct_qlen 1000</c>).</summary>
public sealed class HtbQdiscOptions : TcOptions
{
    private HtbQdiscOptions()
    {
    }

    /// <summary>The rate-to-quantum divisor (<c>r2q</c>).</summary>
    public uint RateToQuantum { get; private set; }

    /// <summary>The default class's minor number (<c>default</c>).</summary>
    public uint DefaultClass { get; private set; }

    /// <summary>Packets sent directly, unclassified (<c>direct_packets_stat</c>).</summary>
    public uint DirectPackets { get; private set; }

    /// <summary>The direct queue's length (<c>direct_qlen</c>), or <see langword="null"/> if not reported.</summary>
    public uint? DirectQueueLength { get; private set; }

    /// <summary>The htb protocol version (<c>ver</c>: 3.17 is 0x30011).</summary>
    public uint Version { get; private set; }

    /// <summary>Formats the options as <c>tc qdisc show</c> does.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => $"r2q {RateToQuantum} default {DefaultHex} direct_packets_stat {DirectPackets}" + (DirectQueueLength is uint q ? $" direct_qlen {q}" : string.Empty);

    /// <summary>The default class as tc prints it (<c>%#x</c>: <c>0x10</c>, or <c>0</c>).</summary>
    internal string DefaultHex => DefaultClass == 0 ? "0" : "0x" + DefaultClass.ToString("x", CultureInfo.InvariantCulture);

    internal static HtbQdiscOptions Parse(NetlinkAttribute options)
    {
        var result = new HtbQdiscOptions();
        foreach (NetlinkAttribute attribute in options.EnumerateNested())
        {
            switch (attribute.Type)
            {
                case LinuxPktSched.TCA_HTB_INIT:
                    TcHtbGlob glob = attribute.GetStruct<TcHtbGlob>();
                    result.RateToQuantum = glob.RateToQuantum;
                    result.DefaultClass = glob.DefaultClass;
                    result.DirectPackets = glob.DirectPackets;
                    result.Version = glob.Version;
                    break;
                case LinuxPktSched.TCA_HTB_DIRECT_QLEN:
                    result.DirectQueueLength = attribute.GetUInt32();
                    break;
            }
        }

        return result;
    }
}
