using System;
using System.Net.Sockets;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Writes rule requests byte for byte as iproute2's <c>ip rule</c> does (attributes in its command-line order).</summary>
internal static class RuleMessage
{
    /// <summary>Writes a rule whose interfaces, if any, are given by name (the golden-bytes tests' entry).</summary>
    internal static int Write(Span<byte> buffer, RuleSpec spec, bool add)
        => RequestPipeline.Encode(buffer, new RuleRequest(spec, add, spec.InputInterface?.Name, spec.OutputInterface?.Name), Write);

    /// <summary>The one encoder of rule additions and deletions, for <see cref="RuleManager"/> and <see cref="RtnetlinkBatch"/> alike.</summary>
    /// <remarks>The interfaces travel as names (<c>FRA_IIFNAME</c>/<c>FRA_OIFNAME</c>), resolved by the caller from the spec's references.</remarks>
    internal static void Write(ref NetlinkMessageWriter writer, RuleRequest request)
    {
        RuleSpec spec = request.Spec;
        bool add = request.Add;
        AddressFamily family = spec.EffectiveFamily;
        int max = KernelFamily.MaxPrefixLength(family);
        NetlinkMessageFlags flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;
        if (add)
        {
            flags |= NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive;
        }

        RuleAction action = spec.Action;
        if (add && action == RuleAction.Unspecified)
        {
            action = RuleAction.ToTable;
        }

        uint table = spec.Table;
        if (add && table == 0 && action == RuleAction.ToTable)
        {
            table = LinuxRtnetlink.RT_TABLE_MAIN;
        }

        writer.BeginMessage(add ? LinuxRtnetlink.RTM_NEWRULE : LinuxRtnetlink.RTM_DELRULE, flags);
        writer.WriteHeader(new FibRuleHdr
        {
            Family = KernelFamily.ToKernel(family),
            DestinationLength = (byte)(spec.Destination?.PrefixLength ?? 0),
            SourceLength = (byte)(spec.Source?.PrefixLength ?? 0),
            Tos = spec.Tos,
            Table = table < 256 ? (byte)table : LinuxRtnetlink.RT_TABLE_UNSPEC,
            Action = (byte)action,
            Flags = spec.Invert ? LinuxFibRules.FIB_RULE_INVERT : 0,
        });
        if (spec.Source is { } source)
        {
            writer.WriteAddress(LinuxFibRules.FRA_SRC, source.Address);
        }

        if (spec.Destination is { } destination)
        {
            writer.WriteAddress(LinuxFibRules.FRA_DST, destination.Address);
        }

        if (spec.Priority is uint priority)
        {
            writer.WriteUInt32(LinuxFibRules.FRA_PRIORITY, priority);
        }

        if (spec.FirewallMark is uint mark)
        {
            writer.WriteUInt32(LinuxFibRules.FRA_FWMARK, mark);
            if (spec.FirewallMask is uint mask)
            {
                writer.WriteUInt32(LinuxFibRules.FRA_FWMASK, mask);
            }
        }

        if (table >= 256)
        {
            writer.WriteUInt32(LinuxFibRules.FRA_TABLE, table);
        }

        if (spec.SuppressPrefixLength is int suppress)
        {
            writer.WriteUInt32(LinuxFibRules.FRA_SUPPRESS_PREFIXLEN, (uint)suppress);
        }

        if (request.InputName is { } iif)
        {
            writer.WriteString(LinuxFibRules.FRA_IIFNAME, iif);
        }

        if (request.OutputName is { } oif)
        {
            writer.WriteString(LinuxFibRules.FRA_OIFNAME, oif);
        }

        if (spec.GotoPriority is uint target)
        {
            writer.WriteUInt32(LinuxFibRules.FRA_GOTO, target);
        }
    }

    /// <summary><c>ip [-4|-6] rule show</c>: a dump of one family, or of every family for <see cref="AddressFamily.Unspecified"/>.</summary>
    internal static int WriteDump(Span<byte> buffer, AddressFamily family)
        => RequestPipeline.Encode(buffer, family, WriteDump);

    /// <summary>The RTM_GETRULE dump of one family, or of every family for <see cref="AddressFamily.Unspecified"/>.</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, AddressFamily family)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETRULE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new FibRuleHdr { Family = KernelFamily.ToKernel(family) });
        writer.EndMessage();
    }
}
