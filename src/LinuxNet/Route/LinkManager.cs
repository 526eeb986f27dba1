using System;
using System.Diagnostics.CodeAnalysis;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>What <c>ip link</c> does, over the rtnetlink socket of an <see cref="RtnetlinkSession"/>.</summary>
/// <remarks>
/// <para>
/// Obtain it from <see cref="RtnetlinkSession.Links"/>, or open a session just for links with
/// <see cref="Open(NetNamespace, LinkManagerOptions?)"/>: <c>using var links = LinkManager.Open(ns);</c>. Addresses,
/// routes, neighbours, rules, monitors and batches are on the <see cref="Session"/>.
/// </para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// </remarks>
public sealed partial class LinkManager : IDisposable
{
    private readonly RtnetlinkSession _session;
    private readonly NetlinkSocket _socket;
    private readonly RequestPipeline _pipeline;
    private bool _ownsSession;

    internal LinkManager(RtnetlinkSession session)
    {
        _session = session;
        _socket = session.Socket;
        _pipeline = session.Pipeline;
    }

    /// <summary>The session this manager belongs to: its socket, options, and the other managers.</summary>
    public RtnetlinkSession Session => _session;

    internal NetlinkSocket Socket => _socket;

    /// <summary>The request pipeline every manager of this socket runs its requests through.</summary>
    internal RequestPipeline Pipeline => _pipeline;

    /// <summary>Opens a session for the calling thread's network namespace and returns its link manager.</summary>
    /// <param name="options">Buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The manager; disposing it disposes its <see cref="Session"/>.</returns>
    /// <exception cref="LinuxNetException">The netlink socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static LinkManager Open(LinkManagerOptions? options = null) => Owning(RtnetlinkSession.Open(ToSessionOptions(options)));

    /// <summary>Opens a session for the network namespace <paramref name="ns"/> and returns its link manager.</summary>
    /// <param name="ns">The namespace to manage; it may be disposed afterwards (the socket keeps the namespace alive).</param>
    /// <param name="options">Buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The manager; disposing it disposes its <see cref="Session"/>.</returns>
    /// <remarks>Like running <c>ip -n NS link …</c>; see <see cref="RtnetlinkSession.Open(NetNamespace, RtnetlinkSessionOptions?)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="ns"/> is disposed.</exception>
    /// <exception cref="LinuxNetException">The namespace could not be entered or the socket could not be opened.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by a required first parameter; a call cannot be ambiguous.")]
    public static LinkManager Open(NetNamespace ns, LinkManagerOptions? options = null)
        => Owning(RtnetlinkSession.Open(ns, ToSessionOptions(options)));

    /// <summary>A manager over an already open socket (tests use it with a scripted kernel); disposing it closes the socket.</summary>
    internal static LinkManager FromSocket(NetlinkSocket socket) => Owning(RtnetlinkSession.FromSocket(socket));

    /// <summary>
    /// Disposes the <see cref="Session"/> when this manager was opened with <c>LinkManager.Open</c>; a manager obtained
    /// from <see cref="RtnetlinkSession.Links"/> leaves its session open (dispose the session instead).
    /// </summary>
    public void Dispose()
    {
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }

    private static LinkManager Owning(RtnetlinkSession session)
    {
        session.Links._ownsSession = true;
        return session.Links;
    }

    private static RtnetlinkSessionOptions? ToSessionOptions(LinkManagerOptions? options)
        => options is null ? null : new RtnetlinkSessionOptions { ReceiveBufferSize = options.ReceiveBufferSize, LoggerFactory = options.LoggerFactory };
}
