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

    /// <summary>Only entries of this interface (<c>dev</c>), by name or index; <see langword="null"/> for all. Filtered by the kernel.</summary>
    public LinkReference? Link { get; set; }

    /// <summary>List proxy entries (<c>ip neigh show proxy</c>) instead of ordinary ones.</summary>
    public bool Proxies { get; set; }

    internal void Validate()
    {
        if (Family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Family must be InterNetwork, InterNetworkV6 or Unspecified, not {Family}.", nameof(Family));
        }

        Link?.Validate(nameof(Link));
    }
}
