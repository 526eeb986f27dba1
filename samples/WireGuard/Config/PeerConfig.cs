using LinuxNet.Route;
using System.Net;

namespace LinuxNet.Samples.WireGuard.Config;

/// <summary>A <c>[Peer]</c> section.</summary>
public sealed class PeerConfig
{
    /// <summary>PublicKey: the peer's static public key.</summary>
    public byte[] PublicKey { get; set; } = Array.Empty<byte>();

    /// <summary>PresharedKey, or <see langword="null"/> for none (all zeros in the handshake).</summary>
    public byte[]? PresharedKey { get; set; }

    /// <summary>AllowedIPs: what the peer may send from and what is routed to it.</summary>
    public List<IPPrefix> AllowedIps { get; } = new();

    /// <summary>Endpoint, or <see langword="null"/> until the peer makes contact.</summary>
    public IPEndPoint? Endpoint { get; set; }

    /// <summary>PersistentKeepalive in seconds, or <see langword="null"/> for off.</summary>
    public int? PersistentKeepalive { get; set; }
}
