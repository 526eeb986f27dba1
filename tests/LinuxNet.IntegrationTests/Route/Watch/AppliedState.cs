using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Watch;

/// <summary>
/// A consumer that applies a watch stream to its own table of objects — keyed by what ip shows (link index, address on
/// link, route destination + table + metric, neighbour on link), built from the read models, not from the watch's key —
/// and checks the stream's promises as it goes: no Added for what it has, no Changed or Deleted for what it lacks.
/// </summary>
internal sealed class AppliedState
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _objects = new();
    private readonly List<string> _violations = new();

    public int Added { get; private set; }

    public int Changed { get; private set; }

    public int Deleted { get; private set; }

    public int Markers { get; private set; }

    public bool InResync { get; private set; }

    public bool Synchronized { get; private set; }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return _violations.ToArray();
            }
        }
    }

    /// <summary>Applies one item; returns its key (null for a marker).</summary>
    public string? Apply(in RtnetlinkWatchEvent item)
    {
        if (item.IsMarker)
        {
            lock (_gate)
            {
                Markers++;
                InResync = item.Change == RtnetlinkWatchChange.ResyncStarted;
                Synchronized |= item.Change == RtnetlinkWatchChange.SnapshotCompleted;
            }

            return null;
        }

        (string key, string value)? described = Describe(item.Event);
        if (described is not { } d)
        {
            return null;
        }

        lock (_gate)
        {
            bool has = _objects.ContainsKey(d.key);
            switch (item.Change)
            {
                case RtnetlinkWatchChange.Added:
                    Added++;
                    if (has)
                    {
                        _violations.Add($"Added twice: {d.key}");
                    }

                    _objects[d.key] = d.value;
                    break;
                case RtnetlinkWatchChange.Changed:
                    Changed++;
                    if (!has)
                    {
                        _violations.Add($"Changed without Added: {d.key}");
                    }

                    _objects[d.key] = d.value;
                    break;
                case RtnetlinkWatchChange.Deleted:
                    Deleted++;
                    if (!has)
                    {
                        _violations.Add($"Deleted without Added: {d.key}");
                    }

                    _objects.Remove(d.key);
                    break;
            }
        }

        return d.key;
    }

    public bool Has(string key)
    {
        lock (_gate)
        {
            return _objects.ContainsKey(key);
        }
    }

    public SortedSet<string> Keys(string prefix)
    {
        lock (_gate)
        {
            return new SortedSet<string>(_objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)), StringComparer.Ordinal);
        }
    }

    public static string RouteKey(IPPrefix destination, uint table, uint metric, int dev) => $"route {destination} table {table} metric {metric} dev {dev}";

    public static string LinkKey(int index) => $"link {index}";

    public static (string Key, string Value)? Describe(in RtnetlinkEvent e) => e.Kind switch
    {
        RtnetlinkEventKind.Link => Link(e.ToLink()),
        RtnetlinkEventKind.Address => Address(e.ToAddress()),
        RtnetlinkEventKind.Route => Route(e.ToRoute()),
        RtnetlinkEventKind.Neighbour => Neighbour(e.ToNeighbour()),
        _ => null,
    };

    public static (string, string) Link(LinkInfo link) => (LinkKey(link.Index), $"{link.Name} mtu {link.Mtu}");

    public static (string, string) Address(AddressInfo address) => ($"addr {address.LinkIndex} {address.Address}", address.Flags.ToString());

    public static (string, string) Route(RouteInfo route) => (RouteKey(route.Destination, route.Table, route.Metric ?? 0, route.LinkIndex), route.Type.ToString());

    public static (string, string) Neighbour(NeighbourInfo neighbour) => ($"neigh {neighbour.LinkIndex} {neighbour.Address}", neighbour.State.ToString());

    /// <summary>What <c>ip -j</c> shows in <paramref name="ns"/>, keyed as <see cref="Apply"/> keys the stream.</summary>
    public static SortedSet<string> Oracle(NetNamespace ns, string kind)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        JsonElement links = IpOracle.Json(ns, "link", "show");
        var indexes = links.EnumerateArray().ToDictionary(l => l.GetProperty("ifname").GetString()!, l => l.GetProperty("ifindex").GetInt32());
        switch (kind)
        {
            case "link":
                foreach (JsonElement link in links.EnumerateArray())
                {
                    keys.Add(LinkKey(link.GetProperty("ifindex").GetInt32()));
                }

                break;
            case "addr":
                foreach (JsonElement link in IpOracle.Json(ns, "addr", "show").EnumerateArray())
                {
                    foreach (JsonElement a in link.GetProperty("addr_info").EnumerateArray())
                    {
                        keys.Add($"addr {link.GetProperty("ifindex").GetInt32()} {IPAddress.Parse(a.GetProperty("local").GetString()!)}/{a.GetProperty("prefixlen").GetInt32()}");
                    }
                }

                break;
            case "route":
                foreach (string family in new[] { "-4", "-6" })
                {
                    foreach (JsonElement r in IpOracle.Json(ns, family, "route", "show", "table", "all").EnumerateArray())
                    {
                        int dev = r.TryGetProperty("dev", out JsonElement d) ? indexes[d.GetString()!] : 0;
                        keys.Add(RouteKey(ParseDestination(r.GetProperty("dst").GetString()!, family == "-6"), ParseTable(r), r.TryGetProperty("metric", out JsonElement m) ? m.GetUInt32() : 0, dev));
                    }
                }

                break;
            case "neigh":
                foreach (JsonElement n in IpOracle.Json(ns, "neigh", "show").EnumerateArray())
                {
                    keys.Add($"neigh {indexes[n.GetProperty("dev").GetString()!]} {IPAddress.Parse(n.GetProperty("dst").GetString()!)}");
                }

                break;
        }

        return keys;
    }

    private static IPPrefix ParseDestination(string dst, bool ipv6)
    {
        if (dst == "default")
        {
            return new IPPrefix(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        }

        return dst.Contains('/') ? IPPrefix.Parse(dst) : new IPPrefix(IPAddress.Parse(dst), IPAddress.Parse(dst).AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
    }

    private static uint ParseTable(JsonElement route)
    {
        if (!route.TryGetProperty("table", out JsonElement table))
        {
            return 254;
        }

        return table.GetString() switch
        {
            "local" => 255,
            "main" => 254,
            "default" => 253,
            string number => uint.Parse(number, System.Globalization.CultureInfo.InvariantCulture),
            null => 254,
        };
    }
}
