namespace LinuxNet.Genl.Ethtool;

/// <summary>
/// One line of the kernel's answer to a feature change (<c>ETHTOOL_MSG_FEATURES_SET_REPLY</c>), the "Actual changes"
/// <c>ethtool -K</c> prints: a feature whose state changed, or one that is not as requested.
/// </summary>
public sealed class EthtoolFeatureChange
{
    internal EthtoolFeatureChange(string name, bool active, bool changed, bool asRequested)
    {
        Name = name;
        Active = active;
        Changed = changed;
        AsRequested = asRequested;
    }

    /// <summary>The kernel's name of the feature.</summary>
    public string Name { get; }

    /// <summary>The feature's state after the change.</summary>
    public bool Active { get; }

    /// <summary>Whether the state changed (<c>ETHTOOL_A_FEATURES_ACTIVE</c> of the reply).</summary>
    public bool Changed { get; }

    /// <summary>Whether the feature is as requested; <see langword="false"/> when the device refused (<c>ETHTOOL_A_FEATURES_WANTED</c> of the reply).</summary>
    public bool AsRequested { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {(Active ? "on" : "off")}{(AsRequested ? string.Empty : $" [requested {(Active ? "off" : "on")}]")}";
}
