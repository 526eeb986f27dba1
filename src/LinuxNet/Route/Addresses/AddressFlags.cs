using System;

namespace LinuxNet.Route;

/// <summary>Flags of an address (<c>ip addr</c> flags).</summary>
/// <remarks>
/// Kernel: <c>IFA_F_*</c> (<c>ifa_flags</c> and the 32-bit <c>IFA_FLAGS</c>). When adding, only
/// <see cref="NoDad"/>, <see cref="Optimistic"/>, <see cref="HomeAddress"/>, <see cref="ManageTemporaryAddresses"/>,
/// <see cref="NoPrefixRoute"/> and <see cref="MulticastAutoJoin"/> can be requested; the others are reported by the kernel.
/// </remarks>
[Flags]
public enum AddressFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>A secondary IPv4 address, or a temporary (privacy) IPv6 address (<c>secondary</c>/<c>temporary</c>). Kernel: IFA_F_SECONDARY.</summary>
    Secondary = 0x01,

    /// <summary>Skip duplicate address detection (<c>nodad</c>, IPv6). Kernel: IFA_F_NODAD.</summary>
    NoDad = 0x02,

    /// <summary>Optimistic duplicate address detection (<c>optimistic</c>, IPv6). Kernel: IFA_F_OPTIMISTIC.</summary>
    Optimistic = 0x04,

    /// <summary>Duplicate address detection failed (<c>dadfailed</c>). Kernel: IFA_F_DADFAILED.</summary>
    DadFailed = 0x08,

    /// <summary>A Mobile IPv6 home address (<c>home</c>). Kernel: IFA_F_HOMEADDRESS.</summary>
    HomeAddress = 0x10,

    /// <summary>The preferred lifetime has ended (<c>deprecated</c>). Kernel: IFA_F_DEPRECATED.</summary>
    Deprecated = 0x20,

    /// <summary>Duplicate address detection is still running (<c>tentative</c>). Kernel: IFA_F_TENTATIVE.</summary>
    Tentative = 0x40,

    /// <summary>A permanent (configured, not autoconfigured) address (<c>permanent</c>). Kernel: IFA_F_PERMANENT.</summary>
    Permanent = 0x80,

    /// <summary>Make temporary addresses from this prefix (<c>mngtmpaddr</c>, IPv6). Kernel: IFA_F_MANAGETEMPADDR.</summary>
    ManageTemporaryAddresses = 0x100,

    /// <summary>Do not create the prefix route for the address (<c>noprefixroute</c>). Kernel: IFA_F_NOPREFIXROUTE.</summary>
    NoPrefixRoute = 0x200,

    /// <summary>Join the multicast group of a multicast address (<c>autojoin</c>). Kernel: IFA_F_MCAUTOJOIN.</summary>
    MulticastAutoJoin = 0x400,

    /// <summary>A stable-privacy (RFC 7217) address (<c>stable-privacy</c>). Kernel: IFA_F_STABLE_PRIVACY.</summary>
    StablePrivacy = 0x800,
}
