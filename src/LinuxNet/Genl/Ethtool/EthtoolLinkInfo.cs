using System.Collections.Generic;

namespace LinuxNet.Genl.Ethtool;

/// <summary>
/// What <c>ethtool DEV</c> prints about a link: port and transceiver (<c>ETHTOOL_MSG_LINKINFO_GET</c>), speed,
/// duplex, auto-negotiation and link modes (<c>ETHTOOL_MSG_LINKMODES_GET</c>), and whether a link is detected
/// (<c>ETHTOOL_MSG_LINKSTATE_GET</c>).
/// </summary>
public sealed class EthtoolLinkInfo
{
    internal EthtoolLinkInfo()
    {
    }

    /// <summary>The device's interface index.</summary>
    public int InterfaceIndex { get; internal set; }

    /// <summary>The device's name.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The speed in Mb/s, or <see langword="null"/> when unknown (<c>SPEED_UNKNOWN</c> or not reported).</summary>
    public uint? Speed { get; internal set; }

    /// <summary>The duplex mode.</summary>
    public EthtoolDuplex Duplex { get; internal set; } = EthtoolDuplex.Unknown;

    /// <summary>Whether auto-negotiation is on.</summary>
    public bool AutoNegotiation { get; internal set; }

    /// <summary>The physical port (<c>PORT_*</c>: 0 twisted pair, 3 fibre, 0xef none…), or <see langword="null"/> if not reported.</summary>
    public byte? Port { get; internal set; }

    /// <summary>The PHY address, or <see langword="null"/> if not reported.</summary>
    public byte? PhyAddress { get; internal set; }

    /// <summary>The transceiver (<c>XCVR_INTERNAL</c> 0, <c>XCVR_EXTERNAL</c> 1), or <see langword="null"/> if not reported.</summary>
    public byte? Transceiver { get; internal set; }

    /// <summary>Whether a link is detected, or <see langword="null"/> if the driver does not say.</summary>
    public bool? LinkDetected { get; internal set; }

    /// <summary>The link modes the device supports (names such as <c>1000baseT/Full</c>); empty when not reported.</summary>
    public IReadOnlyList<string> SupportedModes { get; internal set; } = System.Array.Empty<string>();

    /// <summary>The link modes the device advertises; empty when not reported.</summary>
    public IReadOnlyList<string> AdvertisedModes { get; internal set; } = System.Array.Empty<string>();

    /// <summary>The port as <c>ethtool</c> names it ("Twisted Pair", "FIBRE", "None"…).</summary>
    public string PortName => Port switch
    {
        null => "Unknown!",
        LinuxEthtoolNetlink.PORT_TP => "Twisted Pair",
        LinuxEthtoolNetlink.PORT_AUI => "AUI",
        LinuxEthtoolNetlink.PORT_MII => "MII",
        LinuxEthtoolNetlink.PORT_FIBRE => "FIBRE",
        LinuxEthtoolNetlink.PORT_BNC => "BNC",
        LinuxEthtoolNetlink.PORT_DA => "Direct Attach Copper",
        LinuxEthtoolNetlink.PORT_NONE => "None",
        LinuxEthtoolNetlink.PORT_OTHER => "Other",
        _ => $"Unknown! ({Port})",
    };
}
