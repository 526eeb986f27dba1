using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// The clsact qdisc (handle <c>ffff:</c>, parent <c>ffff:fff1</c>): <c>tc qdisc add dev DEV clsact</c>.
/// Filters attach to it at <see cref="TcHandle.IngressFilters"/> and <see cref="TcHandle.EgressFilters"/>.
/// </summary>
public sealed class ClsactQdiscSpec : QdiscSpec
{
    /// <summary>Describes the clsact qdisc of <paramref name="link"/>.</summary>
    /// <param name="link">The device.</param>
    public ClsactQdiscSpec(LinkReference link)
        : base(link)
    {
        Parent = TcHandle.Ingress;
        Handle = TcHandle.IngressQdisc;
    }

    /// <inheritdoc/>
    public override string Kind => "clsact";

    internal override void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock)
    {
    }
}
