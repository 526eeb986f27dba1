using System;

namespace LinuxNet.Route;

/// <summary>Flags of a route's next hop (<c>rtnh_flags</c>, also reported in <c>rtm_flags</c> for single-path routes).</summary>
/// <remarks>Kernel: <c>RTNH_F_*</c>. Only <see cref="OnLink"/> can be requested; the others are reported by the kernel.</remarks>
[Flags]
public enum RouteNextHopFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The next hop is dead (its device is down). Kernel: RTNH_F_DEAD.</summary>
    Dead = 1,

    /// <summary>Do recursive gateway lookup. Kernel: RTNH_F_PERVASIVE.</summary>
    Pervasive = 2,

    /// <summary>The gateway is on the link even if no prefix says so (<c>onlink</c>). Kernel: RTNH_F_ONLINK.</summary>
    OnLink = 4,

    /// <summary>Offloaded to hardware. Kernel: RTNH_F_OFFLOAD.</summary>
    Offload = 8,

    /// <summary>The carrier of the next hop's device is down (<c>linkdown</c>). Kernel: RTNH_F_LINKDOWN.</summary>
    LinkDown = 16,

    /// <summary>The gateway is not resolved yet. Kernel: RTNH_F_UNRESOLVED.</summary>
    Unresolved = 32,
}
