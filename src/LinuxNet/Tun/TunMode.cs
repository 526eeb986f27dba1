namespace LinuxNet.Tun;

/// <summary>The kind of virtual device: IP packets (TUN) or Ethernet frames (TAP).</summary>
public enum TunMode
{
    /// <summary>A layer-3 device (<c>IFF_TUN</c>): each frame is one IPv4 or IPv6 packet.</summary>
    Tun = 0,

    /// <summary>A layer-2 device (<c>IFF_TAP</c>): each frame is one Ethernet frame, starting with the destination MAC.</summary>
    Tap = 1,
}
