namespace LinuxNet.Route;

public sealed partial class LinkManager
{
    /// <summary>
    /// Creates a batch: many link, address, route, neighbour and rule requests sent in as few <c>sendmsg</c> calls as
    /// the socket allows, with one result per request. Like <c>ip -batch</c>, but without a round trip per request.
    /// </summary>
    /// <param name="options">Stop-on-first-error and packing; <see langword="null"/> for defaults.</param>
    /// <returns>An empty batch bound to this manager's socket; dispose it to return its buffer.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException"><see cref="RouteBatchOptions.MaxMessagesPerSend"/> is negative.</exception>
    public RouteBatch CreateBatch(RouteBatchOptions? options = null) => new(this, options);
}
