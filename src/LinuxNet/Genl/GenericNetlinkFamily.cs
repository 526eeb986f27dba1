using System;
using System.Collections.Generic;

namespace LinuxNet.Genl;

/// <summary>
/// A generic netlink family as <c>nlctrl</c> describes it (<c>CTRL_CMD_GETFAMILY</c>): the id its messages carry as
/// <c>nlmsg_type</c>, its version, header size, commands and multicast groups. Equivalent to <c>genl ctrl get name NAME</c>.
/// </summary>
/// <remarks>The id is assigned when the family registers (at boot or module load), so it differs between machines and boots.</remarks>
public sealed class GenericNetlinkFamily
{
    internal GenericNetlinkFamily(string name, ushort id, uint version, uint headerSize, uint maxAttribute, IReadOnlyList<GenericNetlinkOperation> operations, IReadOnlyList<GenericNetlinkMulticastGroup> multicastGroups)
    {
        Name = name;
        Id = id;
        Version = version;
        HeaderSize = headerSize;
        MaxAttribute = maxAttribute;
        Operations = operations;
        MulticastGroups = multicastGroups;
    }

    /// <summary>The family's name, e.g. <c>ethtool</c>.</summary>
    public string Name { get; }

    /// <summary>The family id: the <c>nlmsg_type</c> of its messages.</summary>
    public ushort Id { get; }

    /// <summary>The family's version (<c>CTRL_ATTR_VERSION</c>).</summary>
    public uint Version { get; }

    /// <summary>The size of the family's own header after <c>genlmsghdr</c> (<c>CTRL_ATTR_HDRSIZE</c>; 0 for most).</summary>
    public uint HeaderSize { get; }

    /// <summary>The highest attribute number the family accepts (<c>CTRL_ATTR_MAXATTR</c>).</summary>
    public uint MaxAttribute { get; }

    /// <summary>The commands the family supports.</summary>
    public IReadOnlyList<GenericNetlinkOperation> Operations { get; }

    /// <summary>The family's multicast groups.</summary>
    public IReadOnlyList<GenericNetlinkMulticastGroup> MulticastGroups { get; }

    /// <summary>The multicast group named <paramref name="name"/>.</summary>
    /// <param name="name">The group's name, e.g. <c>mptcp_pm_events</c>.</param>
    /// <returns>The group.</returns>
    /// <exception cref="ArgumentException">The family has no group by that name.</exception>
    public GenericNetlinkMulticastGroup GetMulticastGroup(string name)
    {
        foreach (GenericNetlinkMulticastGroup group in MulticastGroups)
        {
            if (string.Equals(group.Name, name, StringComparison.Ordinal))
            {
                return group;
            }
        }

        throw new ArgumentException($"The generic netlink family '{Name}' has no multicast group named '{name}'.", nameof(name));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (id {Id}, version {Version})";
}
