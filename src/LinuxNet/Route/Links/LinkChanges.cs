using System;
using System.Net.NetworkInformation;

namespace LinuxNet.Route;

/// <summary>
/// Several changes to one link, applied by <see cref="LinkManager.Change(LinkReference, LinkChanges)"/> as one
/// <c>RTM_NEWLINK</c> request: the kernel applies all of them or, when it refuses one, none that it had not already
/// applied in its own order (see the remarks). Every property left <see langword="null"/> is left as it is.
/// </summary>
/// <remarks>
/// <para>
/// Equivalent to <c>ip link set dev LINK mtu M address A txqueuelen Q alias S mode M master B|nomaster name N
/// promisc on|off up|down</c>, byte for byte as iproute2 sends it when the arguments are in that order.
/// </para>
/// <para>
/// The kernel checks a request as a whole before it changes anything for most refusals (a bad MTU, a taken name, an
/// unknown master), so nothing is changed then. A device driver that refuses late (for example a MAC change on a
/// running device that cannot change it live) may leave the changes the kernel applied before it.
/// </para>
/// </remarks>
public sealed class LinkChanges
{
    /// <summary>Bring the link up (<see langword="true"/>) or take it down (<see langword="false"/>): <c>up</c>/<c>down</c>.</summary>
    public bool? Up { get; set; }

    /// <summary>Turn promiscuous mode on or off: <c>promisc on|off</c>.</summary>
    public bool? Promiscuous { get; set; }

    /// <summary>The MTU, 68–65535: <c>mtu M</c> (<c>IFLA_MTU</c>).</summary>
    public int? Mtu { get; set; }

    /// <summary>The MAC address: <c>address A</c> (<c>IFLA_ADDRESS</c>).</summary>
    public PhysicalAddress? Address { get; set; }

    /// <summary>The transmit queue length in packets: <c>txqueuelen Q</c> (<c>IFLA_TXQLEN</c>).</summary>
    public int? TransmitQueueLength { get; set; }

    /// <summary>The alias (at most 255 UTF-8 bytes); the empty string removes it: <c>alias S</c> (<c>IFLA_IFALIAS</c>).</summary>
    public string? Alias { get; set; }

    /// <summary>The link mode: <c>mode default|dormant|testing</c> (<c>IFLA_LINKMODE</c>).</summary>
    public LinkMode? Mode { get; set; }

    /// <summary>The master (a bridge or bond) to enslave the link to: <c>master B</c> (<c>IFLA_MASTER</c>).</summary>
    public LinkReference? Master { get; set; }

    /// <summary>Release the link from its master: <c>nomaster</c> (<c>IFLA_MASTER = 0</c>).</summary>
    public bool NoMaster { get; set; }

    /// <summary>The new name: <c>name N</c> (<c>IFLA_IFNAME</c>); the kernel refuses a rename of a link that is up.</summary>
    public string? Name { get; set; }

    /// <summary>Checks every value and turns them into the request's changes.</summary>
    /// <exception cref="ArgumentException">A value is out of range, or nothing is to be changed.</exception>
    internal LinkChange ToChange(string parameterName)
    {
        if (Up is null && Promiscuous is null && Mtu is null && Address is null && TransmitQueueLength is null && Alias is null
            && Mode is null && Master is null && !NoMaster && Name is null)
        {
            throw new ArgumentException("The changes change nothing: set at least one property.", parameterName);
        }

        if (Master is not null && NoMaster)
        {
            throw new ArgumentException("Master and NoMaster cannot both be set.", parameterName);
        }

        if (Mtu is { } mtu)
        {
            LinkSpec.ValidateMtu(mtu, parameterName);
        }

        if (Address is { } address)
        {
            LinkSpec.ValidateAddress(address, parameterName);
        }

        if (TransmitQueueLength is { } length)
        {
            LinkManager.CheckQueueLength(length, parameterName);
        }

        if (Mode is { } mode)
        {
            LinkManager.CheckMode(mode, parameterName);
        }

        Master?.Validate(parameterName, allowAlternativeName: true);
        if (Name is { } name)
        {
            InterfaceName.Validate(name, parameterName);
        }

        return new LinkChange
        {
            Up = Up,
            Promiscuous = Promiscuous,
            Mtu = Mtu,
            Address = Address,
            TransmitQueueLength = TransmitQueueLength,
            Alias = Alias is null ? null : LinkManager.EncodeAlias(Alias, parameterName),
            Mode = Mode,
            Master = Master,
            NoMaster = NoMaster,
            Name = Name,
        };
    }
}
