namespace LinuxNet.Route;

public sealed partial class LinkManager
{
    private RouteManager? _routes;

    /// <summary>What <c>ip route</c> does, on this manager's socket and namespace.</summary>
    public RouteManager Routes => _routes ??= new RouteManager(this);
}
