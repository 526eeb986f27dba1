using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>A bond (<c>ip link add NAME type bond [mode MODE]</c>).</summary>
/// <remarks>Needs the <c>bonding</c> module; without it <see cref="LinkManager.Add(LinkSpec)"/> throws a not-supported error.</remarks>
public sealed class BondLinkSpec : LinkSpec
{
    /// <summary>Describes a bond.</summary>
    /// <param name="name">The new device's name.</param>
    public BondLinkSpec(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "bond";

    /// <summary>The bonding policy, or <see langword="null"/> for the kernel's default (balance-rr). Kernel: <c>IFLA_BOND_MODE</c>.</summary>
    public BondMode? Mode { get; init; }

    internal override bool HasInfoData => Mode.HasValue;

    internal override void Validate()
    {
        base.Validate();
        if (Mode is > BondMode.BalanceAlb)
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Not a bonding mode.");
        }
    }

    internal override void WriteInfoData(ref NetlinkMessageWriter writer, int lowerIndex, int peerNamespaceFd)
    {
        if (Mode is BondMode mode)
        {
            writer.WriteUInt8(LinuxIfLink.IFLA_BOND_MODE, (byte)mode);
        }
    }
}
