using System.Net;
using System.Net.Sockets;
using System.Text;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>One policy routing rule, as <c>ip rule show</c> lists it.</summary>
public sealed class RuleInfo
{
    private RuleInfo()
    {
    }

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily Family { get; private set; }

    /// <summary>The rule's priority (<c>pref</c>); lower runs first.</summary>
    /// <remarks>Kernel: <c>FRA_PRIORITY</c>.</remarks>
    public uint Priority { get; private set; }

    /// <summary>The source prefix (<c>from</c>), or <see langword="null"/> for <c>from all</c>.</summary>
    /// <remarks>Kernel: <c>FRA_SRC</c> with <c>fib_rule_hdr.src_len</c> (the kernel sends <c>FRA_SRC</c> exactly when the length is not 0).</remarks>
    public IPPrefix? Source { get; private set; }

    /// <summary>The destination prefix (<c>to</c>), or <see langword="null"/> for any destination.</summary>
    /// <remarks>Kernel: <c>FRA_DST</c> with <c>fib_rule_hdr.dst_len</c>.</remarks>
    public IPPrefix? Destination { get; private set; }

    /// <summary>The type-of-service value matched (<c>tos</c>), 0 for any.</summary>
    public byte Tos { get; private set; }

    /// <summary>The routing table looked up (<c>lookup</c>), e.g. 254 for main; 0 for actions other than <see cref="RuleAction.ToTable"/>.</summary>
    /// <remarks>Kernel: <c>FRA_TABLE</c>, which carries ids above 255, or <c>fib_rule_hdr.table</c>.</remarks>
    public uint Table { get; private set; }

    /// <summary>What the rule does.</summary>
    public RuleAction Action { get; private set; }

    /// <summary>Whether the match is inverted (<c>not</c>).</summary>
    /// <remarks>Kernel: <c>FIB_RULE_INVERT</c>.</remarks>
    public bool Invert { get; private set; }

    /// <summary>The firewall mark matched (<c>fwmark</c>), or <see langword="null"/>.</summary>
    /// <remarks>Kernel: <c>FRA_FWMARK</c>.</remarks>
    public uint? FirewallMark { get; private set; }

    /// <summary>The mask applied to the packet's mark before comparing (<c>fwmark MARK/MASK</c>), or <see langword="null"/>.</summary>
    /// <remarks>Kernel: <c>FRA_FWMASK</c>.</remarks>
    public uint? FirewallMask { get; private set; }

    /// <summary>The incoming interface matched (<c>iif</c>), or <see langword="null"/>.</summary>
    /// <remarks>Kernel: <c>FRA_IIFNAME</c>.</remarks>
    public string? InputInterface { get; private set; }

    /// <summary>The outgoing interface matched (<c>oif</c>), or <see langword="null"/>.</summary>
    /// <remarks>Kernel: <c>FRA_OIFNAME</c>.</remarks>
    public string? OutputInterface { get; private set; }

    /// <summary>Routes with this prefix length or shorter are ignored in the looked-up table (<c>suppress_prefixlength</c>), or <see langword="null"/>.</summary>
    /// <remarks>Kernel: <c>FRA_SUPPRESS_PREFIXLEN</c>.</remarks>
    public int? SuppressPrefixLength { get; private set; }

    /// <summary>The priority of the rule to continue with for <see cref="RuleAction.Goto"/>, or <see langword="null"/>.</summary>
    /// <remarks>Kernel: <c>FRA_GOTO</c>.</remarks>
    public uint? GotoPriority { get; private set; }

    /// <summary>Who installed the rule (<c>proto</c>): 2 kernel, 3 boot, 4 static…</summary>
    /// <remarks>Kernel: <c>FRA_PROTOCOL</c>.</remarks>
    public byte Protocol { get; private set; }

    /// <summary>Formats the rule like <c>ip rule show</c>: <c>1000: from 198.51.100.0/24 lookup 100</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Priority).Append(':');
        if (Invert)
        {
            text.Append(" not");
        }

        text.Append(" from ").Append(Source is { } source ? source.ToString() : "all");
        if (Destination is { } destination)
        {
            text.Append(" to ").Append(destination.ToString());
        }

        if (FirewallMark is uint mark)
        {
            text.Append(" fwmark 0x").Append(mark.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            if (FirewallMask is uint mask)
            {
                text.Append("/0x").Append(mask.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (InputInterface is not null)
        {
            text.Append(" iif ").Append(InputInterface);
        }

        if (OutputInterface is not null)
        {
            text.Append(" oif ").Append(OutputInterface);
        }

        text.Append(Action switch
        {
            RuleAction.ToTable => " lookup " + Table.ToString(System.Globalization.CultureInfo.InvariantCulture),
            RuleAction.Goto => " goto " + GotoPriority?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => " " + Action.ToString().ToLowerInvariant(),
        });
        if (SuppressPrefixLength is int suppress)
        {
            text.Append(" suppress_prefixlength ").Append(suppress);
        }

        return text.ToString();
    }

    /// <summary>Parses an <c>RTM_NEWRULE</c>/<c>RTM_DELRULE</c> message; <see langword="null"/> for families other than IPv4 and IPv6.</summary>
    internal static RuleInfo? Parse(NetlinkMessage message)
    {
        if (message.Type is not (LinuxRtnetlink.RTM_NEWRULE or LinuxRtnetlink.RTM_DELRULE))
        {
            return null;
        }

        FibRuleHdr header = message.ReadHeader<FibRuleHdr>();
        if (header.Family is not (LinuxSocket.AF_INET or LinuxSocket.AF_INET6))
        {
            return null;
        }

        var rule = new RuleInfo
        {
            Family = KernelFamily.FromKernel(header.Family),
            Tos = header.Tos,
            Table = header.Table,
            Action = (RuleAction)header.Action,
            Invert = (header.Flags & LinuxFibRules.FIB_RULE_INVERT) != 0,
        };
        foreach (NetlinkAttribute attribute in message.GetAttributes<FibRuleHdr>())
        {
            switch (attribute.Type)
            {
                case LinuxFibRules.FRA_PRIORITY:
                    rule.Priority = attribute.GetUInt32();
                    break;
                case LinuxFibRules.FRA_SRC:
                    rule.Source = Prefix(attribute.GetIPAddress(), header.SourceLength);
                    break;
                case LinuxFibRules.FRA_DST:
                    rule.Destination = Prefix(attribute.GetIPAddress(), header.DestinationLength);
                    break;
                case LinuxFibRules.FRA_TABLE:
                    rule.Table = attribute.GetUInt32();
                    break;
                case LinuxFibRules.FRA_FWMARK:
                    rule.FirewallMark = attribute.GetUInt32();
                    break;
                case LinuxFibRules.FRA_FWMASK:
                    rule.FirewallMask = attribute.GetUInt32();
                    break;
                case LinuxFibRules.FRA_IIFNAME:
                    rule.InputInterface = attribute.GetString();
                    break;
                case LinuxFibRules.FRA_OIFNAME:
                    rule.OutputInterface = attribute.GetString();
                    break;
                case LinuxFibRules.FRA_SUPPRESS_PREFIXLEN:
                    int suppress = attribute.GetInt32();
                    rule.SuppressPrefixLength = suppress < 0 ? null : suppress;
                    break;
                case LinuxFibRules.FRA_GOTO:
                    rule.GotoPriority = attribute.GetUInt32();
                    break;
                case LinuxFibRules.FRA_PROTOCOL:
                    rule.Protocol = attribute.GetUInt8();
                    break;
            }
        }

        return rule;
    }

    // A length the address's family cannot have is a malformed message, reported as such rather than as an argument error.
    private static IPPrefix Prefix(IPAddress address, int length)
    {
        int max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return length <= max
            ? new IPPrefix(address, length)
            : throw new NetlinkProtocolException($"A rule's prefix length {length} is too long for {address}.");
    }
}
