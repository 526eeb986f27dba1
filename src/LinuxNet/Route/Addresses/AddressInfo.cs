using System;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>An address as the kernel reports it: one line of <c>ip addr show</c>.</summary>
public sealed class AddressInfo
{
    internal AddressInfo(int linkIndex, IPPrefix address)
    {
        LinkIndex = linkIndex;
        Address = address;
    }

    /// <summary>The index of the link the address is on (<c>ifa_index</c>).</summary>
    public int LinkIndex { get; }

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>The local address and prefix length (<c>local</c> and <c>prefixlen</c> in <c>ip -j addr</c>). Kernel: IFA_LOCAL, or IFA_ADDRESS when there is no IFA_LOCAL (IPv6).</summary>
    public IPPrefix Address { get; }

    /// <summary>The peer of a point-to-point address (<c>address</c> in <c>ip -j addr</c> when it differs from <c>local</c>); otherwise <see langword="null"/>.</summary>
    public IPAddress? Peer { get; internal set; }

    /// <summary>The IPv4 broadcast address (<c>broadcast</c>), or <see langword="null"/>. Kernel: IFA_BROADCAST.</summary>
    public IPAddress? Broadcast { get; internal set; }

    /// <summary>The anycast address, or <see langword="null"/>. Kernel: IFA_ANYCAST.</summary>
    public IPAddress? Anycast { get; internal set; }

    /// <summary>The IPv4 label (<c>label</c>), or <see langword="null"/>. Kernel: IFA_LABEL.</summary>
    public string? Label { get; internal set; }

    /// <summary>The scope (<c>scope</c>).</summary>
    public RouteScope Scope { get; internal set; }

    /// <summary>The flags (<c>ifa_flags</c>, extended by IFA_FLAGS).</summary>
    public AddressFlags Flags { get; internal set; }

    /// <summary>The metric of the address's prefix route, or <see langword="null"/>. Kernel: IFA_RT_PRIORITY.</summary>
    public uint? Metric { get; internal set; }

    /// <summary>Remaining valid lifetime (<c>valid_life_time</c>); <see langword="null"/> for forever. Kernel: IFA_CACHEINFO.</summary>
    public TimeSpan? ValidLifetime { get; internal set; }

    /// <summary>Remaining preferred lifetime (<c>preferred_life_time</c>); <see langword="null"/> for forever. Kernel: IFA_CACHEINFO.</summary>
    public TimeSpan? PreferredLifetime { get; internal set; }

    /// <summary>Shorthand for <see cref="AddressFlags.Tentative"/>: duplicate address detection is running.</summary>
    public bool IsTentative => (Flags & AddressFlags.Tentative) != 0;

    /// <summary>Shorthand for <see cref="AddressFlags.Permanent"/>: configured rather than autoconfigured.</summary>
    public bool IsPermanent => (Flags & AddressFlags.Permanent) != 0;

    /// <inheritdoc/>
    public override string ToString()
        => Peer is null ? $"{Address} (link {LinkIndex})" : $"{Address.Address} peer {Peer}/{Address.PrefixLength} (link {LinkIndex})";
}
