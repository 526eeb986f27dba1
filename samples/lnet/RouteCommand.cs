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
               lnet route { add | del | replace | change | append | prepend } [TYPE] PREFIX|default [ENCAP] [via [FAMILY] ADDRESS]
                            [dev NAME] [metric N] [table TABLE] [proto PROTO] [scope SCOPE] [src ADDRESS] [expires SECONDS]
                            [mtu [lock] N] [onlink] [nexthop [ENCAP] via [FAMILY] ADDRESS [dev NAME] [weight N] [onlink]]... [nhid ID]
        ENCAP := encap { seg6 mode { encap | inline | l2encap } segs ADDRESS[,ADDRESS...] [hmac KEYID] | mpls LABEL[/LABEL...] [ttl N] }
        FAMILY := { inet | inet6 }
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
            _ when Args.Matches(verb, "change") => Modify(context, args, (m, s) => m.Change(s), deleting: false),
            _ when Args.Matches(verb, "replace") => Modify(context, args, (m, s) => m.Replace(s), deleting: false),
            _ when Args.Matches(verb, "append") => Modify(context, args, (m, s) => m.Append(s), deleting: false),
            _ when Args.Matches(verb, "prepend") => Modify(context, args, (m, s) => m.Prepend(s), deleting: false),
            _ when Args.Matches(verb, "delete") => Modify(context, args, (m, s) => m.Delete(s), deleting: true),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "get") => Get(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet route help\"."),
        };
    }


    /// <summary>
    /// <c>ip -f mpls route add|replace|del LABEL [as [to] LABEL[/LABEL…]] [via [inet|inet6] ADDRESS] [dev NAME]</c>: a label
    /// route (<c>RouteSpec.ForMplsLabel</c>); on a kernel without MPLS routing the kernel's refusal, as ip prints it.
    /// </summary>
    private static int ModifyMpls(LnetContext context, Args args, Action<RouteManager, RouteSpec> apply)
    {
        string first = args.AtEnd ? string.Empty : args.Next();
        if (!uint.TryParse(first, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint label))
        {
            throw new UsageException($"Error: mpls prefix is expected rather than \"{first}\".", 1);
        }

        RouteSpec spec = RouteSpec.ForMplsLabel(label);
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "as":
                    string labels = args.Value(word);
                    if (labels == "to")
                    {
                        labels = args.Value(word);
                    }

                    foreach (string part in labels.Split('/'))
                    {
                        spec.MplsOutgoingLabels.Add(Args.ParseUInt("label", part));
                    }

                    break;
                case "via":
                    string g = args.Value(word);
                    if (g is "inet" or "inet6")
                    {
                        g = args.Value(word);
                    }

                    spec.Via = Names.ParseAddress(word, g);
                    break;
                case "dev" or "oif":
                    spec.Link = args.Value(word);
                    break;
                default:
                    throw new UsageException($"Error: either \"to\" is duplicate, or \"{word}\" is a garbage.");
            }
        }

        apply(context.Links.Session.Routes, spec);
        return 0;
    }

    private static int Modify(LnetContext context, Args args, Action<RouteManager, RouteSpec> apply, bool deleting)
    {
        if (context.Options.Mpls)
        {
            return ModifyMpls(context, args, apply);
        }

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
        uint? nexthopId = null;
        RouteEncapsulation? encapsulation = null;
        TimeSpan? expires = null;
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
                case "encap":
                    encapsulation = Encap(args);
                    break;
                case "expires":
                    expires = TimeSpan.FromSeconds(Args.ParseUInt(word, args.Value(word)));
                    break;
                case "nexthop":
                    nextHops.Add(NextHop(context, args));
                    break;
                case "nhid":
                    nexthopId = Args.ParseUInt(word, args.Value(word));
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

        // The index found here goes into the request: the name is not resolved a second time.
        int? deviceIndex = device is null ? null : context.RequireLink(device).Index;

        // ip: a gateway of the route's own family is RTA_GATEWAY, one of another family (via inet6 on IPv4) RTA_VIA.
        if (gateway is not null && gateway.AddressFamily != spec.Family)
        {
            spec.Via = gateway;
        }
        else
        {
            spec.Gateway = gateway;
        }

        spec.Encapsulation = encapsulation;
        spec.Expires = expires;
        spec.Link = deviceIndex is int index ? index : null;
        spec.Metric = metric;
        spec.Table = table;
        spec.Protocol = protocol;
        spec.Scope = scope;
        spec.Type = type;
        spec.PreferredSource = source;
        spec.OnLink = onLink;
        spec.NexthopId = nexthopId;
        if (mtu is uint m)
        {
            spec.Metrics = new RouteMetrics { Mtu = m, LockMtu = lockMtu };
        }

        foreach (RouteNextHop hop in nextHops)
        {
            if (hop.Gateway is { } hopGateway && hopGateway.AddressFamily != spec.Family)
            {
                hop.Via = hopGateway;
                hop.Gateway = null;
            }

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
                case "encap":
                    args.Next();
                    hop.Encapsulation = Encap(args);
                    break;
                default:
                    return hop;
            }
        }

        return hop;
    }

    /// <summary>The words after <c>encap</c>: <c>seg6 mode M segs A,B [hmac K]</c> or <c>mpls L/L [ttl N]</c>.</summary>
    private static RouteEncapsulation Encap(Args args)
    {
        string type = args.Value("encap");
        if (type == "seg6")
        {
            Seg6Mode mode = Seg6Mode.Encap;
            IPAddress[]? segments = null;
            uint? hmac = null;
            while (args.Peek is "mode" or "segs" or "hmac")
            {
                string word = args.Next();
                string value = args.Value(word);
                switch (word)
                {
                    case "mode":
                        mode = value switch
                        {
                            "inline" => Seg6Mode.Inline,
                            "encap" => Seg6Mode.Encap,
                            "l2encap" => Seg6Mode.L2Encap,
                            "encap.red" => Seg6Mode.EncapReduced,
                            "l2encap.red" => Seg6Mode.L2EncapReduced,
                            _ => throw Args.Invalid("mode", value),
                        };
                        break;
                    case "segs":
                        segments = value.Split(',').Select(a => Names.ParseAddress("segs", a)).ToArray();
                        break;
                    default:
                        hmac = Args.ParseUInt("hmac", value);
                        break;
                }
            }

            return new Seg6Encapsulation(mode, segments ?? []) { HmacKeyId = hmac };
        }

        if (type == "mpls")
        {
            string labels = args.Value("mpls");
            var encap = new MplsEncapsulation(labels.Split('/').Select(l => Args.ParseUInt("label", l)).ToArray());
            if (args.Peek == "ttl")
            {
                args.Next();
                uint ttl = Args.ParseUInt("ttl", args.Value("ttl"));
                encap.Ttl = ttl <= byte.MaxValue ? (byte)ttl : throw Args.Invalid("ttl", ttl.ToString(CultureInfo.InvariantCulture));
            }

            return encap;
        }

        throw new UsageException($"Error: lnet route: encap type \"{type}\" is not supported (seg6, mpls).");
    }

    private static int Show(LnetContext context, Args args)
    {
        if (context.Options.Mpls)
        {
            // LinuxNet writes MPLS routes but does not decode them (no kernel here has MPLS routing to test against).
            context.Error.WriteLine("lnet: listing MPLS routes (-f mpls route show) is not supported; ip -f mpls route show lists them.");
            return 1;
        }

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
        if (r.NexthopId is uint nhid)
        {
            o["nhid"] = nhid;
        }

        if (r.Source is IPPrefix source)
        {
            o["from"] = Names.Destination(source) == "default" ? source.Address.ToString() : Names.Destination(source);
        }

        if (r.Encapsulation is { } encapsulation)
        {
            EncapJson(o, encapsulation);
        }

        if (r.Gateway is { } gateway)
        {
            o["gateway"] = gateway.ToString();
        }

        if (r.Via is { } via)
        {
            o["via"] = ViaJson(via);
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
        if (r.Expires is TimeSpan expires)
        {
            // ip prints the remaining time in whole seconds, rounded down.
            o["expires"] = (long)expires.TotalSeconds;
        }

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
                if (hop.Encapsulation is { } hopEncapsulation)
                {
                    EncapJson(h, hopEncapsulation);
                }

                if (hop.Gateway is { } g)
                {
                    h["gateway"] = g.ToString();
                }

                if (hop.Via is { } hopVia)
                {
                    h["via"] = ViaJson(hopVia);
                }

                if (hop.LinkIndex != 0)
                {
                    h["dev"] = Dev(names, hop.LinkIndex);
                }

                h["weight"] = hop.Weight;
                h["flags"] = Words(Names.RouteFlagWords(hop.Flags));
                hops.Add((JsonNode)h);
            }

            o["nexthops"] = hops;
        }

        if (r.Preference is byte pref)
        {
            o["pref"] = Names.Preference(pref);
        }

        return o;
    }

    /// <summary>ip's text: <c> encap seg6 mode encap segs 2 [ A B ] [hmac X] </c> (a space before, as ip prints it) or <c> encap mpls 100/200 </c>.</summary>
    private static void EncapText(StringBuilder text, RouteEncapsulation encapsulation)
    {
        switch (encapsulation)
        {
            case Seg6Encapsulation seg6:
                var segs = seg6.Segments.Select(a => a.ToString()).ToList();
                if (seg6.Mode == Seg6Mode.Inline)
                {
                    segs.Add("::");
                }

                text.Append(CultureInfo.InvariantCulture, $" encap seg6 mode {Seg6Encapsulation.ModeName(seg6.Mode)} segs {segs.Count} [ {string.Join(" ", segs)} ] ");
                if (seg6.HmacKeyId is uint hmac)
                {
                    text.Append("hmac ").Append(hmac.ToString("X", CultureInfo.InvariantCulture)).Append(' ');
                }

                break;
            case MplsEncapsulation mpls:
                text.Append(" encap ").Append(mpls.ToString()).Append(' ');
                break;
        }
    }

    private static void ViaText(StringBuilder text, IPAddress via)
        => text.Append(via.AddressFamily == AddressFamily.InterNetworkV6 ? "via inet6 " : "via inet ").Append(via).Append(' ');

    private static JsonObject ViaJson(IPAddress via) => new()
    {
        ["family"] = via.AddressFamily == AddressFamily.InterNetworkV6 ? "inet6" : "inet",
        ["host"] = via.ToString(),
    };

    /// <summary>ip's encap keys: <c>encap</c>, then <c>mode</c>/<c>segs</c>/<c>hmac</c> (seg6) or <c>dst</c>/<c>ttl</c> (mpls).</summary>
    private static void EncapJson(JsonObject o, RouteEncapsulation encapsulation)
    {
        switch (encapsulation)
        {
            case Seg6Encapsulation seg6:
                o["encap"] = "seg6";
                o["mode"] = Seg6Encapsulation.ModeName(seg6.Mode);
                var segs = new JsonArray(seg6.Segments.Select(a => (JsonNode)a.ToString()!).ToArray());
                if (seg6.Mode == Seg6Mode.Inline)
                {
                    // ip lists the header's final-destination slot too.
                    segs.Add((JsonNode)"::");
                }

                o["segs"] = segs;
                if (seg6.HmacKeyId is uint hmac)
                {
                    o["hmac"] = "0x" + hmac.ToString("x", CultureInfo.InvariantCulture);
                }

                break;
            case MplsEncapsulation mpls:
                // ip also prints the label stack as a second "dst" key, which a JSON object cannot hold: left out.
                o["encap"] = "mpls";
                if (mpls.Ttl is byte ttl)
                {
                    o["ttl"] = ttl;
                }

                break;
        }
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
                list.Add((JsonNode)new JsonObject { [name] = v });
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
        if (r.Encapsulation is { } encapsulation)
        {
            EncapText(text, encapsulation);
        }

        void Field(string key, string word)
        {
            if (o[key] is { } value)
            {
                text.Append(word).Append(' ').Append(value.ToString()).Append(' ');
            }
        }

        Field("nhid", "nhid");
        Field("from", "from");
        Field("gateway", "via");
        if (r.Via is { } via)
        {
            ViaText(text, via);
        }

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
        if (o["expires"] is { } expires)
        {
            text.Append("expires ").Append(expires.ToString()).Append("sec ");
        }

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
            if (hop.Encapsulation is { } hopEncapsulation)
            {
                EncapText(text, hopEncapsulation);
            }

            if (hop.Gateway is { } g)
            {
                text.Append("via ").Append(g.ToString()).Append(' ');
            }

            if (hop.Via is { } hopVia)
            {
                ViaText(text, hopVia);
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
