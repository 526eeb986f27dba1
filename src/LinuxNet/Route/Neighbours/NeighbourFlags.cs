using System;

namespace LinuxNet.Route;

/// <summary>Flags of a neighbour entry (<c>ndm_flags</c>).</summary>
[Flags]
public enum NeighbourFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The entry is a proxy entry: this host answers for the address (<c>NTF_PROXY</c>, <c>ip neigh … proxy</c>).</summary>
    Proxy = 0x08,

    /// <summary>Learned by an external control plane, e.g. a routing daemon (<c>NTF_EXT_LEARNED</c>, <c>extern_learn</c>).</summary>
    ExternallyLearned = 0x10,

    /// <summary>The entry is offloaded to hardware (<c>NTF_OFFLOADED</c>); reported by the kernel, not settable.</summary>
    Offloaded = 0x20,

    /// <summary>The neighbour is an IPv6 router (<c>NTF_ROUTER</c>, <c>ip neigh … router</c>).</summary>
    Router = 0x80,
}
