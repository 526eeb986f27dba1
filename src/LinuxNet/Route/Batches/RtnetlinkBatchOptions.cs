namespace LinuxNet.Route;

/// <summary>Options for <see cref="RtnetlinkSession.CreateBatch(RtnetlinkBatchOptions?)"/>.</summary>
public sealed class RtnetlinkBatchOptions
{
    /// <summary>
    /// Stop sending once a request failed; the requests not sent are reported as <see cref="RtnetlinkBatchItemStatus.NotRun"/>.
    /// Default <see langword="false"/>: every request runs and reports its own result.
    /// </summary>
    /// <remarks>
    /// The stop takes effect between datagrams: requests packed into the same <c>sendmsg</c> as the failed one have
    /// already been processed by the kernel, and report their real result. Set <see cref="MaxMessagesPerSend"/> to 1
    /// for a strict stop at the failed request (at the cost of one round trip per request).
    /// </remarks>
    public bool StopOnFirstError { get; set; }

    /// <summary>
    /// The most requests packed into one <c>sendmsg</c>; 0 (default) picks it from the socket's receive buffer so
    /// that every acknowledgement of a datagram fits (raising the buffer to 1 MiB when allowed), at most 1,024.
    /// </summary>
    public int MaxMessagesPerSend { get; set; }
}
