using System;
using LinuxNet.Netlink;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Route;

/// <summary>Options for opening an <see cref="RtnetlinkSession"/>.</summary>
/// <remarks>
/// Everything about the session's socket — buffer sizes, logging, strict checking, how interrupted dumps are retried,
/// and whatever <see cref="NetlinkSocketOptions"/> gains later (a request timeout, a dump retry policy) — is set on
/// <see cref="Socket"/>, which the session passes to <see cref="NetlinkSocket.Open(int, NetlinkSocketOptions?)"/> as it is.
/// </remarks>
public sealed class RtnetlinkSessionOptions
{
    private NetlinkSocketOptions _socket = new();

    /// <summary>The options of the session's rtnetlink socket; never <see langword="null"/>.</summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    public NetlinkSocketOptions Socket
    {
        get => _socket;
        set => _socket = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The socket's receive buffer in bytes; 0 keeps the default. Shorthand for <c>Socket.ReceiveBufferSize</c>.</summary>
    public int ReceiveBufferSize
    {
        get => _socket.ReceiveBufferSize;
        set => _socket.ReceiveBufferSize = value;
    }

    /// <summary>Where the session and its socket log; <see langword="null"/> for no logging. Shorthand for <c>Socket.LoggerFactory</c>.</summary>
    public ILoggerFactory? LoggerFactory
    {
        get => _socket.LoggerFactory;
        set => _socket.LoggerFactory = value;
    }
}
