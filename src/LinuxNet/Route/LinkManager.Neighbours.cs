namespace LinuxNet.Route;

public sealed partial class LinkManager
{
    private NeighbourManager? _neighbours;

    /// <summary>The neighbour table (<c>ip neigh</c>): ARP and NDP entries, over this manager's socket.</summary>
    public NeighbourManager Neighbours => _neighbours ??= new NeighbourManager(this);
}
