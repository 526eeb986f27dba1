using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What <c>ip rule</c> does: adds, deletes, flushes and lists policy routing rules for IPv4 and IPv6, over the rtnetlink socket
/// of the <see cref="LinkManager"/> it belongs to (<see cref="RtnetlinkSession.Rules"/>).
/// </summary>
/// <remarks>
/// <para>
/// A fresh network namespace already has rules: for IPv4 priority 0 (<c>lookup local</c>), 32766 (<c>lookup main</c>)
/// and 32767 (<c>lookup default</c>); for IPv6 0 and 32766.
/// </para>
/// <para>
/// There is no <c>Replace</c>: the kernel's <c>RTM_NEWRULE</c> ignores <c>NLM_F_REPLACE</c> (iproute2 has no
/// <c>ip rule replace</c>); delete the old rule and add the new one. There is no <c>Get</c> either: rules have no
/// key the kernel looks up (<c>RTM_GETRULE</c> only dumps, and several rules may share a priority); filter
/// <see cref="List(AddressFamily)"/>.
/// </para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// </remarks>
public sealed class RuleManager
{
    private readonly LinkManager _manager;

    internal RuleManager(LinkManager manager) => _manager = manager;

    private RequestPipeline Pipeline => _manager.Pipeline;

    /// <summary>Adds a rule; fails if an identical one exists. Equivalent to <c>ip [-6] rule add …</c>.</summary>
    /// <param name="spec">The rule.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent: prefix length, family mismatch, mask without mark, bad interface name….</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>EEXIST</c> for a duplicate.</exception>
    public void Add(RuleSpec spec)
    {
        Validate(spec, add: true);
        Modify(spec, add: true);
    }

    /// <summary>Adds a rule asynchronously. Equivalent to <c>ip [-6] rule add …</c>.</summary>
    /// <param name="spec">The rule.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AddAsync(RuleSpec spec, CancellationToken cancellationToken = default)
    {
        Validate(spec, add: true);
        return ModifyCoreAsync<AsyncWait>(spec, true, cancellationToken);
    }

    /// <summary>Deletes the first rule that matches every field set in <paramref name="spec"/>. Equivalent to <c>ip [-6] rule del …</c>.</summary>
    /// <param name="spec">The fields to match.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>ENOENT</c> when nothing matches.</exception>
    public void Delete(RuleSpec spec)
    {
        Validate(spec, add: false);
        Modify(spec, add: false);
    }

    /// <summary>Deletes a matching rule asynchronously. Equivalent to <c>ip [-6] rule del …</c>.</summary>
    /// <param name="spec">The fields to match.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteAsync(RuleSpec spec, CancellationToken cancellationToken = default)
    {
        Validate(spec, add: false);
        return ModifyCoreAsync<AsyncWait>(spec, false, cancellationToken);
    }

    /// <summary>Lists the rules of one family, or of IPv4 and IPv6. Equivalent to <c>ip [-4|-6] rule show</c>.</summary>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/>, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <returns>The rules in priority order, IPv4 before IPv6.</returns>
    /// <exception cref="ArgumentException"><paramref name="family"/> is another family.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public IReadOnlyList<RuleInfo> List(AddressFamily family = AddressFamily.Unspecified)
    {
        ValidateFamily(family);
        return SyncWait.Complete(Pipeline.ListAsync<SyncWait, AddressFamily, RuleInfo>(family, RuleMessage.WriteDump, RuleInfo.Parse, default));
    }

    /// <summary>Lists rules asynchronously. Equivalent to <c>ip [-4|-6] rule show</c>.</summary>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/>, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The rules in priority order, IPv4 before IPv6.</returns>
    /// <exception cref="ArgumentException"><paramref name="family"/> is another family.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public async ValueTask<IReadOnlyList<RuleInfo>> ListAsync(AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        ValidateFamily(family);
        return await Pipeline.ListAsync<AsyncWait, AddressFamily, RuleInfo>(family, RuleMessage.WriteDump, RuleInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes every rule of one family, or of IPv4 and IPv6, but those of priority 0 (<c>lookup local</c>). Equivalent to
    /// <c>ip [-4|-6] rule flush</c>, which also removes the <c>main</c> and <c>default</c> lookups (32766, 32767).
    /// </summary>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/>, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <returns>How many rules this call deleted (a rule someone else deleted meanwhile is not counted).</returns>
    /// <remarks>One dump, then one <c>RTM_DELRULE</c> per rule, each naming every field of that rule, as <see cref="Delete(RuleSpec)"/> writes it.</remarks>
    /// <exception cref="ArgumentException"><paramref name="family"/> is another family.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public int Flush(AddressFamily family = AddressFamily.Unspecified)
    {
        ValidateFamily(family);
        return SyncWait.Complete(FlushCoreAsync<SyncWait>(family, default));
    }

    /// <summary>Deletes every rule but those of priority 0, asynchronously. Equivalent to <c>ip [-4|-6] rule flush</c>.</summary>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/>, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answers.</param>
    /// <returns>How many rules this call deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="family"/> is another family.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<int> FlushAsync(AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        ValidateFamily(family);
        return FlushCoreAsync<AsyncWait>(family, cancellationToken);
    }

    /// <summary>
    /// The delete request that matches exactly <paramref name="rule"/>: every field it has set. A table lookup is deleted
    /// with action unspecified, as <c>ip rule del … table N</c> writes it (the table already says what the rule does).
    /// </summary>
    internal static RuleSpec ToDeleteSpec(RuleInfo rule) => new()
    {
        Family = rule.Family,
        Priority = rule.Priority,
        Source = rule.Source,
        Destination = rule.Destination,
        Tos = rule.Tos,
        Table = rule.Action == RuleAction.ToTable ? rule.Table : 0,
        Action = rule.Action == RuleAction.ToTable ? RuleAction.Unspecified : rule.Action,
        Invert = rule.Invert,
        FirewallMark = rule.FirewallMark,
        FirewallMask = rule.FirewallMark is null ? null : rule.FirewallMask,
        InputInterface = rule.InputInterface is { } iif ? LinkReference.FromName(iif) : (LinkReference?)null,
        OutputInterface = rule.OutputInterface is { } oif ? LinkReference.FromName(oif) : (LinkReference?)null,
        SuppressPrefixLength = rule.SuppressPrefixLength,
        GotoPriority = rule.Action == RuleAction.Goto ? rule.GotoPriority : null,
    };

    private async ValueTask<int> FlushCoreAsync<TWait>(AddressFamily family, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int deleted = 0;
        foreach (RuleInfo rule in await Pipeline.ListAsync<TWait, AddressFamily, RuleInfo>(family, RuleMessage.WriteDump, RuleInfo.Parse, cancellationToken).ConfigureAwait(false))
        {
            if (rule.Priority == 0)
            {
                continue;
            }

            try
            {
                await ModifyCoreAsync<TWait>(ToDeleteSpec(rule), false, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (NetlinkException e) when (e.IsNotFound)
            {
                // Deleted by someone else since the dump.
            }
        }

        return deleted;
    }

    private void Modify(RuleSpec spec, bool add)
    {
        string? input = SyncWait.Complete(Pipeline.ResolveNameAsync<SyncWait>(spec.InputInterface, default));
        string? output = SyncWait.Complete(Pipeline.ResolveNameAsync<SyncWait>(spec.OutputInterface, default));
        Pipeline.Execute(new RuleRequest(spec, add, input, output), RuleMessage.Write);
    }

    private async ValueTask ModifyCoreAsync<TWait>(RuleSpec spec, bool add, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        string? input = await Pipeline.ResolveNameAsync<TWait>(spec.InputInterface, cancellationToken).ConfigureAwait(false);
        string? output = await Pipeline.ResolveNameAsync<TWait>(spec.OutputInterface, cancellationToken).ConfigureAwait(false);
        await Pipeline.ExecuteAsync<TWait, RuleRequest>(new RuleRequest(spec, add, input, output), RuleMessage.Write, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateFamily(AddressFamily family)
    {
        if (family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Family must be InterNetwork, InterNetworkV6 or Unspecified, not {family}.", nameof(family));
        }
    }

    private static void Validate(RuleSpec spec, bool add)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        spec.Validate(add);
    }
}
