namespace LinuxNet.Route;

/// <summary>The outcome of one request of a <see cref="RtnetlinkBatch"/>.</summary>
public enum RtnetlinkBatchItemStatus
{
    /// <summary>Not sent: an earlier request failed and <see cref="RtnetlinkBatchOptions.StopOnFirstError"/> was set.</summary>
    NotRun = 0,

    /// <summary>The kernel acknowledged the request.</summary>
    Succeeded = 1,

    /// <summary>The kernel refused the request, or its acknowledgement was lost (<c>ENOBUFS</c>); see <see cref="RtnetlinkBatchItemResult.Error"/>.</summary>
    Failed = 2,
}
