namespace LinuxNet.Genl.Ethtool;

/// <summary>The four bitsets of a features reply, before they are matched with the feature names.</summary>
internal sealed class EthtoolFeatureBits
{
    internal EthtoolBitset? Hardware { get; set; }

    internal EthtoolBitset? Wanted { get; set; }

    internal EthtoolBitset? Active { get; set; }

    internal EthtoolBitset? NoChange { get; set; }
}
