using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>One qdisc, class or filter modification as the encoder writes it: the spec with its devices resolved.</summary>
/// <param name="Spec">A <see cref="QdiscSpec"/>, <see cref="TcClassSpec"/> or <see cref="TcFilterSpec"/>.</param>
/// <param name="Flags">The <c>NLM_F_*</c> creation flags of the verb (add, replace, change).</param>
/// <param name="LinkIndex">The device's interface index.</param>
/// <param name="Targets">The interface index of each filter action's target device, in action order.</param>
/// <param name="Clock">The scheduler clock for rate tables; <see langword="null"/> for this kernel's (tests pass a capture's).</param>
internal readonly record struct TcRequest(object Spec, NetlinkMessageFlags Flags, int LinkIndex, int[]? Targets = null, PacketSchedulerClock? Clock = null);
