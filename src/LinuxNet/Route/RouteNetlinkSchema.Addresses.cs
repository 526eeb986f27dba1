using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    // Filled in by the addresses area: returns e.g. "NAME_A/NAME_B" for a path of attribute types, or null.
    private static string? GetAddressAttributeName(ReadOnlySpan<ushort> path) => null;
}
