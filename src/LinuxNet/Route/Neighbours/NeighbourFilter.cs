using System;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>Which neighbour entries <see cref="NeighbourManager.List(NeighbourFilter?)"/> returns.</summary>
public sealed class NeighbourFilter
{
    /// <summary>
    /// <see cref="AddressFamily.InterNetwork"/> (ARP, <c>ip -4 neigh</c>), <see cref="AddressFamily.InterNetworkV6"/>
    /// (NDP, <c>ip -6 neigh</c>) or <see cref="AddressFamily.Unspecified"/> for both (the default).
    /// </summary>
    public AddressFamily Family { get; set; }

    /// <summary>Only entries of the interface with this index (<c>dev</c>); 0 for all. Filtered by the kernel.</summary>
    public int LinkIndex { get; set; }

    /// <summary>Only entries of the interface with this name (<c>dev</c>); <see langword="null"/> for all.</summary>
    public string? LinkName { get; set; }

    /// <summary>List proxy entries (<c>ip neigh show proxy</c>) instead of ordinary ones.</summary>
    public bool Proxies { get; set; }

    internal void Validate()
    {
        if (Family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Family must be InterNetwork, InterNetworkV6 or Unspecified, not {Family}.", nameof(Family));
        }

        if (LinkIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LinkIndex), LinkIndex, "Interface indexes start at 1; 0 means all.");
        }

        if (LinkName is not null)
        {
            InterfaceName.Validate(LinkName, nameof(LinkName));
            if (LinkIndex != 0)
            {
                throw new ArgumentException("Set LinkName or LinkIndex, not both.", nameof(LinkName));
            }
        }
    }
}
