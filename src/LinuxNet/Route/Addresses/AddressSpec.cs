using System;
using System.Net;

namespace LinuxNet.Route;

/// <summary>
/// An address to add, replace or delete: the arguments of <c>ip addr add ADDRESS/LEN [peer PEER] [brd BRD|+]
/// [label LABEL] [scope SCOPE] [metric N] [valid_lft S] [preferred_lft S] [FLAGS] dev LINK</c>.
/// </summary>
/// <remarks>Checked before anything is sent: a mismatch of families, a label that does not start with the link's name,
/// a flag the kernel only reports, or inconsistent lifetimes throw <see cref="ArgumentException"/>.</remarks>
public sealed class AddressSpec
{
    /// <summary>Describes <paramref name="address"/> on <paramref name="link"/>.</summary>
    /// <param name="link">The link (<c>dev NAME</c>) by name or index; a name is resolved to its index when the request is sent.</param>
    /// <param name="address">The local address with its prefix length (<c>198.51.100.7/24</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid interface name or index.</exception>
    public AddressSpec(LinkReference link, IPPrefix address)
    {
        link.Validate(nameof(link));
        Link = link;
        Address = address;
    }

    /// <summary>The link the address is on.</summary>
    public LinkReference Link { get; }

    /// <summary>The local address and prefix length (<c>IFA_LOCAL</c>, <c>ifa_prefixlen</c>).</summary>
    public IPAddress LocalAddress => Address.Address;

    /// <summary>The local address with its prefix length. With a <see cref="Peer"/>, the prefix length applies to the peer.</summary>
    public IPPrefix Address { get; }

    /// <summary>The remote end of a point-to-point link (<c>peer</c>), e.g. for a TUN device; same family as the address.</summary>
    /// <remarks>Kernel: IFA_ADDRESS. Equivalent to <c>ip addr add LOCAL peer PEER/LEN</c> with LEN the prefix length of <see cref="Address"/>.</remarks>
    public IPAddress? Peer { get; set; }

    /// <summary>An explicit IPv4 broadcast address (<c>brd ADDRESS</c>). Kernel: IFA_BROADCAST.</summary>
    public IPAddress? Broadcast { get; set; }

    /// <summary>Derive the IPv4 broadcast address from the prefix by setting the host bits (<c>brd +</c>); ignored for /31 and /32.</summary>
    public bool AutoBroadcast { get; set; }

    /// <summary>An IPv4 label (<c>label</c>), which must start with the link's name, at most 15 bytes. Kernel: IFA_LABEL.</summary>
    public string? Label { get; set; }

    /// <summary>The scope (<c>scope</c>); <see langword="null"/> for the default: host for 127.0.0.0/8, otherwise global.</summary>
    public RouteScope? Scope { get; set; }

    /// <summary>Flags to request (<c>nodad</c>, <c>noprefixroute</c>, <c>home</c>, <c>mngtmpaddr</c>, <c>optimistic</c>, <c>autojoin</c>).</summary>
    public AddressFlags Flags { get; set; }

    /// <summary>The metric of the prefix route the kernel adds (<c>metric</c>). Kernel: IFA_RT_PRIORITY.</summary>
    public uint? Metric { get; set; }

    /// <summary>How long the address stays valid (<c>valid_lft</c>), whole seconds; <see langword="null"/> for forever.</summary>
    public TimeSpan? ValidLifetime { get; set; }

    /// <summary>How long the address stays preferred (<c>preferred_lft</c>), whole seconds, at most <see cref="ValidLifetime"/>; <see langword="null"/> for as long as it is valid.</summary>
    public TimeSpan? PreferredLifetime { get; set; }

    /// <summary>The flags that a request may carry; the rest are only reported by the kernel.</summary>
    internal const AddressFlags RequestableFlags = AddressFlags.NoDad | AddressFlags.Optimistic | AddressFlags.HomeAddress
        | AddressFlags.ManageTemporaryAddresses | AddressFlags.NoPrefixRoute | AddressFlags.MulticastAutoJoin;
}
