using System;

namespace LinuxNet.Route;

/// <summary>Flags of a forwarding database entry (<c>ndm_flags</c> of an AF_BRIDGE neighbour message).</summary>
[Flags]
public enum FdbFlags
{
    /// <summary>No flags. On a request: as <see cref="Self"/>, which is what <c>bridge fdb add</c> sends without <c>self</c> or <c>master</c>.</summary>
    None = 0,

    /// <summary>The device's own table (<c>self</c>, <c>NTF_SELF</c>): a vxlan device's remote entries, a port's unicast/multicast filter.</summary>
    Self = 0x02,

    /// <summary>The table of the device's master bridge (<c>master</c>, <c>NTF_MASTER</c>).</summary>
    Master = 0x04,

    /// <summary>Learned by an external control plane (<c>extern_learn</c>, <c>NTF_EXT_LEARNED</c>).</summary>
    ExternallyLearned = 0x10,

    /// <summary>Offloaded to hardware (<c>offload</c>, <c>NTF_OFFLOADED</c>); reported, not settable.</summary>
    Offloaded = 0x20,

    /// <summary>The entry may not move to another port (<c>sticky</c>, <c>NTF_STICKY</c>).</summary>
    Sticky = 0x40,

    /// <summary>The entry belongs to a router (<c>router</c>, <c>NTF_ROUTER</c>); reported, not settable.</summary>
    Router = 0x80,
}
