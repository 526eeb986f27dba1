using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// The ingress qdisc (handle <c>ffff:</c>, parent <c>ffff:fff1</c>): <c>tc qdisc add dev DEV ingress</c>.
/// Filters attach to it at <see cref="TcHandle.IngressFilters"/> (or <c>ffff:</c>).
/// </summary>
public sealed class IngressQdiscSpec : QdiscSpec
{
    /// <summary>Describes the ingress qdisc of <paramref name="link"/>.</summary>
    /// <param name="link">The device.</param>
    public IngressQdiscSpec(LinkReference link)
        : base(link)
    {
        Parent = TcHandle.Ingress;
        Handle = TcHandle.IngressQdisc;
    }

    /// <inheritdoc/>
    public override string Kind => "ingress";

    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
    }
}
