using System.Net;
using LinuxNet.Route;

namespace LinuxNet.Samples.Cni;

/// <summary>One entry of a result's <c>ips</c>: an address with its prefix, the gateway, and the index into <c>interfaces</c>.</summary>
internal sealed record CniIPConfig(IPPrefix Address, IPAddress? Gateway, int? Interface);
