using System;
using System.Diagnostics.CodeAnalysis;
using System.Buffers;
using System.Collections.Generic;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Many link, address, route, neighbour, rule, nexthop and bridge FDB requests sent together: packed into as few <c>sendmsg</c> calls as
/// the socket buffers allow, each with its own sequence number and acknowledgement, with one result per request.
/// Made by <see cref="RtnetlinkSession.CreateBatch(RtnetlinkBatchOptions?)"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Ordering.</b> Requests are sent, and applied by the kernel, in the order they were added: the kernel processes
/// the messages of a datagram one after the other, and the next datagram is sent only after every acknowledgement
/// of the previous one arrived. A failed request does not stop the kernel from processing the next message of the
/// same datagram, so by default every request runs and reports its own result (errno, the kernel's extended-ack text
/// and the request's index). With <see cref="RtnetlinkBatchOptions.StopOnFirstError"/>, no datagram is sent after one
/// that held a failure; requests in later datagrams report <see cref="RtnetlinkBatchItemStatus.NotRun"/>.
/// </para>
/// <para>
/// <b>Not atomic.</b> Requests that succeeded before a failure stay applied; there is no rollback.
/// </para>
/// <para>
/// <b>Memory.</b> Requests are written once, into one buffer rented from <see cref="ArrayPool{T}.Shared"/> that grows
/// by doubling (about 60 bytes per route or address request) and is returned by <see cref="Dispose"/>.
/// Adding a request allocates nothing; executing allocates the result arrays (a byte and a reference per request)
/// and an exception object per failed request.
/// </para>
/// <para>
/// Not safe for concurrent use: add requests and execute from one thread at a time. Execution holds the manager's
/// socket for its duration, so other requests on the same <see cref="LinkManager"/> wait.
/// </para>
/// </remarks>
public sealed class RtnetlinkBatch : IDisposable
{
    private const int InitialBuffer = 16 * 1024;

    private readonly LinkManager _manager;
    private readonly RtnetlinkBatchOptions _options;
    private Dictionary<string, int>? _linkIndexes;
    private List<(int Index, string Operation, string Message)>? _vlanRefusals; // FDB items with a VLAN: what a bare EINVAL means for each
    private byte[] _buffer;
    private int _length;
    private int _count;

    internal RtnetlinkBatch(LinkManager manager, RtnetlinkBatchOptions? options)
    {
        _manager = manager;
        _options = options ?? new RtnetlinkBatchOptions();
        if (_options.MaxMessagesPerSend < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxMessagesPerSend, "MaxMessagesPerSend must be 0 (automatic) or positive.");
        }

        _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    }

    /// <summary>The number of requests added.</summary>
    public int Count => _count;

    /// <summary>The bytes the requests occupy.</summary>
    public int Length => _length;

    /// <summary>Adds an address. Equivalent to <c>ip addr add ADDRESS/LEN dev LINK</c> in an <c>ip -batch</c> file.</summary>
    /// <param name="link">The link, by name (resolved now, cached per name) or index.</param>
    /// <param name="address">The address and its prefix length.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">A bad link reference or address.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    /// <remarks>Builds the <see cref="AddressSpec"/> <see cref="AddAddress(AddressSpec)"/> takes: the same request bytes as <see cref="AddressManager.Add(AddressSpec)"/>.</remarks>
    public int AddAddress(LinkReference link, IPPrefix address) => AddAddress(new AddressSpec(link, address));

    /// <summary>Deletes an address. Equivalent to <c>ip addr del ADDRESS/LEN dev LINK</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address and its prefix length.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">A bad link reference or address.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    /// <remarks>Builds the <see cref="AddressSpec"/> <see cref="DeleteAddress(AddressSpec)"/> takes.</remarks>
    public int DeleteAddress(LinkReference link, IPPrefix address) => DeleteAddress(new AddressSpec(link, address));

    /// <summary>Adds a unicast route. Equivalent to <c>ip route add PREFIX [via GATEWAY] [dev LINK] [table N] [metric M]</c>.</summary>
    /// <param name="destination">The destination prefix.</param>
    /// <param name="link">The output link; <see langword="null"/> for none (then <paramref name="gateway"/> is required).</param>
    /// <param name="gateway">The next hop, of the destination's family; <see langword="null"/> for a directly connected route.</param>
    /// <param name="table">The table, as <see cref="RouteSpec.Table"/>: <see langword="null"/> for main; 0 is refused.</param>
    /// <param name="metric">The metric (<c>metric</c>/<c>priority</c>); <see langword="null"/> for the kernel's default.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <remarks>Builds the <see cref="RouteSpec"/> <see cref="AddRoute(RouteSpec)"/> takes: the same request bytes as <see cref="RouteManager.Add(RouteSpec)"/>.</remarks>
    /// <exception cref="ArgumentException">A bad prefix, a gateway of another family, table 0, or neither link nor gateway.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter (IPPrefix or RouteSpec); a call cannot be ambiguous.")]
    public int AddRoute(IPPrefix destination, LinkReference? link = null, IPAddress? gateway = null, uint? table = null, uint? metric = null)
        => AddRoute(RawRoute(true, destination, link, gateway, table, metric));

    /// <summary>Deletes a route. Equivalent to <c>ip route del PREFIX [via GATEWAY] [dev LINK] [table N] [metric M]</c>.</summary>
    /// <param name="destination">The destination prefix.</param>
    /// <param name="link">The output link to match; <see langword="null"/> for any.</param>
    /// <param name="gateway">The next hop to match; <see langword="null"/> for any.</param>
    /// <param name="table">The table, as <see cref="RouteSpec.Table"/>: <see langword="null"/> for main; 0 is refused.</param>
    /// <param name="metric">The metric to match; <see langword="null"/> for any.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <remarks>Builds the <see cref="RouteSpec"/> <see cref="DeleteRoute(RouteSpec)"/> takes.</remarks>
    /// <exception cref="ArgumentException">A bad prefix, a gateway of another family, or table 0.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter (IPPrefix or RouteSpec); a call cannot be ambiguous.")]
    public int DeleteRoute(IPPrefix destination, LinkReference? link = null, IPAddress? gateway = null, uint? table = null, uint? metric = null)
        => DeleteRoute(RawRoute(false, destination, link, gateway, table, metric));

    /// <summary>Adds an address described by an <see cref="AddressSpec"/>. Equivalent to <c>ip addr add …</c>.</summary>
    /// <param name="spec">The address; an interface given by name is resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int AddAddress(AddressSpec spec) => Address(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.AddFlags, spec);

    /// <summary>Adds or replaces an address. Equivalent to <c>ip addr replace …</c>.</summary>
    /// <param name="spec">The address; an interface given by name is resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int ReplaceAddress(AddressSpec spec) => Address(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.ReplaceFlags, spec);

    /// <summary>Deletes an address. Equivalent to <c>ip addr del …</c>.</summary>
    /// <param name="spec">The address; an interface given by name is resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int DeleteAddress(AddressSpec spec) => Address(LinuxRtnetlink.RTM_DELADDR, AddressMessages.DeleteFlags, spec);

    /// <summary>Adds a route described by a <see cref="RouteSpec"/> (multipath included). Equivalent to <c>ip route add …</c>.</summary>
    /// <param name="spec">The route; interfaces given by name are resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">An interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int AddRoute(RouteSpec spec) => Route(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.AddFlags, spec);

    /// <summary>Adds or replaces a route. Equivalent to <c>ip route replace …</c>.</summary>
    /// <param name="spec">The route; interfaces given by name are resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">An interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int ReplaceRoute(RouteSpec spec) => Route(LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.ReplaceFlags, spec);

    /// <summary>Deletes a route. Equivalent to <c>ip route del …</c>.</summary>
    /// <param name="spec">The route to match; interfaces given by name are resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">An interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int DeleteRoute(RouteSpec spec) => Route(LinuxRtnetlink.RTM_DELROUTE, RouteMessages.DeleteFlags, spec);

    /// <summary>Brings an interface up. Equivalent to <c>ip link set dev LINK up</c>.</summary>
    /// <param name="link">The interface, by index or by name (a name is resolved now, cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The reference is empty or the name invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int SetLinkUp(LinkReference link) => LinkState(ResolveLink(link), up: true);

    /// <summary>Takes an interface down. Equivalent to <c>ip link set dev LINK down</c>.</summary>
    /// <param name="link">The interface, by index or by name (a name is resolved now, cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The reference is empty or the name invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int SetLinkDown(LinkReference link) => LinkState(ResolveLink(link), up: false);

    /// <summary>Deletes an interface. Equivalent to <c>ip link del dev LINK</c>.</summary>
    /// <param name="link">The interface, by index or by name (a name is resolved now, cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The reference is empty or the name invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int DeleteLink(LinkReference link)
    {
        int linkIndex = ResolveLink(link);
        CheckIndex(linkIndex, nameof(link));
        return Append(linkIndex, LinkMessages.WriteDelete);
    }

    /// <summary>Adds a neighbour entry. Equivalent to <c>ip neigh add …</c>.</summary>
    /// <param name="spec">The entry. An interface given by name is resolved now, with one request (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int AddNeighbour(NeighbourSpec spec) => Neighbour(spec, replace: false);

    /// <summary>Adds or replaces a neighbour entry. Equivalent to <c>ip neigh replace …</c>.</summary>
    /// <param name="spec">The entry. An interface given by name is resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int ReplaceNeighbour(NeighbourSpec spec) => Neighbour(spec, replace: true);

    /// <summary>Deletes a neighbour entry. Equivalent to <c>ip neigh del ADDRESS dev LINK [proxy]</c>.</summary>
    /// <param name="spec">The entry. An interface given by name is resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="LinuxNetException">The interface name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int DeleteNeighbour(NeighbourSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        return Append((spec, ResolveLink(spec)), NeighbourMessage.WriteDelete);
    }

    /// <summary>Adds a policy rule. Equivalent to <c>ip rule add …</c>.</summary>
    /// <param name="spec">The rule.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">An interface given by index does not exist (it is resolved to its name now).</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int AddRule(RuleSpec spec) => Rule(spec, add: true);

    /// <summary>Deletes a matching policy rule. Equivalent to <c>ip rule del …</c>.</summary>
    /// <param name="spec">The fields to match.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">An interface given by index does not exist (it is resolved to its name now).</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int DeleteRule(RuleSpec spec) => Rule(spec, add: false);

    /// <summary>Adds a nexthop object or group. Equivalent to <c>ip nexthop add …</c>.</summary>
    /// <param name="spec">The nexthop. A device given by name is resolved now, with one request (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">The device name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    /// <remarks>The same request bytes as <see cref="NexthopManager.Add(NexthopSpec)"/>.</remarks>
    public int AddNexthop(NexthopSpec spec) => Nexthop(spec, replace: false);

    /// <summary>Adds or replaces a nexthop object or group. Equivalent to <c>ip nexthop replace …</c>.</summary>
    /// <param name="spec">The nexthop. A device given by name is resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">The device name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int ReplaceNexthop(NexthopSpec spec) => Nexthop(spec, replace: true);

    /// <summary>Deletes a nexthop, and with it the routes that use it. Equivalent to <c>ip nexthop del id ID</c>.</summary>
    /// <param name="id">The nexthop's id.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is 0.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int DeleteNexthop(uint id)
    {
        NexthopManager.CheckId(id);
        return Append(id, NexthopMessages.WriteDelete);
    }

    /// <summary>Adds a forwarding database entry. Equivalent to <c>bridge fdb add …</c>.</summary>
    /// <param name="spec">The entry. Devices given by name are resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">A device name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    /// <remarks>The same request bytes as <see cref="FdbManager.Add(FdbSpec)"/>.</remarks>
    public int AddFdb(FdbSpec spec) => Fdb(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AddFlags, spec);

    /// <summary>Appends a forwarding database entry (another remote for the same MAC on vxlan). Equivalent to <c>bridge fdb append …</c>.</summary>
    /// <param name="spec">The entry. Devices given by name are resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">A device name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int AppendFdb(FdbSpec spec) => Fdb(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AppendFlags, spec);

    /// <summary>Adds or replaces a forwarding database entry. Equivalent to <c>bridge fdb replace …</c>.</summary>
    /// <param name="spec">The entry. Devices given by name are resolved now (cached per name).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">A device name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int ReplaceFdb(FdbSpec spec) => Fdb(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.ReplaceFlags, spec);

    /// <summary>Deletes a forwarding database entry. Equivalent to <c>bridge fdb del …</c>.</summary>
    /// <param name="spec">The entry to match (MAC, device, VLAN and, on vxlan, the destination).</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="LinuxNetException">A device name does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int DeleteFdb(FdbSpec spec) => Fdb(LinuxRtnetlink.RTM_DELNEIGH, FdbMessage.DeleteFlags, spec);

    /// <summary>
    /// Adds one complete, already built rtnetlink request (for example from <see cref="NetlinkMessageWriter"/>).
    /// Its sequence number and port id are overwritten and <c>NLM_F_REQUEST | NLM_F_ACK</c> are added when sent.
    /// </summary>
    /// <param name="message">Exactly one message; <c>nlmsg_len</c> must equal its length.</param>
    /// <returns>The request's index in the batch.</returns>
    /// <exception cref="ArgumentException"><paramref name="message"/> is not exactly one message, or is a dump request (whose multipart answer is not an acknowledgement).</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public int Add(ReadOnlySpan<byte> message)
    {
        if (message.Length < NetlinkHeader.Size || MemoryMarshal.Read<NetlinkHeader>(message).Length != (uint)message.Length)
        {
            throw new ArgumentException("The request must be exactly one netlink message (nlmsg_len equal to its length).", nameof(message));
        }

        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(message);
        if ((header.Flags & NetlinkMessageFlags.Dump) != 0 && (header.Type & 3) == 2)
        {
            throw new ArgumentException("Dump requests cannot be batched: their answer is a multipart reply, not an acknowledgement.", nameof(message));
        }

        int padded = NetlinkMessageWriter.Align(message.Length);
        Ensure(padded);
        message.CopyTo(_buffer.AsSpan(_length));
        _buffer.AsSpan(_length + message.Length, padded - message.Length).Clear();
        _length += padded;
        return _count++;
    }

    /// <summary>Sends every request and waits for every answer.</summary>
    /// <returns>One result per request, in the order they were added.</returns>
    /// <exception cref="LinuxNetException">The socket failed as a whole (not a per-request refusal, which is in the result).</exception>
    /// <exception cref="ObjectDisposedException">The batch or its manager was disposed.</exception>
    public RtnetlinkBatchResult Execute() => SyncWait.Complete(ExecuteCoreAsync<SyncWait>(default));

    /// <summary>Sends every request and waits for every answer, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait; requests already sent may have been applied.</param>
    /// <returns>One result per request, in the order they were added.</returns>
    /// <exception cref="LinuxNetException">The socket failed as a whole.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The batch or its manager was disposed.</exception>
    public ValueTask<RtnetlinkBatchResult> ExecuteAsync(CancellationToken cancellationToken = default) => ExecuteCoreAsync<AsyncWait>(cancellationToken);

    private async ValueTask<RtnetlinkBatchResult> ExecuteCoreAsync<TWait>(CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        byte[] buffer = Buffer;
        var states = new NetlinkSocket.BatchItemState[_count];
        var errors = new NetlinkBatchErrors(_count);
        await default(TWait).ExecuteBatchAsync(_manager.Socket, buffer, _length, _count, states, errors, _options.MaxMessagesPerSend, _options.StopOnFirstError, cancellationToken).ConfigureAwait(false);
        if (_vlanRefusals is not null)
        {
            foreach ((int index, string operation, string message) in _vlanRefusals)
            {
                if (errors[index] is { } e && FdbManager.IsVlanRefusal(e))
                {
                    errors[index] = RequestPipeline.Rewrap(e, operation, message); // as the single verb says it
                }
            }
        }

        return new RtnetlinkBatchResult(states, errors, _count);
    }

    /// <summary>Removes every request, keeping the buffer for reuse.</summary>
    public void Clear()
    {
        _length = 0;
        _count = 0;
        _vlanRefusals = null;
    }

    /// <summary>Returns the batch's buffer to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _length = 0;
        _count = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private byte[] Buffer => _buffer.Length > 0 ? _buffer : throw new ObjectDisposedException(nameof(RtnetlinkBatch));

    private static void CheckIndex(int linkIndex, string name)
    {
        if (linkIndex <= 0)
        {
            throw new ArgumentOutOfRangeException(name, linkIndex, "Interface indexes start at 1.");
        }
    }

    private static RouteSpec RawRoute(bool add, IPPrefix destination, LinkReference? link, IPAddress? gateway, uint? table, uint? metric)
    {
        if (gateway is not null)
        {
            KernelFamily.ValidateAddress(gateway, nameof(gateway));
            if (gateway.AddressFamily != destination.Address.AddressFamily)
            {
                throw new ArgumentException($"The gateway {gateway} is not of the destination's family ({destination.Address.AddressFamily}).", nameof(gateway));
            }
        }
        else if (add && link is null)
        {
            throw new ArgumentException("A route needs an output link, a gateway, or both.", nameof(link));
        }

        return new RouteSpec(destination) { Link = link, Gateway = gateway, Table = table, Metric = metric };
    }

    private int Address(ushort type, NetlinkMessageFlags flags, AddressSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        AddressMessages.Validate(spec, type == LinuxRtnetlink.RTM_DELADDR);
        int index = spec.Link.IsName ? ResolveName(spec.Link.Name!) : spec.Link.Index;
        return Append((type, flags, spec, index), AddressMessages.WriteModify, AddressMessages.MaxRequestSize);
    }

    private int Route(ushort type, NetlinkMessageFlags flags, RouteSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        RouteMessages.Validate(spec, type == LinuxRtnetlink.RTM_DELROUTE);
        int linkIndex = spec.Link is { } link ? (link.IsName ? ResolveName(link.Name!) : link.Index) : 0;
        int[] hopIndexes = spec.NextHopList.Count == 0 ? Array.Empty<int>() : new int[spec.NextHopList.Count];
        for (int i = 0; i < hopIndexes.Length; i++)
        {
            RouteNextHop hop = spec.NextHopList[i];
            hopIndexes[i] = hop.Link is { } hopLink ? (hopLink.IsName ? ResolveName(hopLink.Name!) : hopLink.Index) : 0;
        }

        return Append((type, flags, spec, linkIndex, hopIndexes), RouteMessages.WriteModify, RouteMessages.GetMaxSize(spec));
    }

    private int LinkState(int linkIndex, bool up)
    {
        CheckIndex(linkIndex, nameof(linkIndex));
        return Append((linkIndex, new LinkChange { Up = up }, 0), LinkMessages.WriteChange);
    }

    private int Neighbour(NeighbourSpec spec, bool replace)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        spec.Validate();
        return Append((spec, ResolveLink(spec), replace), NeighbourMessage.WriteNew);
    }

    private int Rule(RuleSpec spec, bool add)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        spec.Validate(add);
        return Append(new RuleRequest(spec, add, ResolveName(spec.InputInterface), ResolveName(spec.OutputInterface)), RuleMessage.Write);
    }

    private int Nexthop(NexthopSpec spec, bool replace)
    {
        NexthopManager.Validated(spec);
        int link = spec.Link is { } device ? Index(device) : 0;
        return Append(new NexthopRequest(spec, replace, link), NexthopMessages.Write, RequestPipeline.DefaultRequestSize + (spec.Group.Count * 8));
    }

    private int Fdb(ushort type, NetlinkMessageFlags flags, FdbSpec spec)
    {
        FdbManager.Validate(spec);
        int via = spec.Via is { } viaLink ? Index(viaLink) : 0;
        int index = Append((type, flags, spec, Index(spec.Link), via), FdbMessage.WriteModify);
        string operation = FdbManager.Operation(type, flags);
        if (FdbManager.VlanRefusal(operation, spec) is { } message)
        {
            (_vlanRefusals ??= []).Add((index, operation, message)); // the text now: the caller may change the spec before Execute
        }

        return index;
    }

    private int ResolveLink(NeighbourSpec spec) => Index(spec.Link);

    private int ResolveLink(LinkReference link)
    {
        link.Validate(nameof(link));
        return Index(link);
    }

    // A link its spec has validated: its index as given, or looked up by name (or alternative name) once per batch.
    private int Index(LinkReference link) => link.IsName ? ResolveName(link.Name!) : link.Index;

    private string? ResolveName(LinkReference? link)
        => link is { IsName: false } value ? SyncWait.Complete(_manager.Pipeline.GetNameAsync<SyncWait>(value.Index, default)) : link?.Name;

    private int ResolveName(string name)
    {
        _linkIndexes ??= new Dictionary<string, int>(StringComparer.Ordinal);
        if (!_linkIndexes.TryGetValue(name, out int index))
        {
            index = _manager.GetIndex(name);
            _linkIndexes[name] = index;
        }

        return index;
    }

    /// <summary>Writes one request with the object's one encoder (the one the single verbs use) and counts it.</summary>
    private int Append<TArg>(TArg argument, RequestEncoder<TArg> encode, int maximum = RequestPipeline.DefaultRequestSize)
    {
        Ensure(maximum);
        int length = RequestPipeline.Encode(_buffer.AsSpan(_length), argument, encode);
        _length += NetlinkMessageWriter.Align(length);
        return _count++;
    }

    private void Ensure(int bytes)
    {
        byte[] buffer = Buffer;
        if (buffer.Length - _length >= bytes)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, _length + bytes));
        buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        _buffer = larger;
    }
}
