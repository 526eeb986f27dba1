using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>One entry of the neighbour table (ARP for IPv4, NDP for IPv6), as <c>ip neigh show</c> lists it.</summary>
public sealed class NeighbourInfo
{
    internal NeighbourInfo(int linkIndex, IPAddress address, PhysicalAddress? linkLayerAddress, NeighbourStates state, NeighbourFlags flags, uint probes)
    {
        LinkIndex = linkIndex;
        Address = address;
        LinkLayerAddress = linkLayerAddress;
        State = state;
        Flags = flags;
        Probes = probes;
    }

    /// <summary>The index of the interface the entry belongs to (<c>dev</c>).</summary>
    /// <remarks>Kernel: <c>ndm_ifindex</c>.</remarks>
    public int LinkIndex { get; }

    /// <summary>The neighbour's IPv4 or IPv6 address.</summary>
    /// <remarks>Kernel: <c>NDA_DST</c>.</remarks>
    public IPAddress Address { get; }

    /// <summary>The address family: <see cref="AddressFamily.InterNetwork"/> (ARP) or <see cref="AddressFamily.InterNetworkV6"/> (NDP).</summary>
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>The link-layer (MAC) address, or <see langword="null"/> when unresolved (<c>INCOMPLETE</c>, <c>FAILED</c>) or a proxy entry.</summary>
    /// <remarks>Kernel: <c>NDA_LLADDR</c>.</remarks>
    public PhysicalAddress? LinkLayerAddress { get; }

    /// <summary>The entry's state.</summary>
    /// <remarks>Kernel: <c>ndm_state</c>. Proxy entries have no state of their own and report <see cref="NeighbourStates.None"/>.</remarks>
    public NeighbourStates State { get; }

    /// <summary>The entry's flags (router, proxy, externally learned).</summary>
    /// <remarks>Kernel: <c>ndm_flags</c>.</remarks>
    public NeighbourFlags Flags { get; }

    /// <summary>Whether the neighbour is an IPv6 router (<see cref="NeighbourFlags.Router"/>).</summary>
    public bool IsRouter => (Flags & NeighbourFlags.Router) != 0;

    /// <summary>Whether this is a proxy entry (<see cref="NeighbourFlags.Proxy"/>).</summary>
    public bool IsProxy => (Flags & NeighbourFlags.Proxy) != 0;

    /// <summary>How many probes were sent without an answer.</summary>
    /// <remarks>Kernel: <c>NDA_PROBES</c>.</remarks>
    public uint Probes { get; }

    /// <summary>Formats the entry like <c>ip neigh show</c>: <c>198.51.100.9 dev #3 lladdr 02:00:00:00:00:09 PERMANENT</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        string lladdr = LinkLayerAddress is null ? string.Empty : " lladdr " + NeighbourMessage.FormatMac(LinkLayerAddress);
        string flags = (IsRouter ? " router" : string.Empty) + (IsProxy ? " proxy" : string.Empty) + ((Flags & NeighbourFlags.ExternallyLearned) != 0 ? " extern_learn" : string.Empty);
        return $"{Address} dev #{LinkIndex}{lladdr}{flags} {State.ToString().ToUpperInvariant()}";
    }

    /// <summary>Parses an <c>RTM_NEWNEIGH</c> (or <c>RTM_DELNEIGH</c>) message; returns <see langword="null"/> for non-IP families.</summary>
    internal static NeighbourInfo? Parse(NetlinkMessage message)
    {
        if (message.Type is not (LinuxRtnetlink.RTM_NEWNEIGH or LinuxRtnetlink.RTM_DELNEIGH))
        {
            return null;
        }

        NdMsg header = message.ReadHeader<NdMsg>();
        if (header.Family is not (LinuxSocket.AF_INET or LinuxSocket.AF_INET6))
        {
            return null;
        }

        IPAddress? address = null;
        PhysicalAddress? lladdr = null;
        uint probes = 0;
        foreach (NetlinkAttribute attribute in message.GetAttributes<NdMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxNeighbour.NDA_DST:
                    address = attribute.GetIPAddress();
                    break;
                case LinuxNeighbour.NDA_LLADDR:
                    lladdr = attribute.Value.IsEmpty ? null : attribute.GetPhysicalAddress();
                    break;
                case LinuxNeighbour.NDA_PROBES:
                    probes = attribute.GetUInt32();
                    break;
            }
        }

        if (address is null)
        {
            return null;
        }

        return new NeighbourInfo(header.Index, address, lladdr, (NeighbourStates)header.State, (NeighbourFlags)header.Flags, probes);
    }
}
