using System;
using System.Diagnostics.CodeAnalysis;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What <c>ip link</c>, <c>ip addr</c> and <c>ip route</c> do, over one rtnetlink socket in one network namespace.
/// </summary>
/// <remarks>
/// <para>
/// Link verbs are on this type; addresses, routes, neighbours and rules are on <c>Addresses</c>,
/// <c>Routes</c>, and the other area properties, which share this manager's socket. The socket is created in
/// the namespace the manager was opened for and stays there, whichever thread calls.
/// </para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// </remarks>
public sealed partial class LinkManager : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly RequestPipeline _pipeline;

    private LinkManager(NetlinkSocket socket)
    {
        _socket = socket;
        _socket.Schema = RouteNetlinkSchema.Instance;
        _pipeline = new RequestPipeline(socket);
    }

    internal NetlinkSocket Socket => _socket;

    /// <summary>The request pipeline every manager of this socket runs its requests through.</summary>
    internal RequestPipeline Pipeline => _pipeline;

    /// <summary>A manager over an already open socket (tests use it with a scripted kernel).</summary>
    internal static LinkManager FromSocket(NetlinkSocket socket) => new(socket);

    /// <summary>Opens a manager for the calling thread's network namespace.</summary>
    /// <param name="options">Buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The manager; dispose it to close its socket.</returns>
    /// <exception cref="LinuxNetException">The netlink socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static LinkManager Open(LinkManagerOptions? options = null) => new(OpenSocket(options));

    /// <summary>
    /// Opens a manager for the network namespace <paramref name="ns"/>: its netlink socket is created on the namespace's
    /// pinned thread, so it belongs to <paramref name="ns"/> for its whole life and may then be used from any thread.
    /// </summary>
    /// <param name="ns">The namespace to manage; it may be disposed afterwards (the socket keeps the namespace alive).</param>
    /// <param name="options">Buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The manager; dispose it to close its socket.</returns>
    /// <remarks>Like running <c>ip -n NS link …</c>. Needs <c>CAP_SYS_ADMIN</c> to enter a namespace other than the caller's own.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="ns"/> is disposed.</exception>
    /// <exception cref="LinuxNetException">The namespace could not be entered or the socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static LinkManager Open(NetNamespace ns, LinkManagerOptions? options = null)
    {
        if (ns is null)
        {
            throw new ArgumentNullException(nameof(ns));
        }

        return new(ns.Run(() => OpenSocket(options)));
    }

    internal static NetlinkSocket OpenSocket(LinkManagerOptions? options)
        => NetlinkSocket.Open(LinuxNetlink.NETLINK_ROUTE, new NetlinkSocketOptions
        {
            ReceiveBufferSize = options?.ReceiveBufferSize ?? 0,
            LoggerFactory = options?.LoggerFactory,
        });

    /// <summary>Closes the netlink socket.</summary>
    public void Dispose() => _socket.Dispose();
}
