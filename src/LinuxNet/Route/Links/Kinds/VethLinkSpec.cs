using System;
using System.Net.NetworkInformation;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>A veth pair: two ends joined back to back (<c>ip link add NAME type veth peer name PEER [netns NS]</c>).</summary>
/// <remarks>
/// <see cref="LinkManager.Add(LinkSpec)"/> returns the index of the end called <see cref="LinkSpec.Name"/>.
/// With <see cref="PeerNamespace"/> the peer is created directly inside that namespace (<c>IFLA_NET_NS_FD</c> in the peer's
/// attributes), so it never appears in this one.
/// </remarks>
public sealed class VethLinkSpec : LinkSpec
{
    private readonly PhysicalAddress? _peerAddress;
    private readonly byte[]? _peerAddressBytes;

    /// <summary>Describes a veth pair.</summary>
    /// <param name="name">The first end's name.</param>
    /// <param name="peerName">The peer's name.</param>
    /// <exception cref="ArgumentNullException">A name is <see langword="null"/>.</exception>
    public VethLinkSpec(string name, string peerName)
        : base(name)
        => PeerName = peerName ?? throw new ArgumentNullException(nameof(peerName));

    /// <inheritdoc/>
    public override string Kind => "veth";

    /// <summary>The peer's name. Kernel: <c>VETH_INFO_PEER</c>/<c>IFLA_IFNAME</c>.</summary>
    public string PeerName { get; }

    /// <summary>The namespace to create the peer in, or <see langword="null"/> for this one. Kernel: <c>VETH_INFO_PEER</c>/<c>IFLA_NET_NS_FD</c>.</summary>
    public NetNamespace? PeerNamespace { get; init; }

    /// <summary>The peer's MAC address, or <see langword="null"/> for a random one.</summary>
    public PhysicalAddress? PeerAddress
    {
        get => _peerAddress;
        init
        {
            _peerAddress = value;
            _peerAddressBytes = value?.GetAddressBytes();
        }
    }

    internal override NetNamespace? PeerNamespaceToOpen => PeerNamespace;

    internal override bool HasInfoData => true;

    internal override void Validate()
    {
        base.Validate();
        InterfaceName.Validate(PeerName, nameof(PeerName));
        if (PeerNamespace is null && string.Equals(PeerName, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The veth peer cannot have the same name as the first end ('{Name}') in the same namespace.", nameof(PeerName));
        }

        if (PeerAddress is not null)
        {
            ValidateAddress(PeerAddress, nameof(PeerAddress));
        }
    }

    internal override void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
        NestedAttribute peer = writer.BeginNested(LinuxVeth.VETH_INFO_PEER);
        writer.WriteHeader(default(IfInfoMsg));
        if (_peerAddressBytes is not null)
        {
            writer.WriteAttribute(LinuxIfLink.IFLA_ADDRESS, _peerAddressBytes);
        }

        if (PeerNamespace is not null)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_NET_NS_FD, (uint)peerNamespaceFd);
        }

        writer.WriteString(LinuxIfLink.IFLA_IFNAME, PeerName);
        LinkMessages.EndNested(ref writer, peer);
    }
}
