namespace LinuxNet.Genl;

/// <summary>A multicast group of a generic netlink family (<c>CTRL_ATTR_MCAST_GROUPS</c>): events are sent to it.</summary>
public sealed class GenericNetlinkMulticastGroup
{
    internal GenericNetlinkMulticastGroup(string name, uint id)
    {
        Name = name;
        Id = id;
    }

    /// <summary>The group's name, e.g. <c>mptcp_pm_events</c> or <c>monitor</c>.</summary>
    public string Name { get; }

    /// <summary>The group number to join (<see cref="Netlink.NetlinkSocket.JoinGroup(int)"/>); assigned by the kernel.</summary>
    public uint Id { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Id})";
}
