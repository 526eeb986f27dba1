using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>The one decoder of an object's reply message: the item, or <see langword="null"/> to skip the message.</summary>
/// <typeparam name="T">The read model, e.g. <see cref="NeighbourInfo"/>.</typeparam>
/// <param name="message">The message, valid only during the call.</param>
/// <returns>The item, or <see langword="null"/>.</returns>
internal delegate T? ReplyParser<T>(NetlinkMessage message)
    where T : class;
