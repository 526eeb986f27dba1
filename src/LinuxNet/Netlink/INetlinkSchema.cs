using System;

namespace LinuxNet.Netlink;

/// <summary>What a protocol layer tells the socket about its messages, so errors can name types and attributes.</summary>
internal interface INetlinkSchema
{
    /// <summary>The kernel name of a message type, e.g. <c>RTM_NEWLINK</c>.</summary>
    string GetMessageTypeName(ushort type);

    /// <summary>The size of the family header of a message type (before alignment), or -1 when unknown.</summary>
    int GetFamilyHeaderSize(ushort type);

    /// <summary>The kernel names of an attribute path, e.g. <c>IFLA_LINKINFO/IFLA_INFO_KIND</c>, or <see langword="null"/>.</summary>
    string? GetAttributeName(ushort messageType, ReadOnlySpan<ushort> path);
}
