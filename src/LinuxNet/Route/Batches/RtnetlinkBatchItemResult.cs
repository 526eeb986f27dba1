using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>The result of one request of a <see cref="RtnetlinkBatch"/>.</summary>
public readonly struct RtnetlinkBatchItemResult
{
    internal RtnetlinkBatchItemResult(int index, RtnetlinkBatchItemStatus status, NetlinkException? error)
    {
        Index = index;
        Status = status;
        Error = error;
    }

    /// <summary>The request's position in the batch, from 0, in the order it was added.</summary>
    public int Index { get; }

    /// <summary>Whether the request succeeded, failed or was not sent.</summary>
    public RtnetlinkBatchItemStatus Status { get; }

    /// <summary>Whether the kernel acknowledged the request.</summary>
    public bool Succeeded => Status == RtnetlinkBatchItemStatus.Succeeded;

    /// <summary>
    /// For a failed request, the kernel's refusal: errno (<see cref="LinuxNetException.Errno"/>), extended-ack text
    /// (<see cref="NetlinkException.ExtendedAckMessage"/>) and offending attribute; otherwise <see langword="null"/>.
    /// </summary>
    public NetlinkException? Error { get; }

    /// <summary>The errno of a failed request, or <see cref="Errno"/> 0 (none).</summary>
    public Errno Errno => Error?.Errno ?? 0;

    /// <summary>Describes the result.</summary>
    /// <returns>"#INDEX STATUS" plus the error message for a failure.</returns>
    public override string ToString() => Error is null ? $"#{Index} {Status}" : $"#{Index} {Status}: {Error.Message}";
}
