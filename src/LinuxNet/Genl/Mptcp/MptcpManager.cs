using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;
using LinuxNet.Route;
using static LinuxNet.LinuxMptcp;

namespace LinuxNet.Genl.Mptcp;

/// <summary>
/// What <c>ip mptcp endpoint</c> and <c>ip mptcp limits</c> do: the in-kernel MPTCP path manager (generic netlink family
/// <c>mptcp_pm</c>) of the session's namespace (<see cref="GenericNetlinkSession.Mptcp"/>).
/// </summary>
/// <remarks>
/// <para>Safe for concurrent use. Changes need <c>CAP_NET_ADMIN</c> in the session's namespace.</para>
/// <para>Events (connections created, established, closed; addresses announced): <c>session.OpenEvents("mptcp_pm", "mptcp_pm_events")</c>, see <see cref="GenericNetlinkSession.OpenEvents(string, string)"/>.</para>
/// </remarks>
public sealed class MptcpManager
{
    private const string Family = MPTCP_PM_NAME;

    private static readonly RequestEncoder<(ushort Family, byte Argument)> EncodeCommand = static (ref NetlinkMessageWriter writer, (ushort Family, byte Argument) a) => MptcpMessages.WriteCommand(ref writer, a);
    private static readonly RequestEncoder<(ushort Family, (MptcpEndpointSpec Spec, int InterfaceIndex) Argument)> EncodeAdd = MptcpMessages.WriteAdd;
    private static readonly RequestEncoder<(ushort Family, byte Argument)> EncodeDelete = static (ref NetlinkMessageWriter writer, (ushort Family, byte Argument) a) => MptcpMessages.WriteDelete(ref writer, a);
    private static readonly RequestEncoder<(ushort Family, MptcpLimits Argument)> EncodeSetLimits = static (ref NetlinkMessageWriter writer, (ushort Family, MptcpLimits Argument) a) => MptcpMessages.WriteSetLimits(ref writer, a);
    private static readonly ReplyParser<MptcpEndpoint> ParseEndpoint = MptcpMessages.ParseEndpoint;
    private static readonly ReplyParser<MptcpLimits> ParseLimits = MptcpMessages.ParseLimits;

    private readonly GenericNetlinkSession _session;

    internal MptcpManager(GenericNetlinkSession session) => _session = session;

    private GenericRequestPipeline Pipeline => _session.Pipeline;

    /// <summary>Lists the endpoints. Equivalent to <c>ip mptcp endpoint show</c>.</summary>
    /// <returns>The endpoints, in the kernel's order.</returns>
    /// <exception cref="NetlinkException">The kernel has no <c>mptcp_pm</c> family, or refused.</exception>
    public IReadOnlyList<MptcpEndpoint> ListEndpoints() => SyncWait.Complete(ListEndpointsCoreAsync<SyncWait>(default));

    /// <summary>Lists the endpoints asynchronously. Equivalent to <c>ip mptcp endpoint show</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The endpoints.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<MptcpEndpoint>> ListEndpointsAsync(CancellationToken cancellationToken = default) => ListEndpointsCoreAsync<AsyncWait>(cancellationToken);

    /// <summary>Adds an endpoint. Equivalent to <c>ip mptcp endpoint add ADDRESS [id ID] [dev DEV] [port PORT] FLAGS</c>.</summary>
    /// <param name="spec">The endpoint.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> or its address is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An id outside 1–255, a non-IP or unspecified address, unknown or read-only flags (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">The kernel refused with its text, e.g. "address already in use"; or no such device.</exception>
    public void AddEndpoint(MptcpEndpointSpec spec) => SyncWait.Complete(AddEndpointCoreAsync<SyncWait>(Validate(spec), default));

    /// <summary>Adds an endpoint asynchronously. Equivalent to <c>ip mptcp endpoint add</c>.</summary>
    /// <param name="spec">The endpoint.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> or its address is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="NetlinkException">The kernel refused with its text.</exception>
    public ValueTask AddEndpointAsync(MptcpEndpointSpec spec, CancellationToken cancellationToken = default) => AddEndpointCoreAsync<AsyncWait>(Validate(spec), cancellationToken);

    /// <summary>Deletes the endpoint with id <paramref name="id"/>. Equivalent to <c>ip mptcp endpoint delete id ID</c>.</summary>
    /// <param name="id">The id, 1–255.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside 1–255.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. "address not found".</exception>
    public void DeleteEndpoint(int id) => SyncWait.Complete(Pipeline.ExecuteAsync<SyncWait, byte>(Family, ValidateId(id, nameof(id)), EncodeDelete, default));

    /// <summary>Deletes an endpoint asynchronously. Equivalent to <c>ip mptcp endpoint delete id ID</c>.</summary>
    /// <param name="id">The id, 1–255.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside 1–255.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask DeleteEndpointAsync(int id, CancellationToken cancellationToken = default) => Pipeline.ExecuteAsync<AsyncWait, byte>(Family, ValidateId(id, nameof(id)), EncodeDelete, cancellationToken);

    /// <summary>Deletes every endpoint. Equivalent to <c>ip mptcp endpoint flush</c>.</summary>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void FlushEndpoints() => SyncWait.Complete(Pipeline.ExecuteAsync<SyncWait, byte>(Family, MPTCP_PM_CMD_FLUSH_ADDRS, EncodeCommand, default));

    /// <summary>Deletes every endpoint asynchronously. Equivalent to <c>ip mptcp endpoint flush</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask FlushEndpointsAsync(CancellationToken cancellationToken = default) => Pipeline.ExecuteAsync<AsyncWait, byte>(Family, MPTCP_PM_CMD_FLUSH_ADDRS, EncodeCommand, cancellationToken);

    /// <summary>Reads the limits. Equivalent to <c>ip mptcp limits show</c>.</summary>
    /// <returns>The limits.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public MptcpLimits GetLimits() => SyncWait.Complete(GetLimitsCoreAsync<SyncWait>(default));

    /// <summary>Reads the limits asynchronously. Equivalent to <c>ip mptcp limits show</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The limits.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<MptcpLimits> GetLimitsAsync(CancellationToken cancellationToken = default) => GetLimitsCoreAsync<AsyncWait>(cancellationToken);

    /// <summary>Sets the limits given (the others stay). Equivalent to <c>ip mptcp limits set [subflows N] [add_addr_accepted N]</c>.</summary>
    /// <param name="limits">The limits.</param>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Neither limit is given.</exception>
    /// <exception cref="NetlinkException">The kernel refused with its text, e.g. a limit above its maximum.</exception>
    public void SetLimits(MptcpLimits limits) => SyncWait.Complete(Pipeline.ExecuteAsync<SyncWait, MptcpLimits>(Family, Validate(limits), EncodeSetLimits, default));

    /// <summary>Sets the limits asynchronously. Equivalent to <c>ip mptcp limits set</c>.</summary>
    /// <param name="limits">The limits.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Neither limit is given.</exception>
    /// <exception cref="NetlinkException">The kernel refused with its text.</exception>
    public ValueTask SetLimitsAsync(MptcpLimits limits, CancellationToken cancellationToken = default) => Pipeline.ExecuteAsync<AsyncWait, MptcpLimits>(Family, Validate(limits), EncodeSetLimits, cancellationToken);

    internal static byte ValidateId(int id, string parameterName)
        => id is >= 1 and <= 255 ? (byte)id : throw new ArgumentOutOfRangeException(parameterName, id, "An MPTCP endpoint id is 1 to 255 (0 is the kernel's id for the initial subflow's address).");

    private static MptcpEndpointSpec Validate(MptcpEndpointSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        KernelFamily.ValidateAddress(spec.Address, nameof(spec));
        if (spec.Id is { } id)
        {
            ValidateId(id, nameof(spec));
        }

        const MptcpEndpointFlags settable = MptcpEndpointFlags.Signal | MptcpEndpointFlags.Subflow | MptcpEndpointFlags.Backup | MptcpEndpointFlags.Fullmesh;
        if ((spec.Flags & ~settable) != 0)
        {
            throw new ArgumentException($"Only signal, subflow, backup and fullmesh can be set on an endpoint, not {spec.Flags & ~settable}.", nameof(spec));
        }

        return spec;
    }

    private static MptcpLimits Validate(MptcpLimits limits)
    {
        if (limits is null)
        {
            throw new ArgumentNullException(nameof(limits));
        }

        if (limits.Subflows is null && limits.AcceptedAddresses is null)
        {
            throw new ArgumentException("Give subflows, add_addr_accepted or both.", nameof(limits));
        }

        return limits;
    }

    private async ValueTask<IReadOnlyList<MptcpEndpoint>> ListEndpointsCoreAsync<TWait>(CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        => await Pipeline.ListAsync<TWait, byte, MptcpEndpoint>(Family, MPTCP_PM_CMD_GET_ADDR, EncodeCommand, ParseEndpoint, cancellationToken).ConfigureAwait(false);

    private async ValueTask AddEndpointCoreAsync<TWait>(MptcpEndpointSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await _session.Links.ResolveAsync<TWait>(spec.Link, cancellationToken).ConfigureAwait(false);
        await Pipeline.ExecuteAsync<TWait, (MptcpEndpointSpec, int)>(Family, (spec, index), EncodeAdd, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<MptcpLimits> GetLimitsCoreAsync<TWait>(CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        List<MptcpLimits> limits = await Pipeline.ListAsync<TWait, byte, MptcpLimits>(Family, MPTCP_PM_CMD_GET_LIMITS, EncodeCommand, ParseLimits, cancellationToken).ConfigureAwait(false);
        return limits.Count == 1 ? limits[0] : throw new NetlinkProtocolException($"mptcp_pm answered a limits get with {limits.Count} replies.");
    }
}
