using System;

namespace LinuxNet.Route;

/// <summary>The state of a neighbour (ARP or NDP) entry, as <c>ip neigh</c> shows it after <c>nud</c>.</summary>
/// <remarks>
/// Kernel: <c>NUD_*</c> in <c>ndm_state</c>. The kernel reports exactly one state per entry; a request sets exactly one
/// state (see <see cref="NeighbourSpec.State"/>). The type is a flags enum only because the kernel's values are bits.
/// </remarks>
[Flags]
public enum NeighbourStates
{
    /// <summary>No state (<c>NUD_NONE</c>): the entry is being created or was just flushed.</summary>
    None = 0x00,

    /// <summary>Resolution in progress: a solicitation was sent, no answer yet (<c>NUD_INCOMPLETE</c>).</summary>
    Incomplete = 0x01,

    /// <summary>Confirmed reachable recently (<c>NUD_REACHABLE</c>).</summary>
    Reachable = 0x02,

    /// <summary>Valid but unconfirmed; usable, verified on next use (<c>NUD_STALE</c>).</summary>
    Stale = 0x04,

    /// <summary>Waiting for upper-layer confirmation before probing (<c>NUD_DELAY</c>).</summary>
    Delay = 0x08,

    /// <summary>Being probed with unicast solicitations (<c>NUD_PROBE</c>).</summary>
    Probe = 0x10,

    /// <summary>Resolution failed (<c>NUD_FAILED</c>).</summary>
    Failed = 0x20,

    /// <summary>Valid, never verified, no resolution needed (<c>NUD_NOARP</c>), e.g. multicast or point-to-point.</summary>
    NoArp = 0x40,

    /// <summary>Set by an administrator; never expires or changes (<c>NUD_PERMANENT</c>).</summary>
    Permanent = 0x80,
}
