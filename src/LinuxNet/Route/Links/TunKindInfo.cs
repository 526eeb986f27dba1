namespace LinuxNet.Route;

/// <summary>
/// What the kernel reports of a TUN or TAP device (kind <c>tun</c>): mode, flags, owner and queues, as
/// <c>ip -d link show</c> prints them and as <c>ip tuntap show</c> lists them.
/// </summary>
/// <remarks>
/// Kernel: the tun driver's <c>IFLA_INFO_DATA</c> (<c>IFLA_TUN_*</c>). Every value is <see langword="null"/> when the
/// kernel did not send it. Create and open devices with <see cref="LinuxNet.Tun.TunDevice"/>.
/// </remarks>
public sealed class TunKindInfo : LinkKindInfo
{
    internal TunKindInfo()
        : base("tun")
    {
    }

    /// <summary><see langword="true"/> for a TAP device (Ethernet frames), <see langword="false"/> for TUN (IP packets). Kernel: <c>IFLA_TUN_TYPE</c>.</summary>
    public bool? IsTap { get; internal set; }

    /// <summary>Whether frames carry the 4-byte packet-information header (no <c>IFF_NO_PI</c>). Kernel: <c>IFLA_TUN_PI</c>.</summary>
    public bool? PacketInformation { get; internal set; }

    /// <summary>Whether frames carry a <c>virtio_net_hdr</c> (<c>IFF_VNET_HDR</c>). Kernel: <c>IFLA_TUN_VNET_HDR</c>.</summary>
    public bool? VirtioNetHeader { get; internal set; }

    /// <summary>Whether the device outlives its file descriptors (<c>TUNSETPERSIST</c>). Kernel: <c>IFLA_TUN_PERSIST</c>.</summary>
    public bool? Persistent { get; internal set; }

    /// <summary>Whether the device has several queues (<c>IFF_MULTI_QUEUE</c>). Kernel: <c>IFLA_TUN_MULTI_QUEUE</c>.</summary>
    public bool? MultiQueue { get; internal set; }

    /// <summary>The user that may open the device (<c>TUNSETOWNER</c>), or <see langword="null"/> for none. Kernel: <c>IFLA_TUN_OWNER</c>.</summary>
    public uint? Owner { get; internal set; }

    /// <summary>The group that may open the device (<c>TUNSETGROUP</c>), or <see langword="null"/> for none. Kernel: <c>IFLA_TUN_GROUP</c>.</summary>
    public uint? Group { get; internal set; }

    /// <summary>The attached queues. Kernel: <c>IFLA_TUN_NUM_QUEUES</c>.</summary>
    public uint? Queues { get; internal set; }

    /// <summary>The detached queues (<c>TUNSETQUEUE</c> with <c>IFF_DETACH_QUEUE</c>). Kernel: <c>IFLA_TUN_NUM_DISABLED_QUEUES</c>.</summary>
    public uint? DisabledQueues { get; internal set; }
}
