using System;

namespace LinuxNet.Route;

/// <summary>A link's device flags, as <c>ip link</c> prints them in angle brackets (<c>&lt;BROADCAST,MULTICAST,UP,LOWER_UP&gt;</c>).</summary>
/// <remarks>Kernel: <c>enum net_device_flags</c> in <c>/usr/include/linux/if.h</c> (<c>ifinfomsg.ifi_flags</c>).</remarks>
[Flags]
public enum LinkFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Administratively up (<c>IFF_UP</c>), what <c>ip link set … up</c> sets.</summary>
    Up = 0x1,

    /// <summary>Has a valid broadcast address (<c>IFF_BROADCAST</c>).</summary>
    Broadcast = 0x2,

    /// <summary>Debugging turned on (<c>IFF_DEBUG</c>).</summary>
    Debug = 0x4,

    /// <summary>A loopback device (<c>IFF_LOOPBACK</c>).</summary>
    Loopback = 0x8,

    /// <summary>A point-to-point link (<c>IFF_POINTOPOINT</c>).</summary>
    PointToPoint = 0x10,

    /// <summary>Obsolete; no trailers (<c>IFF_NOTRAILERS</c>).</summary>
    NoTrailers = 0x20,

    /// <summary>Operationally up, as reported by the driver (<c>IFF_RUNNING</c>).</summary>
    Running = 0x40,

    /// <summary>No ARP protocol (<c>IFF_NOARP</c>).</summary>
    NoArp = 0x80,

    /// <summary>Receives all packets (<c>IFF_PROMISC</c>).</summary>
    Promiscuous = 0x100,

    /// <summary>Receives all multicast packets (<c>IFF_ALLMULTI</c>).</summary>
    AllMulticast = 0x200,

    /// <summary>Master of a load balancer (<c>IFF_MASTER</c>).</summary>
    Master = 0x400,

    /// <summary>Slave of a load balancer (<c>IFF_SLAVE</c>).</summary>
    Slave = 0x800,

    /// <summary>Supports multicast (<c>IFF_MULTICAST</c>).</summary>
    Multicast = 0x1000,

    /// <summary>Can set media type (<c>IFF_PORTSEL</c>).</summary>
    PortSelect = 0x2000,

    /// <summary>Auto media select active (<c>IFF_AUTOMEDIA</c>).</summary>
    AutoMedia = 0x4000,

    /// <summary>Addresses are lost when the device goes down (<c>IFF_DYNAMIC</c>).</summary>
    Dynamic = 0x8000,

    /// <summary>The lower layer signals carrier (<c>IFF_LOWER_UP</c>).</summary>
    LowerUp = 0x10000,

    /// <summary>Dormant: waiting for an external event (<c>IFF_DORMANT</c>).</summary>
    Dormant = 0x20000,

    /// <summary>Echoes sent packets (<c>IFF_ECHO</c>).</summary>
    Echo = 0x40000,
}
