using System.Net;
using LinuxNet.Route;

namespace LinuxNet.Genl.Mptcp;

/// <summary>An endpoint to add: <c>ip mptcp endpoint add ADDRESS [id ID] [port PORT] [dev DEV] [signal|subflow|backup|fullmesh]</c>.</summary>
public sealed class MptcpEndpointSpec
{
    /// <summary>Creates a spec for <paramref name="address"/>.</summary>
    /// <param name="address">The local IPv4 or IPv6 address.</param>
    public MptcpEndpointSpec(IPAddress address) => Address = address;

    /// <summary>The local IPv4 or IPv6 address.</summary>
    public IPAddress Address { get; }

    /// <summary>The id, 1–255; <see langword="null"/> lets the kernel choose.</summary>
    public int? Id { get; init; }

    /// <summary>The port (only with <see cref="MptcpEndpointFlags.Signal"/>); 0 for none.</summary>
    public ushort Port { get; init; }

    /// <summary>The endpoint's flags.</summary>
    public MptcpEndpointFlags Flags { get; init; }

    /// <summary>The device the endpoint is bound to (<c>dev</c>), or <see langword="null"/>.</summary>
    public LinkReference? Link { get; init; }
}
