using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet route show|add|del|replace|get</c>.</summary>
internal static class RouteCommand
{
    public const string Help = """
        Usage: lnet route { show | list } [table TABLE|all]
               lnet route get ADDRESS
               lnet route { add | del | replace } [TYPE] PREFIX|default [via ADDRESS] [dev NAME] [metric N] [table TABLE]
                            [proto PROTO] [scope SCOPE] [src ADDRESS] [mtu [lock] N] [onlink]
                            [nexthop via ADDRESS [dev NAME] [weight N] [onlink]]...
        TYPE := { unicast | local | broadcast | multicast | throw | unreachable | prohibit | blackhole | nat | anycast }
        """;

    public static int Run(LnetContext context, Args args)
    {
        if (args.AtEnd)
        {
            return Show(context, args);
        }

        string verb = args.Next();
        return verb switch
        {
            _ when Args.Matches(verb, "add") => Modify(context, args, (m, s) => m.Add(s), deleting: false),
            _ when Args.Matches(verb, "change") || Args.Matches(verb, "replace") => Modify(context, args, (m, s) => m.Replace(s), deleting: false),
            _ when Args.Matches(verb, "delete") => Modify(context, args, (m, s) => m.Delete(s), deleting: true),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "get") => Get(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet route help\"."),
        };
    }


    private static int Modify(LnetContext context, Args args, Action<RouteManager, RouteSpec> apply, bool deleting)
    {
        RouteType? type = null;
        string? destination = null;
        IPAddress? gateway = null;
        string? device = null;
        uint? metric = null;
        uint? table = null;
        RouteProtocol? protocol = null;
        RouteScope? scope = null;
        IPAddress? source = null;
        uint? mtu = null;
        bool lockMtu = false;
        bool onLink = false;
        var nextHops = new List<RouteNextHop>();
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "via":
                    string g = args.Value(word);
                    if (g is "inet" or "inet6")
                    {
                        g = args.Value(word);
                    }

                    gateway = Names.ParseAddress(word, g);
                    break;
                case "dev" or "oif":
                    device = args.Value(word);
                    break;
                case "metric" or "priority" or "preference":
                    metric = Args.ParseUInt(word, args.Value(word));
                    break;
                case "table":
                    table = Names.ParseTable(args.Value(word));
                    break;
                case "proto" or "protocol":
                    protocol = Names.ParseProtocol(args.Value(word));
                    break;
                case "scope":
                    scope = Names.ParseScope(args.Value(word));
                    break;
                case "src":
                    source = Names.ParseAddress(word, args.Value(word));
                    break;
                case "mtu":
                    lockMtu = args.Take("lock");
                    mtu = Args.ParseUInt(word, args.Value(word));
                    break;
                case "onlink":
                    onLink = true;
                    break;
                case "nexthop":
                    nextHops.Add(NextHop(context, args));
                    break;
                default:
                    if (destination is null && type is null && Names.TryParseRouteType(word) is RouteType t)
                    {
                        type = t;
                    }
                    else if (destination is null)
                    {
                        destination = word == "to" ? args.Value(word) : word;
                    }
                    else
                    {
                        throw new UsageException($"Error: either \"to\" is duplicate, or \"{word}\" is a garbage.");
                    }

                    break;
            }
        }

        if (destination is null)
        {
            throw new UsageException("Error: the destination (PREFIX or default) is required.");
        }

        RouteSpec spec;
        if (destination is "default" or "all" or "any")
        {
            AddressFamily family = context.Options.Family != AddressFamily.Unspecified
                ? context.Options.Family
                : gateway?.AddressFamily ?? nextHops.FirstOrDefault(h => h.Gateway is not null)?.Gateway?.AddressFamily ?? AddressFamily.InterNetwork;
            spec = RouteSpec.Default(family);
        }
        else
        {
            IPPrefix prefix = Names.ParsePrefix(destination);
            if (prefix.HasHostBits)
            {
                throw new UsageException($"Error: Invalid prefix for given prefix length: \"{destination}\".", 1);
            }

            spec = new RouteSpec(prefix);
        }

        if (device is not null)
        {
            context.RequireLink(device);
        }

        spec.Gateway = gateway;
        spec.Link = device is null ? (LinkReference?)null : device;
        spec.Metric = metric;
        spec.Table = table;
        spec.Protocol = protocol;
        spec.Scope = scope;
        spec.Type = type;
        spec.PreferredSource = source;
        spec.OnLink = onLink;
        if (mtu is uint m)
        {
            spec.Metrics = new RouteMetrics { Mtu = m, LockMtu = lockMtu };
        }

        foreach (RouteNextHop hop in nextHops)
        {
            spec.NextHops.Add(hop);
        }

        _ = deleting;
        apply(context.Links.Session.Routes, spec);
        return 0;
    }

    private static RouteNextHop NextHop(LnetContext context, Args args)
    {
        var hop = new RouteNextHop();
        while (!args.AtEnd && args.Peek != "nexthop")
        {
            string word = args.Peek!;
            switch (word)
            {
                case "via":
                    args.Next();
                    string g = args.Value(word);
                    if (g is "inet" or "inet6")
                    {
                        g = args.Value(word);
                    }

                    hop.Gateway = Names.ParseAddress(word, g);
                    break;
                case "dev":
                    args.Next();
                    string device = args.Value(word);
                    context.RequireLink(device);
                    hop.Link = device;
                    break;
                case "weight":
                    args.Next();
                    hop.Weight = Args.ParseInt(word, args.Value(word));
                    break;
                case "onlink":
                    args.Next();
                    hop.Flags |= RouteNextHopFlags.OnLink;
                    break;
                default:
                    return hop;
            }
        }

        return hop;
    }

    private static int Show(LnetContext context, Args args)
    {
        uint? table = RouteTables.Main;
        bool tableFilter = false;
        while (!args.AtEnd)
        {
            string word = args.Next();
            if (word is "table" or "tab")
            {
                string t = args.Value(word);
                table = t == "all" ? null : Names.ParseTable(t);
                tableFilter = t != "all";
            }
            else
            {
                throw new UsageException($"Error: lnet route show does not support \"{word}\" (only \"table TABLE|all\").");
            }
        }

        // Like ip route: IPv4 unless -6 is given, except that "table all" lists both families.
        AddressFamily family = context.Options.Family == AddressFamily.Unspecified && table is not null ? AddressFamily.InterNetwork : context.Options.Family;
        IReadOnlyList<RouteInfo> routes = context.Links.Session.Routes.List(family, table);
        Dictionary<int, string> names = context.Links.List().ToDictionary(l => l.Index, l => l.Name);
        Print(context, routes, names, tableFilter);
        return 0;
    }

    private static int Get(LnetContext context, Args args)
    {
        // ip route get [fibmatch] ADDRESS [from ADDRESS iif STRING] [oif STRING] [tos TOS] [mark NUMBER] [uid NUMBER]
        //              [ipproto PROTOCOL] [sport NUMBER] [dport NUMBER]
        string? destination = null;
        var set = new List<Action<RouteLookup>>();
        while (!args.AtEnd)
        {
            string word = args.Next();
            if (word == "fibmatch")
            {
                set.Add(l => l.FibMatch = true);
            }
            else if (word == "to")
            {
                destination = args.Value(word);
            }
            else if (Args.Matches(word, "from"))
            {
                IPAddress source = Names.ParseAddress("from", args.Value(word));
                set.Add(l => l.Source = source);
            }
            else if (word == "iif")
            {
                string link = args.Value(word);
                set.Add(l => l.InputLink = link);
            }
            else if (word is "oif" or "dev")
            {
                string link = args.Value(word);
                set.Add(l => l.OutputLink = link);
            }
            else if (word == "tos" || Args.Matches(word, "dsfield"))
            {
                uint tos = Args.ParseUInt("TOS", args.Value(word));
                set.Add(l => l.TypeOfService = tos <= byte.MaxValue ? (byte)tos : throw Args.Invalid("TOS", tos.ToString(CultureInfo.InvariantCulture)));
            }
            else if (word == "mark")
            {
                uint mark = Args.ParseUInt("mark", args.Value(word));
                set.Add(l => l.Mark = mark);
            }
            else if (word == "uid")
            {
                uint uid = Args.ParseUInt("uid", args.Value(word));
                set.Add(l => l.UserId = uid);
            }
            else if (word == "ipproto")
            {
                ProtocolType protocol = ParseProtocol(args.Value(word));
                set.Add(l => l.Protocol = protocol);
            }
            else if (word is "sport" or "dport")
            {
                string value = args.Value(word);
                ushort port = ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ushort p) ? p : throw Args.Invalid(word, value);
                set.Add(word == "sport" ? l => l.SourcePort = port : l => l.DestinationPort = port);
            }
            else if (destination is null)
            {
                destination = word;
            }
            else
            {
                throw new UsageException($"Error: lnet route get does not support \"{word}\".");
            }
        }

        if (destination is null)
        {
            throw new UsageException("need at least a destination address");
        }

        var lookup = new RouteLookup(Names.ParseAddress("to", destination));
        foreach (Action<RouteLookup> apply in set)
        {
            apply(lookup);
        }

        RouteInfo route = context.Links.Session.Routes.Get(lookup);
        Dictionary<int, string> names = context.Links.List().ToDictionary(l => l.Index, l => l.Name);
        Print(context, [route], names, tableFilter: false);
        return 0;
    }

    private static ProtocolType ParseProtocol(string value) => value switch
    {
        "tcp" => ProtocolType.Tcp,
        "udp" => ProtocolType.Udp,
        "icmp" => ProtocolType.Icmp,
        "ipv6-icmp" or "icmpv6" => ProtocolType.IcmpV6,
        _ when byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out byte number) => (ProtocolType)number,
        _ => throw Args.Invalid("ipproto", value),
    };

    private static void Print(LnetContext context, IReadOnlyList<RouteInfo> routes, Dictionary<int, string> names, bool tableFilter)
    {
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(routes.Select(r => (JsonNode)Json(r, names, tableFilter, context.Options.Details)).ToArray()));
            return;
        }

        var text = new StringBuilder();
        foreach (RouteInfo route in routes)
        {
            Text(text, route, names, tableFilter, context.Options.Details);
        }

        context.Out.Write(text.ToString());
    }

    private static string Dev(Dictionary<int, string> names, int index)
        => names.TryGetValue(index, out string? name) ? name : "if" + index.ToString(CultureInfo.InvariantCulture);

    private static JsonArray Words(List<string> words) => new(words.Select(w => (JsonNode)w!).ToArray());

    /// <summary>One route of <c>ip -j route show</c>.</summary>
    public static JsonObject Json(RouteInfo r, Dictionary<int, string> names, bool tableFilter, bool details)
    {
        var o = new JsonObject();
        if (r.Type != RouteType.Unicast || details)
        {
            o["type"] = Names.RouteTypeName(r.Type);
        }

        o["dst"] = Names.Destination(r.Destination);
        if (r.Source is IPPrefix source)
        {
            o["from"] = Names.Destination(source) == "default" ? source.Address.ToString() : Names.Destination(source);
        }

        if (r.Gateway is { } gateway)
        {
            o["gateway"] = gateway.ToString();
        }

        if (r.LinkIndex != 0)
        {
            o["dev"] = Dev(names, r.LinkIndex);
        }

        if ((r.Table != RouteTables.Main || details) && !tableFilter)
        {
            o["table"] = Names.Table(r.Table);
        }

        if (!r.IsCloned && (r.Protocol != RouteProtocol.Boot || details))
        {
            o["protocol"] = Names.Protocol(r.Protocol);
        }

        if (r.Scope != RouteScope.Universe || details)
        {
            o["scope"] = Names.Scope(r.Scope);
        }

        if (r.PreferredSource is { } prefsrc)
        {
            o["prefsrc"] = prefsrc.ToString();
        }

        if (r.Metric is uint metric)
        {
            o["metric"] = metric;
        }

        o["flags"] = Words(Names.RouteFlagWords(r.Flags));
        if (r.Mark is uint mark)
        {
            o["mark"] = mark;
        }

        if (r.UserId is uint uid)
        {
            o["uid"] = uid;
        }

        if (r.IsCloned && r.Destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            o["cache"] = Words(CacheWords(r.CacheFlags));
        }

        if (r.InputLinkIndex != 0)
        {
            o["iif"] = Dev(names, r.InputLinkIndex);
        }

        if (r.Metrics is { } metrics && MetricsJson(metrics) is { Count: > 0 } list)
        {
            o["metrics"] = list;
        }

        if (r.NextHops.Count > 0)
        {
            var hops = new JsonArray();
            foreach (RouteNextHopInfo hop in r.NextHops)
            {
                var h = new JsonObject();
                if (hop.Gateway is { } g)
                {
                    h["gateway"] = g.ToString();
                }

                if (hop.LinkIndex != 0)
                {
                    h["dev"] = Dev(names, hop.LinkIndex);
                }

                h["weight"] = hop.Weight;
                h["flags"] = Words(Names.RouteFlagWords(hop.Flags));
                hops.Add(h);
            }

            o["nexthops"] = hops;
        }

        if (r.Preference is byte pref)
        {
            o["pref"] = Names.Preference(pref);
        }

        return o;
    }

    /// <summary>The words ip prints after <c>cache</c>, in iproute2's order.</summary>
    private static List<string> CacheWords(RouteCacheFlags flags)
    {
        var words = new List<string>();
        foreach ((RouteCacheFlags flag, string word) in new[]
        {
            (RouteCacheFlags.Local, "local"), (RouteCacheFlags.Multicast, "mc"), (RouteCacheFlags.Broadcast, "brd"),
            (RouteCacheFlags.DestinationNat, "dst-nat"), (RouteCacheFlags.DirectSource, "src-direct"),
            (RouteCacheFlags.Redirected, "redirected"), (RouteCacheFlags.SendsRedirect, "redirect"), (RouteCacheFlags.Notify, "notify"),
        })
        {
            if ((flags & flag) != 0)
            {
                words.Add(word);
                flags &= ~flag;
            }
        }

        if (flags != 0)
        {
            words.Add(((uint)flags).ToString("x", CultureInfo.InvariantCulture));
        }

        return words;
    }

    private static JsonArray MetricsJson(RouteMetrics m)
    {
        var list = new JsonArray();
        void Add(string name, uint? value)
        {
            if (value is uint v)
            {
                list.Add(new JsonObject { [name] = v });
            }
        }

        Add("mtu", m.Mtu);
        Add("window", m.Window);
        Add("rtt", m.Rtt);
        Add("rttvar", m.RttVariance);
        Add("ssthresh", m.SlowStartThreshold);
        Add("cwnd", m.CongestionWindow);
        Add("advmss", m.AdvertisedMss);
        Add("reordering", m.Reordering);
        Add("hoplimit", m.HopLimit);
        Add("initcwnd", m.InitialCongestionWindow);
        Add("features", m.Features);
        Add("rto_min", m.RtoMin);
        Add("initrwnd", m.InitialReceiveWindow);
        Add("quickack", m.QuickAck);
        return list;
    }

    internal static void Text(StringBuilder text, RouteInfo r, Dictionary<int, string> names, bool tableFilter, bool details)
    {
        JsonObject o = Json(r, names, tableFilter, details);
        if (o["type"] is { } type)
        {
            text.Append(type.ToString()).Append(' ');
        }

        text.Append(o["dst"]!.ToString()).Append(' ');
        void Field(string key, string word)
        {
            if (o[key] is { } value)
            {
                text.Append(word).Append(' ').Append(value.ToString()).Append(' ');
            }
        }

        Field("from", "from");
        Field("gateway", "via");
        Field("dev", "dev");
        Field("table", "table");
        Field("protocol", "proto");
        Field("scope", "scope");
        Field("prefsrc", "src");
        Field("metric", "metric");
        foreach (string flag in Names.RouteFlagWords(r.Flags))
        {
            text.Append(flag).Append(' ');
        }

        Field("mark", "mark");
        Field("uid", "uid");
        if (r.Metrics?.Mtu is uint mtu)
        {
            text.Append(r.Metrics.LockMtu ? "mtu lock " : "mtu ").Append(mtu.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }

        if (o["cache"] is JsonArray cache)
        {
            text.AppendLine().Append("    cache ");
            if (cache.Count > 0)
            {
                text.Append('<').Append(string.Join(",", cache.Select(w => w!.ToString()))).Append("> ");
            }
        }

        if (o["pref"] is { } pref)
        {
            // ip ends IPv6 lines with "pref X" and no trailing space.
            text.Append("pref ").Append(pref.ToString());
        }

        foreach (RouteNextHopInfo hop in r.NextHops)
        {
            text.AppendLine().Append("\tnexthop ");
            if (hop.Gateway is { } g)
            {
                text.Append("via ").Append(g.ToString()).Append(' ');
            }

            if (hop.LinkIndex != 0)
            {
                text.Append("dev ").Append(Dev(names, hop.LinkIndex)).Append(' ');
            }

            text.Append(CultureInfo.InvariantCulture, $"weight {hop.Weight} ");
            foreach (string flag in Names.RouteFlagWords(hop.Flags))
            {
                text.Append(flag).Append(' ');
            }
        }

        text.AppendLine();
    }
}
