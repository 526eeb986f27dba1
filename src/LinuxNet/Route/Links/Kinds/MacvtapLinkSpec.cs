using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// A macvtap device on a parent link (<c>ip link add NAME link PARENT type macvtap [mode MODE]</c>): a macvlan whose
/// frames can also be read and written through <c>/dev/tapN</c>.
/// </summary>
public sealed class MacvtapLinkSpec : LinkSpec
{
    /// <summary>Describes a macvtap device.</summary>
    /// <param name="name">The new device's name.</param>
    /// <param name="parent">The parent (lower) device, by name or index. Kernel: <c>IFLA_LINK</c>.</param>
    public MacvtapLinkSpec(string name, LinkReference parent)
        : base(name)
        => Parent = parent;

    /// <inheritdoc/>
    public override string Kind => "macvtap";

    /// <summary>The parent device.</summary>
    public LinkReference Parent { get; }

    /// <summary>The mode, or <see langword="null"/> for the kernel's default (<see cref="MacvlanMode.Vepa"/>). Kernel: <c>IFLA_MACVLAN_MODE</c>.</summary>
    public MacvlanMode? Mode { get; init; }

    internal override bool UsesLinkAttribute => true;

    internal override LinkReference? LowerLink => Parent;

    internal override bool HasInfoData => Mode.HasValue;

    internal override void Validate()
    {
        base.Validate();
        if (Mode is MacvlanMode mode && mode is not (MacvlanMode.Private or MacvlanMode.Vepa or MacvlanMode.Bridge or MacvlanMode.Passthru or MacvlanMode.Source))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), mode, "Not a macvlan mode.");
        }
    }

    internal override void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
        if (Mode is MacvlanMode mode)
        {
            writer.WriteUInt32(LinuxIfLink.IFLA_MACVLAN_MODE, (uint)mode);
        }
    }
}
