namespace LinuxNet.Netlink;

/// <summary>
/// The kernel's refusals of a batch's requests, by request index: the array behind it is made at the first refusal, so
/// a batch whose every request succeeds allocates nothing for errors (a reference per request otherwise).
/// </summary>
internal sealed class NetlinkBatchErrors
{
    private readonly int _count;
    private NetlinkException?[]? _items;

    internal NetlinkBatchErrors(int count) => _count = count;

    internal NetlinkException? this[int index]
    {
        get => _items?[index];
        set => (_items ??= new NetlinkException?[_count])[index] = value;
    }
}
