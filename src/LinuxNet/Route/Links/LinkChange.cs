using System.Net.NetworkInformation;

namespace LinuxNet.Route;

/// <summary>
/// The changes of one <c>ip link set</c> request, checked and ready to encode: what <see cref="LinkChanges"/> and the
/// per-property setters of <see cref="LinkManager"/> both turn into, so that every link change has one encoder
/// (<see cref="LinkMessages.WriteChange"/>). A struct, so a setter allocates nothing to describe its change.
/// </summary>
internal struct LinkChange
{
    internal bool? Up;
    internal bool? Promiscuous;
    internal int? Mtu;
    internal PhysicalAddress? Address;
    internal int? TransmitQueueLength;
    internal byte[]? Alias;
    internal LinkMode? Mode;
    internal LinkReference? Master;
    internal bool NoMaster;
    internal int? NamespaceFd;
    internal int? NamespacePid;
    internal string? Name;

    /// <summary>Whether a master is named by name and must be looked up first.</summary>
    internal readonly bool HasMaster => Master is not null || NoMaster;
}
