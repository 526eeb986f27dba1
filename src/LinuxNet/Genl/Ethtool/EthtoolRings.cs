namespace LinuxNet.Genl.Ethtool;

/// <summary>
/// A device's ring sizes as <c>ethtool -g DEV</c> shows them (<c>ETHTOOL_MSG_RINGS_GET</c>); <see langword="null"/>
/// where the driver reports nothing.
/// </summary>
public sealed class EthtoolRings
{
    internal EthtoolRings()
    {
    }

    /// <summary>The largest receive ring.</summary>
    public uint? MaxRx { get; internal set; }

    /// <summary>The largest mini receive ring.</summary>
    public uint? MaxRxMini { get; internal set; }

    /// <summary>The largest jumbo receive ring.</summary>
    public uint? MaxRxJumbo { get; internal set; }

    /// <summary>The largest transmit ring.</summary>
    public uint? MaxTx { get; internal set; }

    /// <summary>The receive ring now.</summary>
    public uint? Rx { get; internal set; }

    /// <summary>The mini receive ring now.</summary>
    public uint? RxMini { get; internal set; }

    /// <summary>The jumbo receive ring now.</summary>
    public uint? RxJumbo { get; internal set; }

    /// <summary>The transmit ring now.</summary>
    public uint? Tx { get; internal set; }
}
