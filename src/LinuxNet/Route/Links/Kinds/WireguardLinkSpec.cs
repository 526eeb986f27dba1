namespace LinuxNet.Route;

/// <summary>A WireGuard interface (<c>ip link add NAME type wireguard</c>); keys and peers are configured over generic netlink (<c>wg</c>), not here.</summary>
/// <remarks>Needs the <c>wireguard</c> module; without it <see cref="LinkManager.Add(LinkSpec)"/> throws a not-supported error.</remarks>
public sealed class WireguardLinkSpec : LinkSpec
{
    /// <summary>Describes a wireguard device.</summary>
    /// <param name="name">The new device's name.</param>
    public WireguardLinkSpec(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "wireguard";
}
