namespace LinuxNet.Genl.Ethtool;

/// <summary>The duplex mode of a link (<c>DUPLEX_*</c> in <c>linux/ethtool.h</c>).</summary>
public enum EthtoolDuplex
{
    /// <summary>Half duplex (<c>DUPLEX_HALF</c>).</summary>
    Half = 0,

    /// <summary>Full duplex (<c>DUPLEX_FULL</c>).</summary>
    Full = 1,

    /// <summary>Not known or not reported (<c>DUPLEX_UNKNOWN</c>).</summary>
    Unknown = 0xff,
}
