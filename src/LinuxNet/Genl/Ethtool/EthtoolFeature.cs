namespace LinuxNet.Genl.Ethtool;

/// <summary>One device feature as <c>ethtool -k DEV</c> shows it, under the kernel's name (e.g. <c>rx-gro</c>, <c>tx-tcp-segmentation</c>).</summary>
public sealed class EthtoolFeature
{
    internal EthtoolFeature(string name, bool active, bool requested, bool fixedState, bool changeable)
    {
        Name = name;
        Active = active;
        Requested = requested;
        Fixed = fixedState;
        Changeable = changeable;
    }

    /// <summary>The kernel's name of the feature (<c>ETH_SS_FEATURES</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// The name <c>ethtool -k</c> prints for the feature: its older name for the eight that have one
    /// (<c>generic-receive-offload</c> for <c>rx-gro</c>, <c>large-receive-offload</c> for <c>rx-lro</c>…), else <see cref="Name"/>.
    /// </summary>
    public string EthtoolName => Name switch
    {
        "rx-checksum" => "rx-checksumming",
        "tx-generic-segmentation" => "generic-segmentation-offload",
        "rx-gro" => "generic-receive-offload",
        "rx-lro" => "large-receive-offload",
        "rx-vlan-hw-parse" => "rx-vlan-offload",
        "tx-vlan-hw-insert" => "tx-vlan-offload",
        "rx-ntuple-filter" => "ntuple-filters",
        "rx-hashing" => "receive-hashing",
        _ => Name,
    };

    /// <summary>Whether the feature is on now (<c>ETHTOOL_A_FEATURES_ACTIVE</c>).</summary>
    public bool Active { get; }

    /// <summary>Whether the feature was asked for (<c>ETHTOOL_A_FEATURES_WANTED</c>); differs from <see cref="Active"/> when the device could not follow.</summary>
    public bool Requested { get; }

    /// <summary>Whether the feature cannot be changed (ethtool's <c>[fixed]</c>: not in <c>HW</c>, or in <c>NOCHANGE</c>).</summary>
    public bool Fixed { get; }

    /// <summary>Whether the device lets the feature be switched (<c>ETHTOOL_A_FEATURES_HW</c>).</summary>
    public bool Changeable { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {(Active ? "on" : "off")}{(Fixed ? " [fixed]" : Requested != Active ? $" [requested {(Requested ? "on" : "off")}]" : string.Empty)}";
}
