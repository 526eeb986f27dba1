using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>
/// The kernel has no qdisc, classifier or action of the requested kind (it is not built in and no module loads):
/// <c>tc</c> prints "Error: Specified qdisc kind is unknown." The kernel's errno and text are kept.
/// </summary>
public sealed class TcKindNotSupportedException : NetlinkException
{
    internal TcKindNotSupportedException(string kind, string operation, NetlinkException inner)
        : base(
            inner.Errno,
            operation,
            $"{operation}: '{kind}' is not supported by this kernel ({inner.ExtendedAckMessage ?? inner.Message})",
            inner.ExtendedAckMessage,
            inner.ExtendedAckOffset,
            inner.MessageType,
            inner.Sequence,
            inner.AttributePath,
            inner.AttributeName)
        => Kind = kind;

    /// <summary>The kind the kernel does not have (<c>netem</c>, <c>fq_codel</c>…).</summary>
    public string Kind { get; }
}
