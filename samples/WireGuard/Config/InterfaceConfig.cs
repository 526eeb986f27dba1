using LinuxNet.Route;
namespace LinuxNet.Samples.WireGuard.Config;

/// <summary>The <c>[Interface]</c> section.</summary>
public sealed class InterfaceConfig
{
    /// <summary>PrivateKey: our static private key.</summary>
    public byte[] PrivateKey { get; set; } = Array.Empty<byte>();

    /// <summary>ListenPort: the UDP port, or <see langword="null"/> for a random one.</summary>
    public int? ListenPort { get; set; }

    /// <summary>Address (wg-quick): the addresses of the TUN device.</summary>
    public List<IPPrefix> Addresses { get; } = new();

    /// <summary>MTU (wg-quick): the TUN device's MTU, or <see langword="null"/> for 1420.</summary>
    public int? Mtu { get; set; }
}
