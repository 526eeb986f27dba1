namespace LinuxNet.Route;

/// <summary>One nexthop addition or replacement as the encoder writes it: the spec with its device resolved to an index.</summary>
/// <param name="Spec">The validated spec.</param>
/// <param name="Replace"><see langword="true"/> for <c>ip nexthop replace</c> (<c>NLM_F_REPLACE</c>), else <c>ip nexthop add</c> (<c>NLM_F_EXCL</c>).</param>
/// <param name="LinkIndex">The index of <see cref="NexthopSpec.Link"/>, or 0.</param>
internal readonly record struct NexthopRequest(NexthopSpec Spec, bool Replace, int LinkIndex);

/// <summary>An <c>ip nexthop show</c> dump request with its devices resolved to indexes (0 = no filter).</summary>
internal readonly record struct NexthopDumpRequest(int LinkIndex, bool GroupsOnly, int MasterIndex, bool FdbOnly);

/// <summary>An <c>ip nexthop bucket show</c> dump request with its devices resolved to indexes (0 = no filter).</summary>
internal readonly record struct NexthopBucketDumpRequest(uint? GroupId, uint? NexthopId, int LinkIndex, int MasterIndex);
