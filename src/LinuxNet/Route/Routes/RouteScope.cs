namespace LinuxNet.Route;

/// <summary>How far an address or route is valid (<c>scope</c> in <c>ip addr</c> and <c>ip route</c>).</summary>
/// <remarks>Kernel: <c>enum rt_scope_t</c> (<c>RT_SCOPE_*</c>). Values between the named ones are valid too.</remarks>
public enum RouteScope : byte
{
    /// <summary>Everywhere (<c>scope global</c>). Kernel: RT_SCOPE_UNIVERSE.</summary>
    Universe = 0,

    /// <summary>Inside the site (IPv6 site-local). Kernel: RT_SCOPE_SITE.</summary>
    Site = 200,

    /// <summary>On the link only (<c>scope link</c>). Kernel: RT_SCOPE_LINK.</summary>
    Link = 253,

    /// <summary>On this host only (<c>scope host</c>). Kernel: RT_SCOPE_HOST.</summary>
    Host = 254,

    /// <summary>Nowhere: the destination does not exist. Kernel: RT_SCOPE_NOWHERE.</summary>
    Nowhere = 255,
}
