using System;
using LinuxNet.Netlink;

namespace LinuxNet.Genl;

/// <summary>Options for opening a <see cref="GenericNetlinkSession"/>.</summary>
/// <remarks>
/// Everything about the session's sockets — buffer sizes, logging, strict checking, the request deadline, how
/// interrupted dumps are retried — is set on <see cref="Socket"/>, which the session passes to
/// <see cref="NetlinkSocket.Open(int, NetlinkSocketOptions?)"/> as it is.
/// </remarks>
public sealed class GenericNetlinkSessionOptions
{
    private NetlinkSocketOptions _socket = new();

    /// <summary>The options of the session's sockets; never <see langword="null"/>.</summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    public NetlinkSocketOptions Socket
    {
        get => _socket;
        set => _socket = value ?? throw new ArgumentNullException(nameof(value));
    }
}
