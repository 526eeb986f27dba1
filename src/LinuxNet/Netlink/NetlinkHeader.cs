using System.Runtime.InteropServices;

namespace LinuxNet.Netlink;

/// <summary>A netlink message header (<c>struct nlmsghdr</c>, 16 bytes, host byte order).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct NetlinkHeader
{
    /// <summary>The size of the header in bytes.</summary>
    public const int Size = 16;

    /// <summary>Creates a header.</summary>
    /// <param name="length">The message length including this header (<c>nlmsg_len</c>).</param>
    /// <param name="type">The message type (<c>nlmsg_type</c>).</param>
    /// <param name="flags">The flags (<c>nlmsg_flags</c>).</param>
    /// <param name="sequence">The sequence number (<c>nlmsg_seq</c>).</param>
    /// <param name="portId">The sender's port id (<c>nlmsg_pid</c>); 0 for the kernel.</param>
    public NetlinkHeader(uint length, ushort type, NetlinkMessageFlags flags, uint sequence, uint portId)
    {
        Length = length;
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
    }

    /// <summary>The message length including the header (<c>nlmsg_len</c>).</summary>
    public uint Length { get; }

    /// <summary>The message type (<c>nlmsg_type</c>), e.g. 16 for <c>RTM_NEWLINK</c>.</summary>
    public ushort Type { get; }

    /// <summary>The flags (<c>nlmsg_flags</c>).</summary>
    public NetlinkMessageFlags Flags { get; }

    /// <summary>The sequence number (<c>nlmsg_seq</c>).</summary>
    public uint Sequence { get; }

    /// <summary>The port id of the sender (<c>nlmsg_pid</c>).</summary>
    public uint PortId { get; }

    /// <inheritdoc/>
    public override string ToString() => $"len={Length} type={Type} flags=0x{(ushort)Flags:x} seq={Sequence} pid={PortId}";
}
