namespace LinuxNet.Genl.Ethtool;

/// <summary>A driver's private flag as <c>ethtool --show-priv-flags DEV</c> shows it (<c>ETHTOOL_MSG_PRIVFLAGS_GET</c>).</summary>
public sealed class EthtoolPrivateFlag
{
    internal EthtoolPrivateFlag(string name, bool enabled)
    {
        Name = name;
        Enabled = enabled;
    }

    /// <summary>The driver's name of the flag.</summary>
    public string Name { get; }

    /// <summary>Whether the flag is on.</summary>
    public bool Enabled { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {(Enabled ? "on" : "off")}";
}
