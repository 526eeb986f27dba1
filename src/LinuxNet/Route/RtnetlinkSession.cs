using System;
using System.Diagnostics.CodeAnalysis;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// One rtnetlink socket in one network namespace and the managers that share it: <see cref="Links"/> (<c>ip link</c>),
/// <see cref="Addresses"/> (<c>ip addr</c>), <see cref="Routes"/> (<c>ip route</c>), <see cref="Neighbours"/>
/// (<c>ip neigh</c>), <see cref="Rules"/> (<c>ip rule</c>), <see cref="Nexthops"/> (<c>ip nexthop</c>),
/// <see cref="NamespaceIds"/> (<c>ip netns set|list-id</c>), plus monitors and batches.
/// </summary>
/// <remarks>
/// <para>
/// <c>using var rt = RtnetlinkSession.Open(ns);</c> is the one-line start; the socket is created in the namespace the
/// session was opened for and stays there, whichever thread calls. Dispose the session to close the socket; the
/// managers it handed out stop working then.
/// </para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// </remarks>
public sealed class RtnetlinkSession : IDisposable
{
    private readonly NetlinkSocket _socket;
    private AddressManager? _addresses;
    private RouteManager? _routes;
    private NeighbourManager? _neighbours;
    private RuleManager? _rules;
    private NexthopManager? _nexthops;
    private NamespaceIdManager? _namespaceIds;
    private Tc.TrafficControlManager? _trafficControl;

    private RtnetlinkSession(NetlinkSocket socket, RtnetlinkSessionOptions options)
    {
        _socket = socket;
        _socket.Schema = RouteNetlinkSchema.Instance;
        Options = options;
        Pipeline = new RequestPipeline(socket);
        Links = new LinkManager(this);
    }

    /// <summary>The options the session was opened with.</summary>
    public RtnetlinkSessionOptions Options { get; }

    /// <summary>What <c>ip link</c> does, on this session's socket.</summary>
    public LinkManager Links { get; }

    /// <summary>What <c>ip addr</c> does, on this session's socket.</summary>
    public AddressManager Addresses => _addresses ??= new AddressManager(Links);

    /// <summary>What <c>ip route</c> does (IP routes), on this session's socket.</summary>
    public RouteManager Routes => _routes ??= new RouteManager(Links);

    /// <summary>What <c>ip neigh</c> does, on this session's socket.</summary>
    public NeighbourManager Neighbours => _neighbours ??= new NeighbourManager(Links);

    /// <summary>What <c>ip rule</c> does, on this session's socket.</summary>
    public RuleManager Rules => _rules ??= new RuleManager(Links);

    /// <summary>What <c>ip nexthop</c> does (nexthop objects, groups, resilient buckets), on this session's socket.</summary>
    public NexthopManager Nexthops => _nexthops ??= new NexthopManager(Pipeline);

    /// <summary>What <c>ip netns set</c> and <c>ip netns list-id</c> do: the ids this namespace gives other namespaces (NSIDs).</summary>
    public NamespaceIdManager NamespaceIds => _namespaceIds ??= new NamespaceIdManager(Pipeline);

    /// <summary>What <c>bridge fdb</c> does (bridge and vxlan forwarding databases), on this session's socket.</summary>
    public FdbManager Fdb => field ??= new FdbManager(Links);

    /// <summary>What <c>tc</c> does (qdiscs, classes, filters), on this session's socket.</summary>
    public Tc.TrafficControlManager TrafficControl => _trafficControl ??= new Tc.TrafficControlManager(Pipeline);

    internal NetlinkSocket Socket => _socket;

    internal RequestPipeline Pipeline { get; }

    /// <summary>Opens a session for the calling thread's network namespace.</summary>
    /// <param name="options">Socket options (buffer size, logging, dump retries…); <see langword="null"/> for defaults.</param>
    /// <returns>The session; dispose it to close its socket.</returns>
    /// <exception cref="LinuxNetException">The netlink socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static RtnetlinkSession Open(RtnetlinkSessionOptions? options = null)
    {
        options ??= new RtnetlinkSessionOptions();
        return new(OpenSocket(options), options);
    }

    /// <summary>
    /// Opens a session for the network namespace <paramref name="ns"/>: its socket is created on the namespace's pinned
    /// thread, so it belongs to <paramref name="ns"/> for its whole life and may then be used from any thread.
    /// </summary>
    /// <param name="ns">The namespace; it may be disposed afterwards (the socket keeps the namespace alive).</param>
    /// <param name="options">Socket options; <see langword="null"/> for defaults.</param>
    /// <returns>The session; dispose it to close its socket.</returns>
    /// <remarks>Like running <c>ip -n NS …</c>. Needs <c>CAP_SYS_ADMIN</c> to enter a namespace other than the caller's own.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="ns"/> is disposed.</exception>
    /// <exception cref="LinuxNetException">The namespace could not be entered or the socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static RtnetlinkSession Open(NetNamespace ns, RtnetlinkSessionOptions? options = null)
    {
        if (ns is null)
        {
            throw new ArgumentNullException(nameof(ns));
        }

        options ??= new RtnetlinkSessionOptions();
        return new(ns.Run(() => OpenSocket(options)), options);
    }

    /// <summary>A session over an already open socket (tests use it with a scripted kernel).</summary>
    internal static RtnetlinkSession FromSocket(NetlinkSocket socket) => new(socket, new RtnetlinkSessionOptions());

    /// <summary>
    /// Creates a batch: many link, address, route, neighbour and rule requests sent in as few <c>sendmsg</c> calls as
    /// the socket allows, with one result per request. Like <c>ip -batch</c>, but without a round trip per request.
    /// </summary>
    /// <param name="options">Stop-on-first-error and packing; <see langword="null"/> for defaults.</param>
    /// <returns>An empty batch bound to this session's socket; dispose it to return its buffer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RtnetlinkBatchOptions.MaxMessagesPerSend"/> is negative.</exception>
    public RtnetlinkBatch CreateBatch(RtnetlinkBatchOptions? options = null) => new(Links, options);

    /// <summary>Opens a monitor in this session's network namespace. Equivalent to <c>ip monitor KINDS</c>.</summary>
    /// <param name="kinds">What to receive.</param>
    /// <param name="options">Receive buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The monitor; dispose it to stop.</returns>
    /// <remarks>The namespace is taken from this session's socket (<c>SIOCGSKNS</c>), whichever thread calls.</remarks>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty or holds unknown bits.</exception>
    /// <exception cref="LinuxNetException">The monitor socket could not be opened.</exception>
    public RtnetlinkMonitor Monitor(RtnetlinkEventKinds kinds, RtnetlinkMonitorOptions? options = null) => Links.Monitor(kinds, options);

    /// <summary>
    /// Opens a watch in this session's network namespace: one consistent snapshot of <paramref name="kinds"/>, then
    /// every change, resynchronising by itself when events are lost. What <c>ip monitor KINDS</c> plus a re-dump after
    /// each overflow does, without gaps or duplicates.
    /// </summary>
    /// <param name="kinds">Any of <see cref="RtnetlinkEventKinds.Links"/>, <see cref="RtnetlinkEventKinds.Nexthops"/>, <see cref="RtnetlinkEventKinds.Addresses"/>, <see cref="RtnetlinkEventKinds.Routes"/>, <see cref="RtnetlinkEventKinds.Neighbours"/>.</param>
    /// <param name="options">Receive buffer, route tables; <see langword="null"/> for defaults.</param>
    /// <returns>The watch, already subscribed; enumerate it once, dispose it to stop. Its dumps go through this session's socket.</returns>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty or holds a kind a watch cannot follow (rules).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative receive buffer size or a <see cref="RtnetlinkWatchOptions.MaxSyncAttempts"/> below 1.</exception>
    /// <exception cref="LinuxNetException">The event socket could not be opened.</exception>
    public RtnetlinkWatch Watch(RtnetlinkEventKinds kinds, RtnetlinkWatchOptions? options = null) => new(this, kinds, options);

    /// <summary>Closes the netlink socket.</summary>
    public void Dispose() => _socket.Dispose();

    private static NetlinkSocket OpenSocket(RtnetlinkSessionOptions options)
        => NetlinkSocket.Open(LinuxNetlink.NETLINK_ROUTE, options.Socket);
}
