namespace LinuxNet.Genl.Ethtool;

/// <summary>
/// A device's queue channels as <c>ethtool -l DEV</c> shows them (<c>ETHTOOL_MSG_CHANNELS_GET</c>): the maximums and
/// the current counts; <see langword="null"/> where the driver reports nothing (ethtool's <c>n/a</c>).
/// </summary>
public sealed class EthtoolChannels
{
    internal EthtoolChannels()
    {
    }

    /// <summary>The most receive-only channels.</summary>
    public uint? MaxRx { get; internal set; }

    /// <summary>The most transmit-only channels.</summary>
    public uint? MaxTx { get; internal set; }

    /// <summary>The most other channels.</summary>
    public uint? MaxOther { get; internal set; }

    /// <summary>The most combined channels.</summary>
    public uint? MaxCombined { get; internal set; }

    /// <summary>The receive-only channels now.</summary>
    public uint? Rx { get; internal set; }

    /// <summary>The transmit-only channels now.</summary>
    public uint? Tx { get; internal set; }

    /// <summary>The other channels now.</summary>
    public uint? Other { get; internal set; }

    /// <summary>The combined channels now.</summary>
    public uint? Combined { get; internal set; }
}
