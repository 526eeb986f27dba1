using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// What <c>tc</c> does: adds, replaces, changes, deletes and lists queueing disciplines (<c>tc qdisc</c>), classes
/// (<c>tc class</c>) and filters (<c>tc filter</c>) over the rtnetlink socket of its session
/// (<see cref="RtnetlinkSession.TrafficControl"/>).
/// </summary>
/// <remarks>
/// <para>
/// Requests are written byte for byte as iproute2's <c>tc</c> writes them, rate tables and burst times included
/// (computed from <c>/proc/net/psched</c>). Bad options are refused with an <see cref="ArgumentException"/> before
/// anything is sent; a kernel refusal is a <see cref="NetlinkException"/> with the errno and the kernel's text, and a
/// kind the kernel does not have is a <see cref="TcKindNotSupportedException"/>.
/// </para>
/// <para>Changing anything needs <c>CAP_NET_ADMIN</c> in the session's namespace.</para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// </remarks>
public sealed class TrafficControlManager
{
    private const NetlinkMessageFlags AddFlags = NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive;

    private static readonly RequestEncoder<TcRequest> Encode = TcMessages.Write;
    private static readonly RequestEncoder<TcObjectKey> EncodeKey = TcMessages.WriteKey;
    private static readonly ReplyParser<QdiscInfo> ParseQdisc = QdiscInfo.Parse;
    private static readonly ReplyParser<TcClassInfo> ParseClass = TcClassInfo.Parse;
    private static readonly ReplyParser<TcFilterInfo> ParseFilter = TcFilterInfo.Parse;

    private readonly RequestPipeline _pipeline;

    internal TrafficControlManager(RequestPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Adds a qdisc; fails if one is there. Equivalent to <c>tc qdisc add dev DEV … KIND …</c>.</summary>
    /// <param name="spec">The qdisc.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option (rate 0, a burst smaller than the MTU, a handle with a minor…).</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such qdisc kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>EEXIST</c>).</exception>
    public void AddQdisc(QdiscSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), AddFlags, "tc qdisc add", default));

    /// <summary>Adds a qdisc asynchronously. Equivalent to <c>tc qdisc add …</c>.</summary>
    /// <param name="spec">The qdisc.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such qdisc kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AddQdiscAsync(QdiscSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), AddFlags, "tc qdisc add", cancellationToken);

    /// <summary>Adds a qdisc or replaces the one at the same parent. Equivalent to <c>tc qdisc replace …</c>.</summary>
    /// <param name="spec">The qdisc.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such qdisc kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void ReplaceQdisc(QdiscSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), NetlinkMessageFlags.Create | NetlinkMessageFlags.Replace, "tc qdisc replace", default));

    /// <summary>Adds or replaces a qdisc asynchronously. Equivalent to <c>tc qdisc replace …</c>.</summary>
    /// <param name="spec">The qdisc.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such qdisc kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ReplaceQdiscAsync(QdiscSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), NetlinkMessageFlags.Create | NetlinkMessageFlags.Replace, "tc qdisc replace", cancellationToken);

    /// <summary>Changes the options of an existing qdisc (same kind and handle). Equivalent to <c>tc qdisc change …</c>.</summary>
    /// <param name="spec">The qdisc with its new options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>ENOENT</c> when there is no such qdisc).</exception>
    public void ChangeQdisc(QdiscSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), 0, "tc qdisc change", default));

    /// <summary>Changes a qdisc asynchronously. Equivalent to <c>tc qdisc change …</c>.</summary>
    /// <param name="spec">The qdisc with its new options.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ChangeQdiscAsync(QdiscSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), 0, "tc qdisc change", cancellationToken);

    /// <summary>Deletes a qdisc (and its classes and filters). Equivalent to <c>tc qdisc del dev DEV (root | parent P | ingress) [handle H] [KIND]</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent"><see cref="TcHandle.Root"/>, a class, or <see cref="TcHandle.Ingress"/> for the ingress/clsact qdisc.</param>
    /// <param name="handle">The qdisc's handle, or <see cref="TcHandle.None"/> for whichever is at <paramref name="parent"/>.</param>
    /// <param name="kind">The kind, sent as tc sends it when given (<c>tc qdisc del dev DEV ingress</c>), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A bad device name, or <paramref name="parent"/> is <see cref="TcHandle.None"/>.</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>ENOENT</c>, or <c>EINVAL</c> for a device's default qdisc).</exception>
    public void DeleteQdisc(LinkReference link, TcHandle parent, TcHandle handle = default, string? kind = null)
        => SyncWait.Complete(DeleteAsync<SyncWait>(CheckParent(link, parent, nameof(parent)), LinuxPktSched.RTM_DELQDISC, handle.Value, parent.Value, 0, kind, "tc qdisc del", default));

    /// <summary>Deletes a qdisc asynchronously. Equivalent to <c>tc qdisc del …</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent"><see cref="TcHandle.Root"/>, a class, or <see cref="TcHandle.Ingress"/>.</param>
    /// <param name="handle">The qdisc's handle, or <see cref="TcHandle.None"/>.</param>
    /// <param name="kind">The kind, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentException">A bad device name, or <paramref name="parent"/> is <see cref="TcHandle.None"/>.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteQdiscAsync(LinkReference link, TcHandle parent, TcHandle handle = default, string? kind = null, CancellationToken cancellationToken = default)
        => DeleteAsync<AsyncWait>(CheckParent(link, parent, nameof(parent)), LinuxPktSched.RTM_DELQDISC, handle.Value, parent.Value, 0, kind, "tc qdisc del", cancellationToken);

    /// <summary>Lists the qdiscs of one device, or of every device. Equivalent to <c>tc -s qdisc show [dev DEV]</c>.</summary>
    /// <param name="link">The device, or <see langword="null"/> for all.</param>
    /// <returns>The qdiscs in the kernel's order, with their statistics.</returns>
    /// <exception cref="ArgumentException">A bad device name.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or no such device.</exception>
    public IReadOnlyList<QdiscInfo> ListQdiscs(LinkReference? link = null)
        => SyncWait.Complete(ListQdiscsAsync<SyncWait>(CheckOptional(link), default));

    /// <summary>Lists qdiscs asynchronously. Equivalent to <c>tc -s qdisc show [dev DEV]</c>.</summary>
    /// <param name="link">The device, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The qdiscs in the kernel's order.</returns>
    /// <exception cref="ArgumentException">A bad device name.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or no such device.</exception>
    public ValueTask<IReadOnlyList<QdiscInfo>> ListQdiscsAsync(LinkReference? link = null, CancellationToken cancellationToken = default)
        => ListQdiscsAsync<AsyncWait>(CheckOptional(link), cancellationToken);

    /// <summary>Adds a class; fails if it exists. Equivalent to <c>tc class add dev DEV parent P classid C KIND …</c>.</summary>
    /// <param name="spec">The class.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option (rate 0, a class id without a minor…).</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. a parent qdisc that has no classes: the kernel's text is kept).</exception>
    public void AddClass(TcClassSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), AddFlags, "tc class add", default));

    /// <summary>Adds a class asynchronously. Equivalent to <c>tc class add …</c>.</summary>
    /// <param name="spec">The class.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AddClassAsync(TcClassSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), AddFlags, "tc class add", cancellationToken);

    /// <summary>Adds a class or changes the existing one. Equivalent to <c>tc class replace …</c>.</summary>
    /// <param name="spec">The class.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void ReplaceClass(TcClassSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), NetlinkMessageFlags.Create, "tc class replace", default));

    /// <summary>Adds or changes a class asynchronously. Equivalent to <c>tc class replace …</c>.</summary>
    /// <param name="spec">The class.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ReplaceClassAsync(TcClassSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), NetlinkMessageFlags.Create, "tc class replace", cancellationToken);

    /// <summary>Changes an existing class. Equivalent to <c>tc class change …</c>.</summary>
    /// <param name="spec">The class with its new options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>ENOENT</c>).</exception>
    public void ChangeClass(TcClassSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), 0, "tc class change", default));

    /// <summary>Changes a class asynchronously. Equivalent to <c>tc class change …</c>.</summary>
    /// <param name="spec">The class with its new options.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ChangeClassAsync(TcClassSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), 0, "tc class change", cancellationToken);

    /// <summary>Deletes a class. Equivalent to <c>tc class del dev DEV classid C</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="classId">The class id.</param>
    /// <exception cref="ArgumentException">A bad device name or class id.</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>ENOENT</c>, <c>EBUSY</c> while filters use it).</exception>
    public void DeleteClass(LinkReference link, TcHandle classId)
        => SyncWait.Complete(DeleteAsync<SyncWait>(CheckClassId(link, classId), LinuxPktSched.RTM_DELTCLASS, classId.Value, 0, 0, null, "tc class del", default));

    /// <summary>Deletes a class asynchronously. Equivalent to <c>tc class del dev DEV classid C</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="classId">The class id.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentException">A bad device name or class id.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteClassAsync(LinkReference link, TcHandle classId, CancellationToken cancellationToken = default)
        => DeleteAsync<AsyncWait>(CheckClassId(link, classId), LinuxPktSched.RTM_DELTCLASS, classId.Value, 0, 0, null, "tc class del", cancellationToken);

    /// <summary>Lists the classes of a device. Equivalent to <c>tc -s class show dev DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <returns>The classes, with their statistics.</returns>
    /// <exception cref="ArgumentException">A bad device name.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or no such device.</exception>
    public IReadOnlyList<TcClassInfo> ListClasses(LinkReference link)
        => SyncWait.Complete(ListAsync<SyncWait, TcClassInfo>(Check(link), LinuxPktSched.RTM_GETTCLASS, 0, ParseClass, "tc class show", default));

    /// <summary>Lists classes asynchronously. Equivalent to <c>tc -s class show dev DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The classes.</returns>
    /// <exception cref="ArgumentException">A bad device name.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or no such device.</exception>
    public ValueTask<IReadOnlyList<TcClassInfo>> ListClassesAsync(LinkReference link, CancellationToken cancellationToken = default)
        => ListAsync<AsyncWait, TcClassInfo>(Check(link), LinuxPktSched.RTM_GETTCLASS, 0, ParseClass, "tc class show", cancellationToken);

    /// <summary>Adds a filter; fails if one with the same priority and handle exists. Equivalent to <c>tc filter add dev DEV parent P protocol PROTO prio N KIND …</c>.</summary>
    /// <param name="spec">The filter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option (no matches, a bad prefix, a bad action device name…).</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such classifier or action.</exception>
    /// <exception cref="NetlinkException">The kernel refused (the parent does not exist, a mirred target is missing…).</exception>
    public void AddFilter(TcFilterSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), AddFlags, "tc filter add", default));

    /// <summary>Adds a filter asynchronously. Equivalent to <c>tc filter add …</c>.</summary>
    /// <param name="spec">The filter.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such classifier or action.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AddFilterAsync(TcFilterSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), AddFlags, "tc filter add", cancellationToken);

    /// <summary>Adds a filter or replaces the one with the same handle. Equivalent to <c>tc filter replace …</c>.</summary>
    /// <param name="spec">The filter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such classifier or action.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void ReplaceFilter(TcFilterSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), NetlinkMessageFlags.Create, "tc filter replace", default));

    /// <summary>Adds or replaces a filter asynchronously. Equivalent to <c>tc filter replace …</c>.</summary>
    /// <param name="spec">The filter.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="TcKindNotSupportedException">The kernel has no such classifier or action.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ReplaceFilterAsync(TcFilterSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), NetlinkMessageFlags.Create, "tc filter replace", cancellationToken);

    /// <summary>Changes an existing filter (by its handle). Equivalent to <c>tc filter change …</c>.</summary>
    /// <param name="spec">The filter with its new options; <see cref="TcFilterSpec.Handle"/> names it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>ENOENT</c>).</exception>
    public void ChangeFilter(TcFilterSpec spec) => SyncWait.Complete(ModifyAsync<SyncWait>(Check(spec), 0, "tc filter change", default));

    /// <summary>Changes a filter asynchronously. Equivalent to <c>tc filter change …</c>.</summary>
    /// <param name="spec">The filter with its new options.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ChangeFilterAsync(TcFilterSpec spec, CancellationToken cancellationToken = default) => ModifyAsync<AsyncWait>(Check(spec), 0, "tc filter change", cancellationToken);

    /// <summary>
    /// Deletes filters: every filter of <paramref name="parent"/> when <paramref name="priority"/> is 0, the filters of
    /// one priority, or one node by <paramref name="handle"/>. Equivalent to <c>tc filter del dev DEV parent P [prio N] [protocol PROTO] [handle H KIND]</c>.
    /// </summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The qdisc or class the filters are attached to.</param>
    /// <param name="priority">The priority, or 0 for all.</param>
    /// <param name="protocol">The protocol, or <see cref="TcProtocol.Unspecified"/>.</param>
    /// <param name="handle">One node's handle (needs <paramref name="kind"/>), or 0.</param>
    /// <param name="kind">The kind (<c>u32</c>), needed with a handle; or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A bad device name or parent, or a handle without a kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>ENOENT</c>).</exception>
    public void DeleteFilter(LinkReference link, TcHandle parent, ushort priority = 0, TcProtocol protocol = TcProtocol.Unspecified, uint handle = 0, string? kind = null)
        => SyncWait.Complete(DeleteAsync<SyncWait>(CheckFilterKey(link, parent, handle, kind), LinuxPktSched.RTM_DELTFILTER, handle, parent.Value, TcMessages.FilterInfo(priority, protocol), kind, "tc filter del", default));

    /// <summary>Deletes filters asynchronously. Equivalent to <c>tc filter del …</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The qdisc or class the filters are attached to.</param>
    /// <param name="priority">The priority, or 0 for all.</param>
    /// <param name="protocol">The protocol, or <see cref="TcProtocol.Unspecified"/>.</param>
    /// <param name="handle">One node's handle (needs <paramref name="kind"/>), or 0.</param>
    /// <param name="kind">The kind, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentException">A bad device name or parent, or a handle without a kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteFilterAsync(LinkReference link, TcHandle parent, ushort priority = 0, TcProtocol protocol = TcProtocol.Unspecified, uint handle = 0, string? kind = null, CancellationToken cancellationToken = default)
        => DeleteAsync<AsyncWait>(CheckFilterKey(link, parent, handle, kind), LinuxPktSched.RTM_DELTFILTER, handle, parent.Value, TcMessages.FilterInfo(priority, protocol), kind, "tc filter del", cancellationToken);

    /// <summary>Reads one filter node. Equivalent to <c>tc filter get dev DEV parent P protocol PROTO prio N handle H KIND</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The qdisc or class the filter is attached to.</param>
    /// <param name="priority">The priority.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="handle">The node's handle (u32's <c>800::800</c> is 0x80000800).</param>
    /// <param name="kind">The kind (<c>u32</c>).</param>
    /// <returns>The filter, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="ArgumentException">A bad device name, parent, handle 0 or no kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public TcFilterInfo? GetFilter(LinkReference link, TcHandle parent, ushort priority, TcProtocol protocol, uint handle, string kind)
        => SyncWait.Complete(GetFilterAsync<SyncWait>(CheckGet(link, parent, handle, kind), parent, TcMessages.FilterInfo(priority, protocol), handle, kind, default));

    /// <summary>Reads one filter node asynchronously. Equivalent to <c>tc filter get …</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The qdisc or class the filter is attached to.</param>
    /// <param name="priority">The priority.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="handle">The node's handle.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The filter, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="ArgumentException">A bad device name, parent, handle 0 or no kind.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<TcFilterInfo?> GetFilterAsync(LinkReference link, TcHandle parent, ushort priority, TcProtocol protocol, uint handle, string kind, CancellationToken cancellationToken = default)
        => GetFilterAsync<AsyncWait>(CheckGet(link, parent, handle, kind), parent, TcMessages.FilterInfo(priority, protocol), handle, kind, cancellationToken);

    /// <summary>Lists the filters of a qdisc or class. Equivalent to <c>tc -s filter show dev DEV parent P</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The qdisc or class (<c>1:</c>, <see cref="TcHandle.IngressFilters"/>…).</param>
    /// <returns>The filter nodes in the kernel's order (a u32 filter is several nodes), with action statistics.</returns>
    /// <exception cref="ArgumentException">A bad device name or parent.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or no such device or parent.</exception>
    public IReadOnlyList<TcFilterInfo> ListFilters(LinkReference link, TcHandle parent)
        => SyncWait.Complete(ListAsync<SyncWait, TcFilterInfo>(CheckParent(link, parent, nameof(parent)), LinuxPktSched.RTM_GETTFILTER, parent.Value, ParseFilter, "tc filter show", default));

    /// <summary>Lists filters asynchronously. Equivalent to <c>tc -s filter show dev DEV parent P</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The qdisc or class.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The filter nodes in the kernel's order.</returns>
    /// <exception cref="ArgumentException">A bad device name or parent.</exception>
    /// <exception cref="NetlinkException">The kernel refused, or no such device or parent.</exception>
    public ValueTask<IReadOnlyList<TcFilterInfo>> ListFiltersAsync(LinkReference link, TcHandle parent, CancellationToken cancellationToken = default)
        => ListAsync<AsyncWait, TcFilterInfo>(CheckParent(link, parent, nameof(parent)), LinuxPktSched.RTM_GETTFILTER, parent.Value, ParseFilter, "tc filter show", cancellationToken);

    /// <summary>Copies a kernel refusal with tc's command as the operation; a missing kind becomes <see cref="TcKindNotSupportedException"/>.</summary>
    internal static NetlinkException Wrap(NetlinkException e, string operation, string? kind)
    {
        string? text = e.ExtendedAckMessage;
        bool unknownKind = e.Errno == Errno.ENOENT && text is not null
            && (text.Contains("kind is unknown") || text.Contains("classifier not found") || text.Contains("load TC action module"));
        return unknownKind && kind is not null ? new TcKindNotSupportedException(kind, operation, e) : RequestPipeline.Rewrap(e, operation);
    }

    private static T Check<T>(T spec)
        where T : class
    {
        switch (spec)
        {
            case null:
                throw new ArgumentNullException(nameof(spec));
            case QdiscSpec qdisc:
                qdisc.Validate();
                break;
            case TcClassSpec tclass:
                tclass.Validate();
                break;
            case TcFilterSpec filter:
                filter.Validate();
                break;
        }

        return spec;
    }

    private static LinkReference Check(LinkReference link)
    {
        link.Validate(nameof(link));
        return link;
    }

    private static LinkReference? CheckOptional(LinkReference? link)
    {
        link?.Validate(nameof(link));
        return link;
    }

    private static LinkReference CheckParent(LinkReference link, TcHandle parent, string name)
    {
        link.Validate(nameof(link));
        return parent == TcHandle.None ? throw new ArgumentException("A parent is needed (root, ingress, or a handle such as 1:).", name) : link;
    }

    private static LinkReference CheckClassId(LinkReference link, TcHandle classId)
    {
        link.Validate(nameof(link));
        return classId.Major == 0 || classId.Minor == 0 || classId == TcHandle.Root
            ? throw new ArgumentException($"A class id is MAJ:MIN with both non-zero, not {classId}.", nameof(classId))
            : link;
    }

    private static LinkReference CheckFilterKey(LinkReference link, TcHandle parent, uint handle, string? kind)
    {
        CheckParent(link, parent, nameof(parent));
        return handle != 0 && string.IsNullOrEmpty(kind) ? throw new ArgumentException("Deleting one filter node by handle needs its kind (e.g. u32).", nameof(kind)) : link;
    }

    private static LinkReference CheckGet(LinkReference link, TcHandle parent, uint handle, string kind)
    {
        CheckParent(link, parent, nameof(parent));
        if (handle == 0)
        {
            throw new ArgumentException("tc filter get needs the node's handle.", nameof(handle));
        }

        return string.IsNullOrEmpty(kind) ? throw new ArgumentException("tc filter get needs the filter's kind.", nameof(kind)) : link;
    }

    private static string KindOf(object spec) => spec switch
    {
        QdiscSpec q => q.Kind,
        TcClassSpec c => c.Kind,
        TcFilterSpec f => f.Kind,
        _ => string.Empty,
    };

    private static LinkReference LinkOf(object spec) => spec switch
    {
        QdiscSpec q => q.Link,
        TcClassSpec c => c.Link,
        _ => ((TcFilterSpec)spec).Link,
    };

    private async ValueTask ModifyAsync<TWait>(object spec, NetlinkMessageFlags flags, string operation, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await _pipeline.ResolveAsync<TWait>(LinkOf(spec), cancellationToken, operation).ConfigureAwait(false);
        int[]? targets = null;
        if (spec is TcFilterSpec { Actions.Count: > 0 } filter)
        {
            targets = new int[filter.Actions.Count];
            for (int i = 0; i < targets.Length; i++)
            {
                targets[i] = await _pipeline.ResolveAsync<TWait>(filter.Actions[i].Target, cancellationToken, operation).ConfigureAwait(false);
            }
        }

        try
        {
            await _pipeline.ExecuteAsync<TWait, TcRequest>(new TcRequest(spec, flags, index, targets), Encode, cancellationToken, TcMessages.RequestSize).ConfigureAwait(false);
        }
        catch (NetlinkException e)
        {
            throw Wrap(e, operation, KindOf(spec));
        }
    }

    private async ValueTask DeleteAsync<TWait>(LinkReference link, ushort type, uint handle, uint parent, uint info, string? kind, string operation, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await _pipeline.ResolveAsync<TWait>(link, cancellationToken, operation).ConfigureAwait(false);
        try
        {
            await _pipeline.ExecuteAsync<TWait, TcObjectKey>(new TcObjectKey(type, index, handle, parent, info, kind), EncodeKey, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e)
        {
            throw Wrap(e, operation, null);
        }
    }

    private async ValueTask<IReadOnlyList<QdiscInfo>> ListQdiscsAsync<TWait>(LinkReference? link, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await _pipeline.ResolveAsync<TWait>(link, cancellationToken, "tc qdisc show").ConfigureAwait(false);
        List<QdiscInfo> all;
        try
        {
            all = await _pipeline.ListAsync<TWait, TcObjectKey, QdiscInfo>(new TcObjectKey(LinuxPktSched.RTM_GETQDISC, index, 0, 0), EncodeKey, ParseQdisc, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e)
        {
            throw Wrap(e, "tc qdisc show", null);
        }

        // The kernel dumps every device's qdiscs whatever tcm_ifindex says; tc filters them itself.
        if (index != 0)
        {
            all.RemoveAll(q => q.LinkIndex != index);
        }

        return all;
    }

    private async ValueTask<IReadOnlyList<T>> ListAsync<TWait, T>(LinkReference link, ushort type, uint parent, ReplyParser<T> parse, string operation, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        where T : class
    {
        int index = await _pipeline.ResolveAsync<TWait>(link, cancellationToken, operation).ConfigureAwait(false);
        try
        {
            return await _pipeline.ListAsync<TWait, TcObjectKey, T>(new TcObjectKey(type, index, 0, parent), EncodeKey, parse, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e)
        {
            throw Wrap(e, operation, null);
        }
    }

    private async ValueTask<TcFilterInfo?> GetFilterAsync<TWait>(LinkReference link, TcHandle parent, uint info, uint handle, string kind, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await _pipeline.ResolveAsync<TWait>(link, cancellationToken, "tc filter get").ConfigureAwait(false);
        try
        {
            List<TcFilterInfo> found = await _pipeline.ListAsync<TWait, TcObjectKey, TcFilterInfo>(new TcObjectKey(LinuxPktSched.RTM_GETTFILTER, index, handle, parent.Value, info, kind), EncodeKey, ParseFilter, cancellationToken).ConfigureAwait(false);
            return found.Count == 0 ? null : found[0];
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
        catch (NetlinkException e)
        {
            throw Wrap(e, "tc filter get", null);
        }
    }
}
