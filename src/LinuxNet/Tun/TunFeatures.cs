using System;

namespace LinuxNet.Tun;

/// <summary>The <c>TUNSETIFF</c> flags the running kernel supports, as reported by <c>ioctl(TUNGETFEATURES)</c>.</summary>
/// <remarks>Values are the kernel's <c>IFF_*</c> constants from <c>linux/if_tun.h</c>.</remarks>
[Flags]
public enum TunFeatures
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary><c>IFF_TUN</c>: layer-3 devices.</summary>
    Tun = 0x0001,

    /// <summary><c>IFF_TAP</c>: layer-2 devices.</summary>
    Tap = 0x0002,

    /// <summary><c>IFF_NAPI</c>: NAPI-driven receive (needs CAP_NET_ADMIN).</summary>
    Napi = 0x0010,

    /// <summary><c>IFF_NAPI_FRAGS</c>: NAPI with fragmented frames.</summary>
    NapiFrags = 0x0020,

    /// <summary><c>IFF_NO_CARRIER</c>: create the device with the carrier off.</summary>
    NoCarrier = 0x0040,

    /// <summary><c>IFF_MULTI_QUEUE</c>: several queues (descriptors) per device.</summary>
    MultiQueue = 0x0100,

    /// <summary><c>IFF_NO_PI</c>: frames without the 4-byte packet-information header.</summary>
    NoPacketInformation = 0x1000,

    /// <summary><c>IFF_ONE_QUEUE</c>: accepted for compatibility; has no effect.</summary>
    OneQueue = 0x2000,

    /// <summary><c>IFF_VNET_HDR</c>: a <c>virtio_net_hdr</c> in front of every frame, needed for offloads.</summary>
    VirtioNetHeader = 0x4000,

    /// <summary><c>IFF_TUN_EXCL</c>: fail instead of attaching when the named device exists. Kernels accept it but do not report it in <c>TUNGETFEATURES</c>.</summary>
    Exclusive = 0x8000,
}
