using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>What <c>ip route</c> does: add, replace, delete, list and look up IPv4 and IPv6 routes, over its <see cref="RtnetlinkSession"/>'s socket.</summary>
/// <remarks>
/// <para>Obtain it from <see cref="RtnetlinkSession.Routes"/>. Changing routes needs <c>CAP_NET_ADMIN</c> in the manager's namespace.</para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// <para>
/// Kernel refusals throw <see cref="NetlinkException"/> with the kernel's own text: a duplicate route is
/// <see cref="LinuxNetException.IsAlreadyExists"/> (<c>EEXIST</c>); a missing route or link is
/// <see cref="LinuxNetException.IsNotFound"/> (<c>ESRCH</c>, <c>ENODEV</c>); an unreachable gateway or destination
/// is <c>ENETUNREACH</c>.
/// </para>
/// <para>One request is sent and acknowledged at a time; the request is built in a pooled buffer, so adding or deleting allocates nothing when links are given by index.</para>
/// </remarks>
public sealed class RouteManager
{
    private static readonly NetlinkMessageHandler<ListState> ListHandler = static (message, state) => state.Add(message);
    private static readonly Action<ListState> ListRestart = static state => state.Results.Clear();
    private static readonly NetlinkMessageHandler<RouteInfo?[]> GetHandler = static (message, result) =>
    {
        if (message.Type == LinuxRtnetlink.RTM_NEWROUTE)
        {
            result[0] = RouteMessages.Parse(message);
        }
    };

    private readonly LinkManager _links;

    internal RouteManager(LinkManager links) => _links = links;

    private RequestPipeline Pipeline => _links.Pipeline;

    /// <summary>Adds a route; fails if it exists. Equivalent to <c>ip route add …</c> (see <see cref="RouteSpec"/>).</summary>
    /// <param name="spec">The route.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent (see <see cref="RouteSpec"/>).</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EEXIST</c> for a duplicate, <c>ENODEV</c> for a missing link, <c>ENETUNREACH</c> for an unreachable gateway.</exception>
    public void Add(RouteSpec spec) => Modify(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.AddFlags, spec);

    /// <summary>Adds a route, asynchronously. Equivalent to <c>ip route add …</c>.</summary>
    /// <param name="spec">The route.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has added the route.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AddAsync(RouteSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.AddFlags, spec, cancellationToken);

    /// <summary>Adds a route or replaces the one with the same destination, table, metric and TOS. Equivalent to <c>ip route replace …</c>.</summary>
    /// <param name="spec">The route.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void Replace(RouteSpec spec) => Modify(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.ReplaceFlags, spec);

    /// <summary>Adds or replaces a route, asynchronously. Equivalent to <c>ip route replace …</c>.</summary>
    /// <param name="spec">The route.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has applied the change.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ReplaceAsync(RouteSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.ReplaceFlags, spec, cancellationToken);

    /// <summary>
    /// Adds a route after the existing ones with the same destination, table, metric and TOS, as another path of that
    /// key; creates it when there is none. Equivalent to <c>ip route append …</c> (<c>NLM_F_CREATE|NLM_F_APPEND</c>).
    /// </summary>
    /// <param name="spec">The route.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EEXIST</c> when the very same route (same gateway and link) is there.</exception>
    /// <remarks>IPv4 keeps the appended route as a separate entry (the first one is used); IPv6 merges it into a multipath route.</remarks>
    public void Append(RouteSpec spec) => Modify(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.AppendFlags, spec);

    /// <summary>Appends a route, asynchronously. Equivalent to <c>ip route append …</c>.</summary>
    /// <param name="spec">The route.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has added the route.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AppendAsync(RouteSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.AppendFlags, spec, cancellationToken);

    /// <summary>
    /// Adds a route in front of the existing ones with the same destination, table, metric and TOS (<c>NLM_F_CREATE</c>
    /// without <c>NLM_F_EXCL</c>), so the kernel uses it first. Equivalent to <c>ip route prepend …</c>.
    /// </summary>
    /// <param name="spec">The route.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void Prepend(RouteSpec spec) => Modify(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.PrependFlags, spec);

    /// <summary>Prepends a route, asynchronously. Equivalent to <c>ip route prepend …</c>.</summary>
    /// <param name="spec">The route.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has added the route.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask PrependAsync(RouteSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.PrependFlags, spec, cancellationToken);

    /// <summary>
    /// Changes the existing route with the same destination, table, metric and TOS; never creates one
    /// (<c>NLM_F_REPLACE</c> without <c>NLM_F_CREATE</c>). Equivalent to <c>ip route change …</c>.
    /// </summary>
    /// <param name="spec">The route.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>ENOENT</c> (<see cref="LinuxNetException.IsNotFound"/>) when there is no such route to change.</exception>
    public void Change(RouteSpec spec) => Modify(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.ChangeFlags, spec);

    /// <summary>Changes an existing route, asynchronously. Equivalent to <c>ip route change …</c>.</summary>
    /// <param name="spec">The route.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has changed the route.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>ENOENT</c> when there is no such route).</exception>
    public ValueTask ChangeAsync(RouteSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.ChangeFlags, spec, cancellationToken);

    /// <summary>
    /// Deletes a route. Equivalent to <c>ip route del …</c>: what the spec leaves unset (type, protocol, scope, gateway, link)
    /// matches any value, so <c>new RouteSpec(prefix)</c> deletes the first route to that prefix in the table.
    /// </summary>
    /// <param name="spec">The route.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>ESRCH</c> (<see cref="LinuxNetException.IsNotFound"/>) when no route matches.</exception>
    public void Delete(RouteSpec spec) => Modify(LinuxRtnetlink.RTM_DELROUTE, RouteMessages.DeleteFlags, spec);

    /// <summary>Deletes a route, asynchronously. Equivalent to <c>ip route del …</c>.</summary>
    /// <param name="spec">The route.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has deleted the route.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteAsync(RouteSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_DELROUTE, RouteMessages.DeleteFlags, spec, cancellationToken);

    /// <summary>
    /// Lists routes of one family (or both) in one table (or all). Equivalent to <c>ip [-4|-6] route show [table T|all]</c>;
    /// the default lists every table, as <c>ip route show table all</c>, including the kernel's local-table routes.
    /// </summary>
    /// <param name="family">IPv4, IPv6, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <param name="table">The table (see <see cref="RouteTables"/>), or <see langword="null"/> for all tables.</param>
    /// <returns>The routes, in the kernel's order; empty when the table does not exist.</returns>
    /// <exception cref="ArgumentException">The family is not IPv4, IPv6 or Unspecified, or the table is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public IReadOnlyList<RouteInfo> List(AddressFamily family = AddressFamily.Unspecified, uint? table = null)
    {
        CheckTable(table);
        return SyncWait.Complete(ListCoreAsync<SyncWait>(family, table, default));
    }

    /// <summary>Lists routes, asynchronously. Equivalent to <c>ip [-4|-6] route show [table T|all]</c>.</summary>
    /// <param name="family">IPv4, IPv6, or Unspecified for both.</param>
    /// <param name="table">The table, or <see langword="null"/> for all tables.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The routes, in the kernel's order; empty when the table does not exist.</returns>
    /// <exception cref="ArgumentException">The family is not IPv4, IPv6 or Unspecified, or the table is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<RouteInfo>> ListAsync(AddressFamily family = AddressFamily.Unspecified, uint? table = null, CancellationToken cancellationToken = default)
    {
        CheckTable(table);
        return ListCoreAsync<AsyncWait>(family, table, cancellationToken);
    }

    /// <summary>
    /// Reads routes like <see cref="List"/>, without making objects: each route is handed to
    /// <paramref name="handler"/> as a <see cref="RouteView"/> read in place from the kernel's reply, for callers that
    /// look at many routes and keep few (count, filter, copy into their own structures).
    /// </summary>
    /// <typeparam name="TState">The caller's state passed to <paramref name="handler"/>.</typeparam>
    /// <param name="state">Passed to every call of <paramref name="handler"/>.</param>
    /// <param name="handler">Called once per route; the view is valid only during the call.</param>
    /// <param name="family">IPv4, IPv6, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <param name="table">The table, or <see langword="null"/> for all tables.</param>
    /// <param name="restart">
    /// Called before the dump is read again from the start because the kernel flagged it inconsistent, so the state can
    /// be cleared; when <see langword="null"/>, such a dump throws instead.
    /// </param>
    /// <returns>How many routes were handed to <paramref name="handler"/> in the final pass.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The family is not IPv4, IPv6 or Unspecified, or the table is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or the dump was interrupted and <paramref name="restart"/> is <see langword="null"/> (<c>EINTR</c>).</exception>
    /// <remarks>Allocates one small object per call and nothing per route.</remarks>
    public int Enumerate<TState>(TState state, RouteViewHandler<TState> handler, AddressFamily family = AddressFamily.Unspecified, uint? table = null, Action<TState>? restart = null)
    {
        CheckEnumerate(handler, table);
        return SyncWait.Complete(EnumerateCoreAsync<SyncWait, TState>(state, handler, family, table, restart, default));
    }

    /// <summary>Reads routes into <paramref name="handler"/> without making objects, asynchronously (see <see cref="Enumerate{TState}(TState, RouteViewHandler{TState}, AddressFamily, uint?, Action{TState}?)"/>).</summary>
    /// <typeparam name="TState">The caller's state passed to <paramref name="handler"/>.</typeparam>
    /// <param name="state">Passed to every call of <paramref name="handler"/>.</param>
    /// <param name="handler">Called once per route; the view is valid only during the call.</param>
    /// <param name="family">IPv4, IPv6, or Unspecified for both.</param>
    /// <param name="table">The table, or <see langword="null"/> for all tables.</param>
    /// <param name="restart">Called before an interrupted dump is read again; when <see langword="null"/>, such a dump throws.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>How many routes were handed to <paramref name="handler"/> in the final pass.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The family is not IPv4, IPv6 or Unspecified, or the table is 0.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or the dump was interrupted and <paramref name="restart"/> is <see langword="null"/>.</exception>
    public ValueTask<int> EnumerateAsync<TState>(TState state, RouteViewHandler<TState> handler, AddressFamily family = AddressFamily.Unspecified, uint? table = null, Action<TState>? restart = null, CancellationToken cancellationToken = default)
    {
        CheckEnumerate(handler, table);
        return EnumerateCoreAsync<AsyncWait, TState>(state, handler, family, table, restart, cancellationToken);
    }

    /// <summary>
    /// Lists routes like <see cref="List"/>, but repeats the dump until two consecutive dumps agree, for callers that
    /// need a consistent table while routes change: the kernel does not flag interrupted IPv6 route dumps
    /// (<c>NLM_F_DUMP_INTR</c>), so one dump under churn can miss routes without saying so.
    /// </summary>
    /// <param name="family">IPv4, IPv6, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <param name="table">The table, or <see langword="null"/> for all tables.</param>
    /// <param name="maxDumps">The most dumps to make (at least 2); when no two consecutive ones agreed, the call throws.</param>
    /// <returns>The routes of the last dump, equal (as a set) to the one before it.</returns>
    /// <exception cref="ArgumentException">A bad family or table, or <paramref name="maxDumps"/> below 2.</exception>
    /// <exception cref="NetlinkException">
    /// The kernel refused, or the table kept changing for <paramref name="maxDumps"/> dumps (<see cref="Errno.EAGAIN"/>).
    /// </exception>
    public IReadOnlyList<RouteInfo> ListVerified(AddressFamily family = AddressFamily.Unspecified, uint? table = null, int maxDumps = 5)
    {
        CheckVerified(table, maxDumps);
        return SyncWait.Complete(ListVerifiedCoreAsync<SyncWait>(family, table, maxDumps, default));
    }

    /// <summary>Lists routes until two consecutive dumps agree, asynchronously (see <see cref="ListVerified"/>).</summary>
    /// <param name="family">IPv4, IPv6, or Unspecified for both.</param>
    /// <param name="table">The table, or <see langword="null"/> for all tables.</param>
    /// <param name="maxDumps">The most dumps to make (at least 2).</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answers.</param>
    /// <returns>The routes of the last dump, equal (as a set) to the one before it.</returns>
    /// <exception cref="ArgumentException">A bad family or table, or <paramref name="maxDumps"/> below 2.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or the table kept changing (<see cref="Errno.EAGAIN"/>).</exception>
    public ValueTask<IReadOnlyList<RouteInfo>> ListVerifiedAsync(AddressFamily family = AddressFamily.Unspecified, uint? table = null, int maxDumps = 5, CancellationToken cancellationToken = default)
    {
        CheckVerified(table, maxDumps);
        return ListVerifiedCoreAsync<AsyncWait>(family, table, maxDumps, cancellationToken);
    }

    /// <summary>
    /// Deletes the routes of one table, optionally of one family and one output link. Equivalent to
    /// <c>ip [-4|-6] route flush [table T] [dev LINK]</c> (whose table is main unless given).
    /// </summary>
    /// <param name="table">The table (see <see cref="RouteTables"/>); <see cref="RouteTables.Main"/> as with <c>ip route flush</c>.</param>
    /// <param name="family">IPv4, IPv6, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <param name="link">Only routes out of this link (by name or index), or <see langword="null"/> for every route of the table.</param>
    /// <returns>How many routes this call deleted (a route that went away meanwhile is not counted).</returns>
    /// <remarks>
    /// One dump, then one <c>RTM_DELROUTE</c> per route, written by the same encoder as <see cref="Delete(RouteSpec)"/>
    /// from the route's destination, table, type, metric, output link and gateway. Like iproute2, it leaves IPv6's
    /// "unreachable default metric 4294967295" alone.
    /// </remarks>
    /// <exception cref="ArgumentException">The family is not IPv4, IPv6 or Unspecified, the table is 0, or the link reference is invalid.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>ENODEV</c> for a missing link).</exception>
    public int Flush(uint table = RouteTables.Main, AddressFamily family = AddressFamily.Unspecified, LinkReference? link = null)
    {
        CheckFlushArguments(table, family, link);
        return SyncWait.Complete(FlushCoreAsync<SyncWait>(table, family, link, default));
    }

    /// <summary>Deletes the routes of one table, asynchronously. Equivalent to <c>ip [-4|-6] route flush [table T] [dev LINK]</c>.</summary>
    /// <param name="table">The table; <see cref="RouteTables.Main"/> as with <c>ip route flush</c>.</param>
    /// <param name="family">IPv4, IPv6, or Unspecified for both.</param>
    /// <param name="link">Only routes out of this link, or <see langword="null"/> for every route of the table.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answers.</param>
    /// <returns>How many routes this call deleted.</returns>
    /// <exception cref="ArgumentException">The family, table or link reference is invalid.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<int> FlushAsync(uint table = RouteTables.Main, AddressFamily family = AddressFamily.Unspecified, LinkReference? link = null, CancellationToken cancellationToken = default)
    {
        CheckFlushArguments(table, family, link);
        return FlushCoreAsync<AsyncWait>(table, family, link, cancellationToken);
    }

    /// <summary>
    /// Asks the kernel which route it would use for <paramref name="destination"/>: the output link, gateway, preferred
    /// source and table. Equivalent to <c>ip route get ADDRESS</c>.
    /// </summary>
    /// <param name="destination">An IPv4 or IPv6 address.</param>
    /// <returns>The route as resolved for this destination (its <see cref="RouteInfo.Destination"/> is the host prefix).</returns>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>ENETUNREACH</c> when no route leads there.</exception>
    public RouteInfo Get(IPAddress destination) => Get(new RouteLookup(destination));

    /// <summary>Asks the kernel which route it would use, asynchronously. Equivalent to <c>ip route get ADDRESS</c>.</summary>
    /// <param name="destination">An IPv4 or IPv6 address.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The route as resolved for this destination.</returns>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>ENETUNREACH</c> when no route leads there.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter of another type; a call cannot be ambiguous.")]
    public ValueTask<RouteInfo> GetAsync(IPAddress destination, CancellationToken cancellationToken = default)
        => GetAsync(new RouteLookup(destination), cancellationToken);

    /// <summary>
    /// Asks the kernel which route a packet described by <paramref name="lookup"/> would take (source, input or output
    /// link, TOS, mark, uid, protocol and ports, or the matching table entry with <see cref="RouteLookup.FibMatch"/>).
    /// Equivalent to <c>ip route get … ADDRESS from … iif … oif … mark …</c>.
    /// </summary>
    /// <param name="lookup">The destination and the packet's circumstances.</param>
    /// <returns>The route as the kernel resolved it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lookup"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lookup is inconsistent (a source of the other family, a bad link name, ports without TCP/UDP); nothing is sent.</exception>
    /// <exception cref="NetlinkException">
    /// The kernel refused: <c>ENETUNREACH</c> or <c>EHOSTUNREACH</c> when no route leads there (or a rule prohibits it),
    /// <c>ENODEV</c> for a missing link, <c>EINVAL</c> for a martian source on an input link.
    /// </exception>
    public RouteInfo Get(RouteLookup lookup)
    {
        CheckLookup(lookup);
        return SyncWait.Complete(GetCoreAsync<SyncWait>(lookup, default));
    }

    /// <summary>Asks the kernel which route a packet described by <paramref name="lookup"/> would take, asynchronously.</summary>
    /// <param name="lookup">The destination and the packet's circumstances.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The route as the kernel resolved it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lookup"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lookup is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused (see <see cref="Get(RouteLookup)"/>).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter of another type; a call cannot be ambiguous.")]
    public ValueTask<RouteInfo> GetAsync(RouteLookup lookup, CancellationToken cancellationToken = default)
    {
        CheckLookup(lookup);
        return GetCoreAsync<AsyncWait>(lookup, cancellationToken);
    }

    private static void CheckLookup(RouteLookup lookup)
    {
        if (lookup is null)
        {
            throw new ArgumentNullException(nameof(lookup));
        }

        lookup.Validate(nameof(lookup));
    }

    private static NetlinkProtocolException NoAnswer(IPAddress destination)
        => new($"The kernel acknowledged RTM_GETROUTE for {destination} without returning a route.");

    private static void CheckTable(uint? table)
    {
        if (table == 0)
        {
            throw new ArgumentException("Table 0 (RT_TABLE_UNSPEC) is not a routing table; use null for all tables.", nameof(table));
        }
    }

    private void Modify(ushort type, NetlinkMessageFlags flags, RouteSpec spec)
    {
        RouteMessages.Validate(spec, type == LinuxRtnetlink.RTM_DELROUTE);
        int linkIndex = spec.Link is { IsName: true } named ? SyncWait.Complete(Pipeline.GetIndexAsync<SyncWait>(named.Name!, default, OperationName.Of(type, flags))) : spec.Link?.Index ?? 0;
        int[] hopIndexes = spec.NextHopList.Count == 0 ? Array.Empty<int>() : SyncWait.Complete(ResolveHopsAsync<SyncWait>(type, flags, spec, default));
        try
        {
            Pipeline.Execute((type, flags, spec, linkIndex, hopIndexes), RouteMessages.WriteModify, RouteMessages.GetMaxSize(spec));
        }
        catch (NetlinkException e) when (IsUnsupported(e, spec, out string? feature))
        {
            throw Unsupported(e, feature);
        }
    }

    private ValueTask ModifyAsync(ushort type, NetlinkMessageFlags flags, RouteSpec spec, CancellationToken cancellationToken)
    {
        RouteMessages.Validate(spec, type == LinuxRtnetlink.RTM_DELROUTE);
        return ModifyCoreAsync<AsyncWait>(type, flags, spec, cancellationToken);
    }

    private async ValueTask ModifyCoreAsync<TWait>(ushort type, NetlinkMessageFlags flags, RouteSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int linkIndex = spec.Link is { IsName: true } named ? await Pipeline.GetIndexAsync<TWait>(named.Name!, cancellationToken, OperationName.Of(type, flags)).ConfigureAwait(false) : spec.Link?.Index ?? 0;
        int[] hopIndexes = spec.NextHopList.Count == 0 ? Array.Empty<int>() : await ResolveHopsAsync<TWait>(type, flags, spec, cancellationToken).ConfigureAwait(false);
        try
        {
            await Pipeline.ExecuteAsync<TWait, (ushort, NetlinkMessageFlags, RouteSpec, int, int[])>((type, flags, spec, linkIndex, hopIndexes), RouteMessages.WriteModify, cancellationToken, RouteMessages.GetMaxSize(spec)).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (IsUnsupported(e, spec, out string? feature))
        {
            throw Unsupported(e, feature);
        }
    }

    /// <summary>The interface index of each next hop's link, looked up where it is a name.</summary>
    private async ValueTask<int[]> ResolveHopsAsync<TWait>(ushort type, NetlinkMessageFlags flags, RouteSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int[] hopIndexes = new int[spec.NextHopList.Count];
        for (int i = 0; i < hopIndexes.Length; i++)
        {
            hopIndexes[i] = await Pipeline.ResolveAsync<TWait>(spec.NextHopList[i].Link, cancellationToken, OperationName.Of(type, flags)).ConfigureAwait(false);
        }

        return hopIndexes;
    }

    private const string NotSupportedText = "is not supported by this kernel";

    /// <summary>Whether the kernel refused a feature of <paramref name="spec"/> it was built without (MPLS, seg6 encapsulation).</summary>
    private static bool IsUnsupported(NetlinkException e, RouteSpec spec, [NotNullWhen(true)] out string? feature)
    {
        feature = e.Errno is Errno.EOPNOTSUPP or Errno.EAFNOSUPPORT ? RouteMessages.KernelFeatureOf(spec) : null;
        return feature is not null;
    }

    /// <summary>The refusal of a feature the kernel lacks, in words: "… is not supported by this kernel".</summary>
    private static NetlinkException Unsupported(NetlinkException e, string feature)
    {
        string what = e.Operation;
        return RequestPipeline.Rewrap(e, what, $"{what}: {feature} {NotSupportedText}: {e.Errno}" + (e.ExtendedAckMessage is { } text ? $". Error: {text}." : "."));
    }

    /// <summary>The delete request for <paramref name="route"/>: destination, table, type, metric, output link and gateway, what the kernel matches on.</summary>
    internal static RouteSpec ToDeleteSpec(RouteInfo route) => new(route.Destination)
    {
        Table = route.Table,
        Type = route.Type,
        Metric = route.Metric,
        Link = route.NextHops.Count == 0 && route.LinkIndex > 0 ? route.LinkIndex : null,
        Gateway = route.NextHops.Count == 0 ? route.Gateway : null,
    };

    private static void CheckFlushArguments(uint table, AddressFamily family, LinkReference? link)
    {
        CheckTable(table);
        if (family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Family must be InterNetwork, InterNetworkV6 or Unspecified, not {family}.", nameof(family));
        }

        link?.Validate(nameof(link));
    }

    private static bool IsKernelUnreachableDefault(RouteInfo route)
        => route.Family == AddressFamily.InterNetworkV6 && route.Destination.PrefixLength == 0 && route.Type == RouteType.Unreachable && route.Metric == uint.MaxValue;

    private async ValueTask<int> FlushCoreAsync<TWait>(uint table, AddressFamily family, LinkReference? link, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await Pipeline.ResolveAsync<TWait>(link, cancellationToken, "ip route flush").ConfigureAwait(false);
        int deleted = 0;
        foreach (RouteInfo route in await ListCoreAsync<TWait>(family, table, cancellationToken).ConfigureAwait(false))
        {
            if (route.IsCloned || IsKernelUnreachableDefault(route) || (index != 0 && !LeavesBy(route, index)))
            {
                continue;
            }

            try
            {
                await ModifyCoreAsync<TWait>(LinuxRtnetlink.RTM_DELROUTE, RouteMessages.DeleteFlags, ToDeleteSpec(route), cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ESRCH)
            {
                // Gone since the dump (deleted with its address or link, or by someone else).
            }
        }

        return deleted;
    }

    private static bool LeavesBy(RouteInfo route, int index)
    {
        if (route.LinkIndex == index)
        {
            return true;
        }

        foreach (RouteNextHopInfo hop in route.NextHops)
        {
            if (hop.LinkIndex == index)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckVerified(uint? table, int maxDumps)
    {
        CheckTable(table);
        if (maxDumps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDumps), maxDumps, "Two dumps at least are needed to compare.");
        }
    }

    private async ValueTask<IReadOnlyList<RouteInfo>> ListVerifiedCoreAsync<TWait>(AddressFamily family, uint? table, int maxDumps, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        IReadOnlyList<RouteInfo> previous = await ListCoreAsync<TWait>(family, table, cancellationToken).ConfigureAwait(false);
        HashSet<string> previousKeys = Keys(previous);
        for (int dump = 2; dump <= maxDumps; dump++)
        {
            IReadOnlyList<RouteInfo> current = await ListCoreAsync<TWait>(family, table, cancellationToken).ConfigureAwait(false);
            HashSet<string> currentKeys = Keys(current);
            if (currentKeys.SetEquals(previousKeys))
            {
                return current;
            }

            previousKeys = currentKeys;
        }

        throw new NetlinkException(Errno.EAGAIN, "ip route show", $"ip route show: the routing table kept changing; no two of {maxDumps} consecutive dumps agreed: EAGAIN (11).", null, null, LinuxRtnetlink.RTM_GETROUTE, 0);
    }

    // What identifies a route for the kernel (ip route's key: table, family, destination, tos, metric) and what it says.
    private static HashSet<string> Keys(IReadOnlyList<RouteInfo> routes)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (RouteInfo r in routes)
        {
            var key = new System.Text.StringBuilder();
            key.Append(r.Table).Append(' ').Append(r.Destination.ToString()).Append(' ').Append(r.Tos).Append(' ').Append(r.Metric)
                .Append(' ').Append((int)r.Type).Append(' ').Append(r.Gateway).Append(' ').Append(r.LinkIndex).Append(' ').Append(r.Source?.ToString());
            foreach (RouteNextHopInfo hop in r.NextHops)
            {
                key.Append(" nh ").Append(hop.Gateway).Append('@').Append(hop.LinkIndex);
            }

            keys.Add(key.ToString());
        }

        return keys;
    }

    private async ValueTask<IReadOnlyList<RouteInfo>> ListCoreAsync<TWait>(AddressFamily family, uint? table, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        var state = new ListState(table);
        try
        {
            await Pipeline.QueryAsync<TWait, (AddressFamily, uint?), ListState>((family, table), RouteMessages.WriteDump, state, ListHandler, ListRestart, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (table is not null && e.Errno == Errno.ENOENT)
        {
            // "ipv4: FIB table does not exist": an empty table.
            state.Results.Clear();
        }

        return state.Results;
    }

    private async ValueTask<RouteInfo> GetCoreAsync<TWait>(RouteLookup lookup, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int input = await Pipeline.ResolveAsync<TWait>(lookup.InputLink, cancellationToken, "ip route get").ConfigureAwait(false);
        int output = await Pipeline.ResolveAsync<TWait>(lookup.OutputLink, cancellationToken, "ip route get").ConfigureAwait(false);
        var result = new RouteInfo?[1];
        await Pipeline.QueryAsync<TWait, (RouteLookup, int, int), RouteInfo?[]>((lookup, input, output), RouteMessages.WriteGet, result, GetHandler, null, cancellationToken).ConfigureAwait(false);
        return result[0] ?? throw NoAnswer(lookup.Destination);
    }

    private static void CheckEnumerate(Delegate handler, uint? table)
    {
        if (handler is null)
        {
            throw new ArgumentNullException(nameof(handler));
        }

        CheckTable(table);
    }

    private async ValueTask<int> EnumerateCoreAsync<TWait, TState>(TState state, RouteViewHandler<TState> handler, AddressFamily family, uint? table, Action<TState>? restart, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        var visit = new ViewState<TState>(state, handler, table, restart);
        try
        {
            await Pipeline.QueryAsync<TWait, (AddressFamily, uint?), ViewState<TState>>((family, table), RouteMessages.WriteDump, visit, ViewState<TState>.Handler, restart is null ? null : ViewState<TState>.Restart, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (table is not null && e.Errno == Errno.ENOENT)
        {
            // "ipv4: FIB table does not exist": an empty table.
            return 0;
        }

        return visit.Count;
    }

    /// <summary>One <see cref="Enumerate{TState}(TState, RouteViewHandler{TState}, AddressFamily, uint?, Action{TState}?)"/> call: the caller's state and handler, the table filter, the count.</summary>
    private sealed class ViewState<TState>
    {
        internal static readonly NetlinkMessageHandler<ViewState<TState>> Handler = static (message, visit) => visit.Visit(message);
        internal static readonly Action<ViewState<TState>> Restart = static visit =>
        {
            visit.Count = 0;
            visit._restart!(visit._state);
        };

        private readonly TState _state;
        private readonly RouteViewHandler<TState> _handler;
        private readonly uint? _table;
        private readonly Action<TState>? _restart;

        internal ViewState(TState state, RouteViewHandler<TState> handler, uint? table, Action<TState>? restart)
        {
            _state = state;
            _handler = handler;
            _table = table;
            _restart = restart;
        }

        internal int Count { get; private set; }

        private void Visit(in NetlinkMessage message)
        {
            if (message.Type != LinuxRtnetlink.RTM_NEWROUTE || message.Payload.Length < 1 || message.Payload[0] is not (LinuxSocket.AF_INET or LinuxSocket.AF_INET6))
            {
                return;
            }

            var view = new RouteView(message);
            if (_table is null || view.Table == _table)
            {
                Count++;
                _handler(view, _state);
            }
        }
    }

    private sealed class ListState
    {
        private readonly uint? _table;

        internal ListState(uint? table) => _table = table;

        internal List<RouteInfo> Results { get; } = new();

        internal void Add(in NetlinkMessage message)
        {
            if (message.Type != LinuxRtnetlink.RTM_NEWROUTE)
            {
                return;
            }

            RouteInfo? info = RouteMessages.Parse(message);
            if (info is not null && (_table is null || info.Table == _table))
            {
                Results.Add(info);
            }
        }
    }
}
