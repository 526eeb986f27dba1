using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Writes one rtnetlink request for <paramref name="argument"/>: the one encoder of an object's request, shared by the
/// single verbs (through <see cref="RequestPipeline"/>) and by <see cref="RtnetlinkBatch"/>.
/// </summary>
/// <typeparam name="TArg">The spec with its links already resolved to indexes (often a value tuple).</typeparam>
/// <param name="writer">The writer; the encoder begins the message and may leave it open.</param>
/// <param name="argument">What to encode.</param>
internal delegate void RequestEncoder<TArg>(ref NetlinkMessageWriter writer, TArg argument);
