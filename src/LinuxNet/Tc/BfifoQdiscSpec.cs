using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>A first-in first-out queue limited in bytes: <c>tc qdisc add dev DEV root bfifo [limit 10000]</c>.</summary>
public sealed class BfifoQdiscSpec : FifoQdiscSpec
{
    /// <summary>Describes a bfifo qdisc.</summary>
    /// <param name="link">The device.</param>
    public BfifoQdiscSpec(LinkReference link)
        : base(link)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "bfifo";
}
