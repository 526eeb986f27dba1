using System;
using System.Net;
using System.Net.NetworkInformation;

namespace LinuxNet.Route;

/// <summary>
/// A neighbour entry to add, replace or delete: <c>ip neigh add|replace|del ADDRESS [lladdr MAC] dev LINK [nud STATE]
/// [router] [proxy] [extern_learn]</c>.
/// </summary>
public sealed class NeighbourSpec
{
    private PhysicalAddress? _linkLayerAddress;
    private byte[]? _linkLayerBytes;

    /// <summary>Describes the entry for <paramref name="address"/> on <paramref name="link"/>.</summary>
    /// <param name="address">The neighbour's IPv4 (ARP) or IPv6 (NDP) address.</param>
    /// <param name="link">The interface (<c>dev</c>) by name or index; a name is resolved to an index when the request is sent.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a specific IP address, or <paramref name="link"/> is not a valid interface name or index.</exception>
    public NeighbourSpec(IPAddress address, LinkReference link)
    {
        KernelFamily.ValidateAddress(address, nameof(address));
        link.Validate(nameof(link));
        Address = address;
        Link = link;
    }

    /// <summary>The neighbour's address.</summary>
    public IPAddress Address { get; }

    /// <summary>The interface the entry is on.</summary>
    public LinkReference Link { get; }

    /// <summary>The link-layer (MAC) address (<c>lladdr</c>); <see langword="null"/> for none (proxy entries, or states that resolve it).</summary>
    public PhysicalAddress? LinkLayerAddress
    {
        get => _linkLayerAddress;
        set
        {
            _linkLayerAddress = value;

            // PhysicalAddress hands out copies only: take one when it is set, not one per request.
            _linkLayerBytes = value?.GetAddressBytes();
        }
    }

    /// <summary>The bytes of <see cref="LinkLayerAddress"/>, copied once when it was set; <see langword="null"/> when none.</summary>
    internal byte[]? LinkLayerBytes => _linkLayerBytes;

    /// <summary>
    /// The state to set (<c>nud</c>); default <see cref="NeighbourStates.Permanent"/>, as <c>ip neigh add</c>. Exactly one
    /// of <see cref="NeighbourStates.Permanent"/>, <see cref="NeighbourStates.NoArp"/>, <see cref="NeighbourStates.Reachable"/>,
    /// <see cref="NeighbourStates.Stale"/>, <see cref="NeighbourStates.Delay"/>, <see cref="NeighbourStates.Probe"/>,
    /// <see cref="NeighbourStates.Failed"/>, <see cref="NeighbourStates.Incomplete"/> or <see cref="NeighbourStates.None"/>.
    /// </summary>
    public NeighbourStates State { get; set; } = NeighbourStates.Permanent;

    /// <summary>
    /// Flags to set: any of <see cref="NeighbourFlags.Router"/>, <see cref="NeighbourFlags.Proxy"/> (a proxy entry:
    /// this host answers for <see cref="Address"/>) and <see cref="NeighbourFlags.ExternallyLearned"/>.
    /// </summary>
    public NeighbourFlags Flags { get; set; }

    /// <summary>Checks the settable values; throws <see cref="ArgumentException"/> for a bad one.</summary>
    internal void Validate()
    {
        NeighbourStates state = State;
        if ((((int)state & ((int)state - 1)) != 0) || (((int)state & ~0xff) != 0))
        {
            throw new ArgumentException($"'{state}' is not one neighbour state: set exactly one (Permanent, NoArp, Reachable, Stale, Delay, Probe, Failed, Incomplete) or None.", nameof(State));
        }

        const NeighbourFlags settable = NeighbourFlags.Router | NeighbourFlags.Proxy | NeighbourFlags.ExternallyLearned;
        if ((Flags & ~settable) != 0)
        {
            throw new ArgumentException($"Only Router, Proxy and ExternallyLearned can be set, not {Flags & ~settable}.", nameof(Flags));
        }

        if (_linkLayerBytes is { } mac)
        {
            int length = mac.Length;
            if (length == 0 || length > LinuxNeighbour.MAX_ADDR_LEN)
            {
                throw new ArgumentException($"A link-layer address must have 1 to {LinuxNeighbour.MAX_ADDR_LEN} bytes; this one has {length}.", nameof(LinkLayerAddress));
            }
        }
    }
}
