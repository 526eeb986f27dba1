namespace LinuxNet.Netlink;

/// <summary>Called for each data message of a reply, with the caller's state. The message is valid only during the call.</summary>
/// <typeparam name="TState">The caller's state, e.g. the list being filled.</typeparam>
/// <param name="message">The message.</param>
/// <param name="state">The state passed to the query.</param>
public delegate void NetlinkMessageHandler<in TState>(NetlinkMessage message, TState state);
