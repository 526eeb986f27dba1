namespace LinuxNet.Route;

/// <summary>
/// What <see cref="NexthopManager.ListBuckets(NexthopBucketFilter?)"/> selects:
/// <c>ip nexthop bucket show [id ID] [nhid ID] [dev DEV] [master DEV]</c>. Unset fields select all.
/// </summary>
public sealed class NexthopBucketFilter
{
    /// <summary>Only the buckets of this resilient group (<c>id ID</c>). Kernel: <c>NHA_ID</c>.</summary>
    public uint? GroupId { get; set; }

    /// <summary>Only buckets owned by this member nexthop (<c>nhid ID</c>). Kernel: <c>NHA_RES_BUCKET_NH_ID</c> in <c>NHA_RES_BUCKET</c>.</summary>
    public uint? NexthopId { get; set; }

    /// <summary>Only buckets whose nexthop uses this device (<c>dev DEV</c>). Kernel: <c>NHA_OIF</c>.</summary>
    public LinkReference? Link { get; set; }

    /// <summary>Only buckets whose nexthop's device is enslaved to this master (<c>master DEV</c>). Kernel: <c>NHA_MASTER</c>.</summary>
    public LinkReference? Master { get; set; }
}
