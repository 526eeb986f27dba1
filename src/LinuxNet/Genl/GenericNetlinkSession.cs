using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Genl.Ethtool;
using LinuxNet.Genl.Mptcp;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Genl;

/// <summary>
/// One generic netlink socket in one network namespace, the family ids it has resolved, and the family managers that
/// share it: <see cref="Ethtool"/> (<c>ethtool</c>) and <see cref="Mptcp"/> (<c>ip mptcp</c>).
/// </summary>
/// <remarks>
/// <para>
/// <c>using var genl = GenericNetlinkSession.Open(ns);</c> is the one-line start; the sockets are created in the
/// namespace the session was opened for and stay there, whichever thread calls. A family is resolved by name through
/// <c>nlctrl</c> on first use and cached; when the kernel refuses a cached id it is resolved once more.
/// </para>
/// <para>
/// The session also holds an rtnetlink socket in the same namespace, used only to turn a link name into its index
/// for families that take indexes (MPTCP endpoints).
/// </para>
/// <para>Events: <see cref="OpenEvents(string, string)"/> joins a family's multicast group in the same namespace.</para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// </remarks>
public sealed class GenericNetlinkSession : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly NetlinkSocket _route;
    private readonly NetNamespace _namespace;

    private GenericNetlinkSession(NetlinkSocket socket, NetlinkSocket route, NetNamespace ns, GenericNetlinkSessionOptions options)
    {
        _namespace = ns;
        _socket = socket;
        _socket.OwnerName = nameof(GenericNetlinkSession);
        _route = route;
        _route.OwnerName = nameof(GenericNetlinkSession);
        Options = options;
        Pipeline = new GenericRequestPipeline(socket);
        Links = new RequestPipeline(route);
        Ethtool = new EthtoolManager(this);
        Mptcp = new MptcpManager(this);
    }

    /// <summary>The options the session was opened with.</summary>
    public GenericNetlinkSessionOptions Options { get; }

    /// <summary>What <c>ethtool</c> does over netlink (family <c>ethtool</c>), on this session's socket.</summary>
    public EthtoolManager Ethtool { get; }

    /// <summary>What <c>ip mptcp</c> does (family <c>mptcp_pm</c>), on this session's socket.</summary>
    public MptcpManager Mptcp { get; }

    internal GenericRequestPipeline Pipeline { get; }

    /// <summary>The rtnetlink pipeline that resolves link names to indexes in the session's namespace.</summary>
    internal RequestPipeline Links { get; }

    /// <summary>Opens a session for the calling thread's network namespace.</summary>
    /// <param name="options">Socket options; <see langword="null"/> for defaults.</param>
    /// <returns>The session; dispose it to close its sockets.</returns>
    /// <exception cref="LinuxNetException">A netlink socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static GenericNetlinkSession Open(GenericNetlinkSessionOptions? options = null)
    {
        options ??= new GenericNetlinkSessionOptions();
        return Create(options);
    }

    /// <summary>
    /// Opens a session for the network namespace <paramref name="ns"/>: its sockets are created on the namespace's
    /// pinned thread, so they belong to <paramref name="ns"/> for their whole life and may then be used from any thread.
    /// </summary>
    /// <param name="ns">The namespace; it may be disposed afterwards (the sockets keep the namespace alive).</param>
    /// <param name="options">Socket options; <see langword="null"/> for defaults.</param>
    /// <returns>The session; dispose it to close its sockets.</returns>
    /// <remarks>Like <c>ip -n NS mptcp …</c> or <c>ip netns exec NS ethtool …</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="ns"/> is disposed.</exception>
    /// <exception cref="LinuxNetException">The namespace could not be entered or a socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static GenericNetlinkSession Open(NetNamespace ns, GenericNetlinkSessionOptions? options = null)
    {
        if (ns is null)
        {
            throw new ArgumentNullException(nameof(ns));
        }

        options ??= new GenericNetlinkSessionOptions();
        return ns.Run(() => Create(options));
    }

    /// <summary>Resolves a family by name (cached after the first call). Equivalent to <c>genl ctrl get name NAME</c>.</summary>
    /// <param name="name">The family's name, e.g. <c>ethtool</c>, <c>mptcp_pm</c>, <c>nlctrl</c>.</param>
    /// <returns>The family: id, version, header size, commands and multicast groups.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or longer than 15 bytes.</exception>
    /// <exception cref="NetlinkException">The kernel has no family by that name (<c>ENOENT</c>; the message names the family).</exception>
    public GenericNetlinkFamily GetFamily(string name) => SyncWait.Complete(Pipeline.GetFamilyAsync<SyncWait>(name, refresh: false, default));

    /// <summary>Resolves a family by name asynchronously. Equivalent to <c>genl ctrl get name NAME</c>.</summary>
    /// <param name="name">The family's name.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or longer than 15 bytes.</exception>
    /// <exception cref="NetlinkException">The kernel has no family by that name.</exception>
    public ValueTask<GenericNetlinkFamily> GetFamilyAsync(string name, CancellationToken cancellationToken = default)
        => Pipeline.GetFamilyAsync<AsyncWait>(name, refresh: false, cancellationToken);

    /// <summary>Lists every family the kernel has registered and refreshes the cache. Equivalent to <c>genl ctrl list</c>.</summary>
    /// <returns>The families.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public IReadOnlyList<GenericNetlinkFamily> ListFamilies() => SyncWait.Complete(Pipeline.ListFamiliesAsync<SyncWait>(default));

    /// <summary>Lists every family asynchronously. Equivalent to <c>genl ctrl list</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The families.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public async ValueTask<IReadOnlyList<GenericNetlinkFamily>> ListFamiliesAsync(CancellationToken cancellationToken = default)
        => await Pipeline.ListFamiliesAsync<AsyncWait>(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Opens a reader of one multicast group of a family, in this session's namespace. Like <c>genl monitor</c>;
    /// for MPTCP, <c>OpenEvents("mptcp_pm", "mptcp_pm_events")</c> is <c>ip mptcp monitor</c>.
    /// </summary>
    /// <param name="family">The family, e.g. <c>mptcp_pm</c> or <c>ethtool</c>.</param>
    /// <param name="group">The group, e.g. <c>mptcp_pm_events</c> or <c>monitor</c>.</param>
    /// <returns>The reader; dispose it to leave the group.</returns>
    /// <exception cref="ArgumentException">The family has no group by that name.</exception>
    /// <exception cref="NetlinkException">The kernel has no family by that name.</exception>
    /// <exception cref="LinuxNetException">The socket could not be opened or joined.</exception>
    public GenericNetlinkEventReader OpenEvents(string family, string group)
    {
        GenericNetlinkFamily found = GetFamily(family);
        GenericNetlinkMulticastGroup joined = found.GetMulticastGroup(group);
        NetlinkSocket events = _namespace.Run(() => NetlinkSocket.Open(NetlinkProtocol.Generic, Options.Socket));
        try
        {
            events.OwnerName = nameof(GenericNetlinkEventReader);
            events.JoinGroup((int)joined.Id);
            return new GenericNetlinkEventReader(events, found, joined);
        }
        catch
        {
            events.Dispose();
            throw;
        }
    }

    /// <summary>Closes the netlink sockets.</summary>
    public void Dispose()
    {
        _socket.Dispose();
        _route.Dispose();
        _namespace.Dispose();
    }

    private static GenericNetlinkSession Create(GenericNetlinkSessionOptions options)
    {
        // Runs in the session's namespace: the sockets and the namespace handle kept for event sockets belong to it.
        NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Generic, options.Socket);
        NetlinkSocket? route = null;
        try
        {
            route = NetlinkSocket.Open(NetlinkProtocol.Route, options.Socket);
            return new GenericNetlinkSession(socket, route, NetNamespace.Current, options);
        }
        catch
        {
            socket.Dispose();
            route?.Dispose();
            throw;
        }
    }
}
