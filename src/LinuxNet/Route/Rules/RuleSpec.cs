using System;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>
/// A policy routing rule to add or delete: <c>ip [-6] rule add|del [not] [from PREFIX] [to PREFIX] [priority N] [tos T]
/// [fwmark MARK[/MASK]] [table N] [suppress_prefixlength L] [iif NAME] [oif NAME] [goto N] [blackhole|unreachable|prohibit|nop]</c>.
/// </summary>
/// <remarks>
/// For a delete, the kernel removes the first rule that matches every field that is set; unset fields match anything.
/// </remarks>
public sealed class RuleSpec
{
    /// <summary>
    /// <see cref="AddressFamily.InterNetwork"/> (default, as <c>ip rule</c>) or <see cref="AddressFamily.InterNetworkV6"/>
    /// (<c>ip -6 rule</c>). <see cref="AddressFamily.Unspecified"/> takes the family of <see cref="Source"/> or
    /// <see cref="Destination"/>, or IPv4 when neither is set.
    /// </summary>
    public AddressFamily Family { get; set; }

    /// <summary>The priority (<c>priority</c>/<c>pref</c>); <see langword="null"/> lets the kernel pick one just below the lowest existing non-zero priority.</summary>
    public uint? Priority { get; set; }

    /// <summary>The source prefix (<c>from</c>, e.g. <c>198.51.100.0/24</c>); <see langword="null"/> for all sources.</summary>
    public IPPrefix? Source { get; set; }

    /// <summary>The destination prefix (<c>to</c>); <see langword="null"/> for all destinations.</summary>
    public IPPrefix? Destination { get; set; }

    /// <summary>The type-of-service value to match (<c>tos</c>); 0 for any.</summary>
    public byte Tos { get; set; }

    /// <summary>
    /// The routing table (<c>table</c>), 1 to 4294967295 (ids above 255 travel in <c>FRA_TABLE</c>); 0 means main (254)
    /// when adding a <see cref="RuleAction.ToTable"/> rule, and any table when deleting.
    /// </summary>
    public uint Table { get; set; }

    /// <summary>What the rule does; <see cref="RuleAction.Unspecified"/> adds a <see cref="RuleAction.ToTable"/> rule and deletes regardless of action.</summary>
    public RuleAction Action { get; set; }

    /// <summary>Invert the match (<c>not</c>).</summary>
    public bool Invert { get; set; }

    /// <summary>The firewall mark to match (<c>fwmark</c>); <see langword="null"/> for none.</summary>
    public uint? FirewallMark { get; set; }

    /// <summary>The mask applied before comparing the mark (<c>fwmark MARK/MASK</c>); needs <see cref="FirewallMark"/>.</summary>
    public uint? FirewallMask { get; set; }

    /// <summary>
    /// The incoming interface to match (<c>iif</c>). The kernel matches by name (<c>FRA_IIFNAME</c>): a name need not
    /// exist yet; an index is resolved to the link's current name before the request is sent.
    /// </summary>
    public LinkReference? InputInterface { get; set; }

    /// <summary>
    /// The outgoing interface to match (<c>oif</c>). The kernel matches by name (<c>FRA_OIFNAME</c>): a name need not
    /// exist yet; an index is resolved to the link's current name before the request is sent.
    /// </summary>
    public LinkReference? OutputInterface { get; set; }

    /// <summary>Ignore routes in the table with this prefix length or shorter (<c>suppress_prefixlength</c>); <see langword="null"/> for none.</summary>
    public int? SuppressPrefixLength { get; set; }

    /// <summary>For <see cref="RuleAction.Goto"/>: the priority of the rule to continue with (<c>goto</c>).</summary>
    public uint? GotoPriority { get; set; }

    /// <summary>The family the rule is for, after defaulting.</summary>
    internal AddressFamily EffectiveFamily
        => Family != AddressFamily.Unspecified ? Family
            : Source?.AddressFamily ?? Destination?.AddressFamily ?? AddressFamily.InterNetwork;

    /// <summary>Checks the spec; throws <see cref="ArgumentException"/> for a bad or inconsistent value.</summary>
    internal void Validate(bool forAdd)
    {
        if (Family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Family must be InterNetwork or InterNetworkV6, not {Family}.", nameof(Family));
        }

        AddressFamily family = EffectiveFamily;
        ValidatePrefix(Source, family, nameof(Source));
        ValidatePrefix(Destination, family, nameof(Destination));
        if (Action is not (RuleAction.Unspecified or RuleAction.ToTable or RuleAction.Goto or RuleAction.Nop or RuleAction.Blackhole or RuleAction.Unreachable or RuleAction.Prohibit))
        {
            throw new ArgumentException($"{Action} is not a rule action.", nameof(Action));
        }

        if (Table != 0 && Action is not (RuleAction.Unspecified or RuleAction.ToTable))
        {
            throw new ArgumentException($"A table is only meaningful for ToTable rules, not {Action}.", nameof(Table));
        }

        if (FirewallMask is not null && FirewallMark is null)
        {
            throw new ArgumentException("A firewall mask needs a firewall mark (fwmark MARK/MASK).", nameof(FirewallMask));
        }

        InputInterface?.Validate(nameof(InputInterface));
        OutputInterface?.Validate(nameof(OutputInterface));

        if (SuppressPrefixLength is int suppress)
        {
            KernelFamily.ValidatePrefixLength(family, suppress, nameof(SuppressPrefixLength));
        }

        if (Action == RuleAction.Goto && forAdd && GotoPriority is null)
        {
            throw new ArgumentException("A Goto rule needs GotoPriority.", nameof(GotoPriority));
        }

        if (GotoPriority is not null && Action != RuleAction.Goto)
        {
            throw new ArgumentException("GotoPriority needs Action = Goto.", nameof(GotoPriority));
        }
    }

    private static void ValidatePrefix(IPPrefix? prefix, AddressFamily family, string name)
    {
        if (prefix is { } p)
        {
            KernelFamily.ValidateAddress(p.Address, name, allowUnspecified: true);
            if (p.AddressFamily != family)
            {
                throw new ArgumentException($"{name} {p} is not of the rule's family ({family}).", name);
            }
        }
    }
}
