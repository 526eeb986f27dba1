using System;
using System.Collections.Generic;

namespace LinuxNet.Netlink;

/// <summary>The kernel refused a netlink request: carries the errno, the kernel's extended-ack text and the offending attribute.</summary>
/// <remarks>
/// <see cref="ExtendedAckMessage"/> is the text <c>ip</c> prints after <c>Error:</c>. When the kernel points at an
/// attribute (<c>NLMSGERR_ATTR_OFFS</c>), <see cref="AttributePath"/> names it by walking the request that was sent.
/// </remarks>
public class NetlinkException : LinuxNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errno">The errno the kernel returned.</param>
    /// <param name="operation">The request, e.g. <c>RTM_NEWADDR</c>.</param>
    /// <param name="message">The full message.</param>
    /// <param name="extendedAckMessage">The kernel's extended-ack text, if any.</param>
    /// <param name="extendedAckOffset">The byte offset of the offending attribute in the request, if the kernel gave one.</param>
    /// <param name="messageType">The request's <c>nlmsg_type</c>.</param>
    /// <param name="sequence">The request's sequence number.</param>
    /// <param name="attributePath">The attribute types from outermost to the offending one; empty when unknown.</param>
    /// <param name="attributeName">The offending attribute by kernel name, e.g. <c>IFLA_LINKINFO/IFLA_INFO_KIND</c>, if known.</param>
    public NetlinkException(
        Errno errno,
        string operation,
        string message,
        string? extendedAckMessage,
        int? extendedAckOffset,
        ushort messageType,
        uint sequence,
        IReadOnlyList<ushort>? attributePath = null,
        string? attributeName = null)
        : base(errno, operation, message)
    {
        ExtendedAckMessage = extendedAckMessage;
        ExtendedAckOffset = extendedAckOffset;
        MessageType = messageType;
        Sequence = sequence;
        AttributePath = attributePath ?? Array.Empty<ushort>();
        AttributeName = attributeName;
    }

    /// <summary>The kernel's own explanation (<c>NLMSGERR_ATTR_MSG</c>), e.g. <c>ipv4: Address already assigned</c>; <see langword="null"/> when it gave none.</summary>
    public string? ExtendedAckMessage { get; }

    /// <summary>The byte offset in the request of the attribute the kernel objected to (<c>NLMSGERR_ATTR_OFFS</c>).</summary>
    public int? ExtendedAckOffset { get; }

    /// <summary>The <c>nlmsg_type</c> of the refused request.</summary>
    public ushort MessageType { get; }

    /// <summary>The sequence number of the refused request.</summary>
    public uint Sequence { get; }

    /// <summary>The attribute types, outermost first, leading to the attribute at <see cref="ExtendedAckOffset"/>.</summary>
    public IReadOnlyList<ushort> AttributePath { get; }

    /// <summary>The offending attribute by its kernel name(s), e.g. <c>IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID</c>.</summary>
    public string? AttributeName { get; }
}
