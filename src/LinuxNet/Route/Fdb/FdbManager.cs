using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What <c>bridge fdb</c> does: adds, appends, replaces, deletes and lists forwarding database entries — of bridges
/// (on their ports, <see cref="FdbFlags.Master"/>) and of vxlan devices (remote VTEPs, <see cref="FdbFlags.Self"/>) —
/// over the socket of its <see cref="RtnetlinkSession"/> (<see cref="RtnetlinkSession.Fdb"/>); and what
/// <c>bridge link</c> does for the ports those entries live on (<see cref="ListPorts"/>, <see cref="SetPort"/>).
/// </summary>
/// <remarks>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// <para>Changing entries needs <c>CAP_NET_ADMIN</c> in the session's namespace; listing does not.</para>
/// <para>
/// Kernel refusals throw <see cref="NetlinkException"/> named as <c>bridge fdb add</c> (…): <c>EEXIST</c> for a
/// duplicate, <c>ENOENT</c> when deleting a missing entry, <c>EINVAL</c> for a VLAN on a bridge without VLAN filtering.
/// </para>
/// </remarks>
public sealed class FdbManager
{
    private readonly LinkManager _links;

    internal FdbManager(LinkManager links) => _links = links;

    private RequestPipeline Pipeline => _links.Pipeline;

    /// <summary>Adds an entry; fails if it exists. Equivalent to <c>bridge fdb add MAC dev LINK …</c> (see <see cref="FdbSpec"/>).</summary>
    /// <param name="spec">The entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec holds a bad flag, VLAN, VNI or link reference; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EEXIST</c>, <c>ENODEV</c>, <c>EINVAL</c> (a VLAN without VLAN filtering).</exception>
    public void Add(FdbSpec spec) => Modify(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AddFlags, spec);

    /// <summary>Adds an entry, asynchronously. Equivalent to <c>bridge fdb add</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AddAsync(FdbSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AddFlags, spec, cancellationToken);

    /// <summary>
    /// Adds another destination to a vxlan entry (the all-zero MAC is the flood list: each destination gets a copy).
    /// Equivalent to <c>bridge fdb append MAC dev VXLAN dst ADDRESS …</c>.
    /// </summary>
    /// <param name="spec">The entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>EEXIST</c> for a destination already there).</exception>
    public void Append(FdbSpec spec) => Modify(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AppendFlags, spec);

    /// <summary>Appends a destination, asynchronously. Equivalent to <c>bridge fdb append</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask AppendAsync(FdbSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AppendFlags, spec, cancellationToken);

    /// <summary>Adds an entry or replaces the existing one. Equivalent to <c>bridge fdb replace MAC dev LINK …</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void Replace(FdbSpec spec) => Modify(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.ReplaceFlags, spec);

    /// <summary>Adds or replaces an entry, asynchronously. Equivalent to <c>bridge fdb replace</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ReplaceAsync(FdbSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.ReplaceFlags, spec, cancellationToken);

    /// <summary>
    /// Deletes an entry (on a vxlan device, only the destination <see cref="FdbSpec.Destination"/> when given).
    /// Equivalent to <c>bridge fdb del MAC dev LINK [dst ADDRESS] [self|master] [vlan VID]</c>.
    /// </summary>
    /// <param name="spec">The entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>ENOENT</c> (<see cref="LinuxNetException.IsNotFound"/>) when there is no such entry.</exception>
    public void Delete(FdbSpec spec) => Modify(LinuxRtnetlink.RTM_DELNEIGH, FdbMessage.DeleteFlags, spec);

    /// <summary>Deletes an entry, asynchronously. Equivalent to <c>bridge fdb del</c>.</summary>
    /// <param name="spec">The entry.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is inconsistent; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteAsync(FdbSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_DELNEIGH, FdbMessage.DeleteFlags, spec, cancellationToken);

    /// <summary>
    /// Lists forwarding database entries: all, those of one device, or those of one bridge's table. Equivalent to
    /// <c>bridge fdb show [dev LINK] [br BRIDGE]</c>.
    /// </summary>
    /// <param name="link">Only entries on this device (<c>dev</c>), or <see langword="null"/>.</param>
    /// <param name="bridge">Only entries of this bridge (<c>br</c>), or <see langword="null"/>.</param>
    /// <returns>The entries, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">A link reference is invalid.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>ENODEV</c> for a missing link).</exception>
    public IReadOnlyList<FdbInfo> List(LinkReference? link = null, LinkReference? bridge = null)
    {
        link?.Validate(nameof(link));
        bridge?.Validate(nameof(bridge));
        return SyncWait.Complete(ListCoreAsync<SyncWait>(link, bridge, default));
    }

    /// <summary>Lists forwarding database entries, asynchronously. Equivalent to <c>bridge fdb show [dev LINK] [br BRIDGE]</c>.</summary>
    /// <param name="link">Only entries on this device, or <see langword="null"/>.</param>
    /// <param name="bridge">Only entries of this bridge, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The entries, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">A link reference is invalid.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<FdbInfo>> ListAsync(LinkReference? link = null, LinkReference? bridge = null, CancellationToken cancellationToken = default)
    {
        link?.Validate(nameof(link));
        bridge?.Validate(nameof(bridge));
        return ListCoreAsync<AsyncWait>(link, bridge, cancellationToken);
    }

    /// <summary>Lists bridge ports with their state, priority, cost and switches. Equivalent to <c>bridge -d link show [master BRIDGE]</c>.</summary>
    /// <param name="bridge">Only the ports of this bridge, or <see langword="null"/> for every port.</param>
    /// <returns>The ports, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">The bridge reference is invalid.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>ENODEV</c> for a missing bridge).</exception>
    public IReadOnlyList<BridgePortInfo> ListPorts(LinkReference? bridge = null)
    {
        bridge?.Validate(nameof(bridge));
        return SyncWait.Complete(ListPortsCoreAsync<SyncWait>(bridge, default));
    }

    /// <summary>Lists bridge ports, asynchronously. Equivalent to <c>bridge -d link show [master BRIDGE]</c>.</summary>
    /// <param name="bridge">Only the ports of this bridge, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The ports, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">The bridge reference is invalid.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<BridgePortInfo>> ListPortsAsync(LinkReference? bridge = null, CancellationToken cancellationToken = default)
    {
        bridge?.Validate(nameof(bridge));
        return ListPortsCoreAsync<AsyncWait>(bridge, cancellationToken);
    }

    /// <summary>
    /// Changes a bridge port's settings in one request. Equivalent to <c>bridge link set dev PORT [cost N] [priority N]
    /// [state S] [learning on|off] [flood on|off] [hairpin on|off] …</c> (see <see cref="BridgePortChanges"/>).
    /// </summary>
    /// <param name="port">The port, by name or index.</param>
    /// <param name="changes">What to change; at least one setting.</param>
    /// <exception cref="ArgumentNullException"><paramref name="changes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Nothing to change, a priority above 63, a cost of 0, or an invalid port reference; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EOPNOTSUPP</c> when the link is not a bridge port.</exception>
    public void SetPort(LinkReference port, BridgePortChanges changes)
    {
        CheckPortChanges(port, changes);
        SyncWait.Complete(SetPortCoreAsync<SyncWait>(port, changes, default));
    }

    /// <summary>Changes a bridge port's settings, asynchronously. Equivalent to <c>bridge link set dev PORT …</c>.</summary>
    /// <param name="port">The port, by name or index.</param>
    /// <param name="changes">What to change; at least one setting.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="changes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The changes are empty or out of range; nothing is sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask SetPortAsync(LinkReference port, BridgePortChanges changes, CancellationToken cancellationToken = default)
    {
        CheckPortChanges(port, changes);
        return SetPortCoreAsync<AsyncWait>(port, changes, cancellationToken);
    }

    private static void CheckPortChanges(LinkReference port, BridgePortChanges changes)
    {
        port.Validate(nameof(port));
        if (changes is null)
        {
            throw new ArgumentNullException(nameof(changes));
        }

        if (changes.IsEmpty)
        {
            throw new ArgumentException("BridgePortChanges sets nothing; set at least one of its properties.", nameof(changes));
        }

        if (changes.Priority > 63)
        {
            throw new ArgumentException($"A bridge port priority is 0 to 63, not {changes.Priority}.", nameof(changes));
        }

        if (changes.Cost == 0)
        {
            throw new ArgumentException("A bridge port cost is at least 1.", nameof(changes));
        }

        if (changes.State is { } state && (byte)state > (byte)BridgePortState.Blocking)
        {
            throw new ArgumentException($"'{state}' is not a bridge port state (Disabled, Listening, Learning, Forwarding, Blocking).", nameof(changes));
        }
    }

    private async ValueTask SetPortCoreAsync<TWait>(LinkReference port, BridgePortChanges changes, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await Pipeline.ResolveAsync<TWait>(port, cancellationToken, "bridge link set").ConfigureAwait(false);
        await Pipeline.ExecuteAsync<TWait, (int, BridgePortChanges)>((index, changes), BridgePortMessage.WriteSet, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<BridgePortInfo>> ListPortsCoreAsync<TWait>(LinkReference? bridge, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int bridgeIndex = await Pipeline.ResolveAsync<TWait>(bridge, cancellationToken, "bridge link show").ConfigureAwait(false);
        List<BridgePortInfo> ports = await Pipeline.ListAsync<TWait, int, BridgePortInfo>(0, BridgePortMessage.WriteDump, BridgePortMessage.Parse, cancellationToken).ConfigureAwait(false);
        if (bridgeIndex != 0)
        {
            ports.RemoveAll(p => p.MasterIndex != bridgeIndex);
        }

        return ports;
    }

    private void Modify(ushort type, NetlinkMessageFlags flags, FdbSpec spec)
    {
        Validate(spec);
        SyncWait.Complete(ModifyCoreAsync<SyncWait>(type, flags, spec, default));
    }

    private ValueTask ModifyAsync(ushort type, NetlinkMessageFlags flags, FdbSpec spec, CancellationToken cancellationToken)
    {
        Validate(spec);
        return ModifyCoreAsync<AsyncWait>(type, flags, spec, cancellationToken);
    }

    internal static void Validate(FdbSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        spec.Validate();
    }

    private async ValueTask ModifyCoreAsync<TWait>(ushort type, NetlinkMessageFlags flags, FdbSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        string operation = Operation(type, flags);
        int index = await Pipeline.ResolveAsync<TWait>(spec.Link, cancellationToken, operation).ConfigureAwait(false);
        int via = await Pipeline.ResolveAsync<TWait>(spec.Via, cancellationToken, operation).ConfigureAwait(false);
        try
        {
            await Pipeline.ExecuteAsync<TWait, (ushort, NetlinkMessageFlags, FdbSpec, int, int)>((type, flags, spec, index, via), FdbMessage.WriteModify, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (IsVlanRefusal(e) && VlanRefusal(operation, spec) is { } message)
        {
            throw RequestPipeline.Rewrap(e, operation, message);
        }
    }

    /// <summary>The verb's name, as <c>bridge fdb</c> has it: add, append, replace or del.</summary>
    internal static string Operation(ushort type, NetlinkMessageFlags flags)
        => type == LinuxRtnetlink.RTM_DELNEIGH ? "bridge fdb del"
            : (flags & NetlinkMessageFlags.Replace) != 0 ? "bridge fdb replace"
            : (flags & NetlinkMessageFlags.Append) != 0 ? "bridge fdb append"
            : "bridge fdb add";

    /// <summary>
    /// For a spec with a VLAN, what a bare <c>EINVAL</c> means: the bridge does not filter VLANs (it answers with no
    /// extended-ack text). <see langword="null"/> for a spec without a VLAN. Used by the single verbs and by batches.
    /// </summary>
    internal static string? VlanRefusal(string operation, FdbSpec spec)
        => spec.Vlan is { } vlan
            ? $"{operation} {spec} vlan {vlan}: the bridge refused an entry for a VLAN (EINVAL): it does not filter VLANs (vlan_filtering 0), and this kernel cannot turn VLAN filtering on without CONFIG_BRIDGE_VLAN_FILTERING."
            : null;

    /// <summary>Whether <paramref name="e"/> is the bare <c>EINVAL</c> that <see cref="VlanRefusal"/> explains.</summary>
    internal static bool IsVlanRefusal(NetlinkException e) => e.Errno == Errno.EINVAL && e.ExtendedAckMessage is null;

    private async ValueTask<IReadOnlyList<FdbInfo>> ListCoreAsync<TWait>(LinkReference? link, LinkReference? bridge, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await Pipeline.ResolveAsync<TWait>(link, cancellationToken, "bridge fdb show").ConfigureAwait(false);
        int bridgeIndex = await Pipeline.ResolveAsync<TWait>(bridge, cancellationToken, "bridge fdb show").ConfigureAwait(false);
        return await Pipeline.ListAsync<TWait, (int, int), FdbInfo>((index, bridgeIndex), FdbMessage.WriteDump, FdbMessage.Parse, cancellationToken).ConfigureAwait(false);
    }
}
