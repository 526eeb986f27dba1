using System.Net;
using LinuxNet.Route;

namespace LinuxNet.Samples.Cni;

/// <summary>One entry of a result's <c>routes</c>.</summary>
internal sealed record CniRoute(IPPrefix Destination, IPAddress? Gateway);
