using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>A first-in first-out queue limited in packets: <c>tc qdisc add dev DEV root pfifo [limit 100]</c>.</summary>
public sealed class PfifoQdiscSpec : FifoQdiscSpec
{
    /// <summary>Describes a pfifo qdisc.</summary>
    /// <param name="link">The device.</param>
    public PfifoQdiscSpec(LinkReference link)
        : base(link)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "pfifo";
}
