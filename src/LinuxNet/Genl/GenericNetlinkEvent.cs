using System;

namespace LinuxNet.Genl;

/// <summary>
/// One event a family sent to a multicast group (e.g. <c>MPTCP_EVENT_CREATED</c> on <c>mptcp_pm_events</c>), or the
/// notice that events were lost (<see cref="IsOverrun"/>).
/// </summary>
public sealed class GenericNetlinkEvent
{
    internal GenericNetlinkEvent(byte command, byte version, byte[] attributes, bool isOverrun)
    {
        Command = command;
        Version = version;
        Attributes = attributes;
        IsOverrun = isOverrun;
    }

    /// <summary>The event's command (<c>genlmsghdr.cmd</c>): its type, in the family's numbering.</summary>
    public byte Command { get; }

    /// <summary>The family version the event was written with.</summary>
    public byte Version { get; }

    /// <summary>
    /// The attributes after <c>genlmsghdr</c>, copied out of the receive buffer; read them with
    /// <see cref="Netlink.NetlinkAttributeEnumerator"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Attributes { get; }

    /// <summary>
    /// The socket's receive queue overflowed (<c>ENOBUFS</c>) and events were lost: re-read the state you track.
    /// <see cref="Command"/> is 0 and <see cref="Attributes"/> empty.
    /// </summary>
    public bool IsOverrun { get; }
}
