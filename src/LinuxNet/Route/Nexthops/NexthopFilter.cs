namespace LinuxNet.Route;

/// <summary>
/// What <see cref="NexthopManager.List(NexthopFilter?)"/> and <see cref="NexthopManager.Flush(NexthopFilter?)"/> select:
/// <c>ip nexthop show [dev DEV] [groups] [master DEV] [fdb]</c>. The kernel filters the dump; unset fields select all.
/// </summary>
public sealed class NexthopFilter
{
    /// <summary>Only nexthops that use this device (<c>dev DEV</c>). Kernel: <c>NHA_OIF</c> in the dump request.</summary>
    public LinkReference? Link { get; set; }

    /// <summary>Only groups (<c>groups</c>). Kernel: <c>NHA_GROUPS</c>.</summary>
    public bool GroupsOnly { get; set; }

    /// <summary>Only nexthops whose device is enslaved to this master, e.g. a VRF (<c>master DEV</c>). Kernel: <c>NHA_MASTER</c>.</summary>
    public LinkReference? Master { get; set; }

    /// <summary>Only nexthops for the bridge FDB (<c>fdb</c>). Kernel: <c>NHA_FDB</c>.</summary>
    public bool FdbOnly { get; set; }
}
