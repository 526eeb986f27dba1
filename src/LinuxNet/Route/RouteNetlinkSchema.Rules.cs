using System;

namespace LinuxNet.Route;

internal sealed partial class RouteNetlinkSchema
{
    // Filled in by the rules area: returns e.g. "NAME_A/NAME_B" for a path of attribute types, or null.
    private static string? GetRuleAttributeName(ReadOnlySpan<ushort> path) => null;
}
