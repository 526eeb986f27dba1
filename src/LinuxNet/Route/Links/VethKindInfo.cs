namespace LinuxNet.Route;

/// <summary>What a veth end knows of its peer (<c>ip link</c> prints it as <c>v0@v1</c> or <c>v0@if7</c>).</summary>
/// <remarks>The kernel reports the peer through <c>IFLA_LINK</c> (and <c>IFLA_LINK_NETNSID</c> when the peer is in another namespace); veth has no <c>IFLA_INFO_DATA</c> of its own.</remarks>
public sealed class VethKindInfo : LinkKindInfo
{
    internal VethKindInfo()
        : base("veth")
    {
    }

    /// <summary>The peer's interface index, in the peer's namespace; <see langword="null"/> when not reported.</summary>
    public int? PeerIndex { get; internal set; }

    /// <summary>The id (in this namespace) of the namespace holding the peer, or <see langword="null"/> when the peer is in this namespace.</summary>
    public int? PeerNamespaceId { get; internal set; }
}
