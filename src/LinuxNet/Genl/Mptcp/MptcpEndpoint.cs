using System.Net;

namespace LinuxNet.Genl.Mptcp;

/// <summary>One MPTCP path manager endpoint as <c>ip mptcp endpoint show</c> lists it.</summary>
public sealed class MptcpEndpoint
{
    internal MptcpEndpoint(byte id, IPAddress address, ushort port, MptcpEndpointFlags flags, int interfaceIndex)
    {
        Id = id;
        Address = address;
        Port = port;
        Flags = flags;
        InterfaceIndex = interfaceIndex;
    }

    /// <summary>The endpoint's id (1–255).</summary>
    public byte Id { get; }

    /// <summary>The local address.</summary>
    public IPAddress Address { get; }

    /// <summary>The port, or 0 for none.</summary>
    public ushort Port { get; }

    /// <summary>The endpoint's flags.</summary>
    public MptcpEndpointFlags Flags { get; }

    /// <summary>The interface index of <c>dev</c>, or 0 for none.</summary>
    public int InterfaceIndex { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Address} id {Id} {Flags}";
}
