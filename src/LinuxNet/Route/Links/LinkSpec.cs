using System;
using System.Net.NetworkInformation;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// What to create with <see cref="LinkManager.Add(LinkSpec)"/>: a name, a kind (one subtype per kind —
/// <see cref="VethLinkSpec"/>, <see cref="BridgeLinkSpec"/>, <see cref="VxlanLinkSpec"/>, …) and optional common settings.
/// </summary>
/// <remarks>
/// Everything is checked when the link is created, before anything is sent: a bad name, an MTU outside 68–65535,
/// an empty MAC or contradictory kind options give <see cref="ArgumentException"/>.
/// </remarks>
public abstract class LinkSpec
{
    /// <summary>The smallest MTU accepted (<c>ETH_MIN_MTU</c>, IPv4's minimum).</summary>
    public const int MinMtu = 68;

    /// <summary>The largest MTU accepted (<c>IP_MAX_MTU</c>).</summary>
    public const int MaxMtu = 65535;

    private readonly PhysicalAddress? _address;

    private protected LinkSpec(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The interface name of the new link (1–15 bytes). Kernel: <c>IFLA_IFNAME</c>.</summary>
    public string Name { get; }

    /// <summary>The kind, as <c>ip link add … type KIND</c> names it. Kernel: <c>IFLA_INFO_KIND</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The MTU, or <see langword="null"/> for the kind's default. Kernel: <c>IFLA_MTU</c>.</summary>
    public int? Mtu { get; init; }

    /// <summary>The MAC address, or <see langword="null"/> for a random one. Kernel: <c>IFLA_ADDRESS</c>.</summary>
    public PhysicalAddress? Address
    {
        get => _address;
        init
        {
            _address = value;
            AddressBytes = value?.GetAddressBytes();
        }
    }

    /// <summary>The bytes of <see cref="Address"/>, copied once so writing the request allocates nothing.</summary>
    internal byte[]? AddressBytes { get; private set; }

    /// <summary>The transmit queue length, or <see langword="null"/> for the default. Kernel: <c>IFLA_TXQLEN</c>.</summary>
    public int? TransmitQueueLength { get; init; }

    /// <summary>Whether the lower link is sent as <c>IFLA_LINK</c> (macvlan, vlan, ipvlan) rather than inside the kind data.</summary>
    internal virtual bool UsesLinkAttribute => false;

    /// <summary>The lower (parent or underlay) device to resolve before sending, if any.</summary>
    internal virtual LinkReference? LowerLink => null;

    /// <summary>The namespace a veth peer goes into, if any.</summary>
    internal virtual NetNamespace? PeerNamespaceToOpen => null;

    internal virtual bool HasInfoData => false;

    /// <summary>Throws <see cref="ArgumentException"/> for anything the kernel would refuse or that contradicts itself.</summary>
    internal virtual void Validate()
    {
        InterfaceName.Validate(Name, nameof(Name));
        if (Mtu is int mtu)
        {
            ValidateMtu(mtu, nameof(Mtu));
        }

        if (Address is not null)
        {
            ValidateAddress(Address, nameof(Address));
        }

        if (TransmitQueueLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TransmitQueueLength), TransmitQueueLength, "The transmit queue length must not be negative.");
        }

        LowerLink?.Validate("LowerLink");
    }

    internal void WriteCommonAttributes(ref NetlinkMessageWriter writer)
    {
        if (Mtu is int mtu)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_MTU, (uint)mtu);
        }

        if (AddressBytes is not null)
        {
            writer.WriteAttribute(LinuxIfLink.IFLA_ADDRESS, AddressBytes);
        }

        if (TransmitQueueLength is int length)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_TXQLEN, (uint)length);
        }
    }

    /// <summary>Writes the content of <c>IFLA_INFO_DATA</c>.</summary>
    internal virtual void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
    }

    internal static void ValidateMtu(int mtu, string parameterName)
    {
        if (mtu is < MinMtu or > MaxMtu)
        {
            throw new ArgumentOutOfRangeException(parameterName, mtu, $"An MTU must be between {MinMtu} and {MaxMtu} bytes.");
        }
    }

    internal static void ValidateAddress(PhysicalAddress address, string parameterName)
    {
        int length = address.GetAddressBytes().Length;
        if (length == 0)
        {
            throw new ArgumentException("A link-layer address must not be empty.", parameterName);
        }

        if (length > 32)
        {
            throw new ArgumentException($"A link-layer address has at most 32 bytes (MAX_ADDR_LEN), not {length}.", parameterName);
        }
    }
}
