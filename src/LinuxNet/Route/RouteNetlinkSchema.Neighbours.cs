using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    private static string? GetNeighbourAttributeName(ReadOnlySpan<ushort> path) => path.Length == 1
        ? path[0] switch
        {
            LinuxNeighbour.NDA_DST => "NDA_DST",
            LinuxNeighbour.NDA_LLADDR => "NDA_LLADDR",
            LinuxNeighbour.NDA_CACHEINFO => "NDA_CACHEINFO",
            LinuxNeighbour.NDA_PROBES => "NDA_PROBES",
            LinuxNeighbour.NDA_VLAN => "NDA_VLAN",
            LinuxNeighbour.NDA_PORT => "NDA_PORT",
            LinuxNeighbour.NDA_VNI => "NDA_VNI",
            LinuxNeighbour.NDA_IFINDEX => "NDA_IFINDEX",
            LinuxNeighbour.NDA_MASTER => "NDA_MASTER",
            LinuxNeighbour.NDA_LINK_NETNSID => "NDA_LINK_NETNSID",
            LinuxNeighbour.NDA_SRC_VNI => "NDA_SRC_VNI",
            LinuxNeighbour.NDA_PROTOCOL => "NDA_PROTOCOL",
            LinuxNeighbour.NDA_NH_ID => "NDA_NH_ID",
            LinuxNeighbour.NDA_FLAGS_EXT => "NDA_FLAGS_EXT",
            _ => null,
        }
        : null;
}
