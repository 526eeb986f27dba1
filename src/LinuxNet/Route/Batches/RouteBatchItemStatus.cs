namespace LinuxNet.Route;

/// <summary>The outcome of one request of a <see cref="RouteBatch"/>.</summary>
public enum RouteBatchItemStatus
{
    /// <summary>Not sent: an earlier request failed and <see cref="RouteBatchOptions.StopOnFirstError"/> was set.</summary>
    NotRun = 0,

    /// <summary>The kernel acknowledged the request.</summary>
    Succeeded = 1,

    /// <summary>The kernel refused the request, or its acknowledgement was lost (<c>ENOBUFS</c>); see <see cref="RouteBatchItemResult.Error"/>.</summary>
    Failed = 2,
}
