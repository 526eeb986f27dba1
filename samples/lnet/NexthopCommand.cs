using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet nexthop add|replace|del|show|get|flush</c> and <c>lnet nexthop bucket show|get</c>, as <c>ip nexthop</c>.</summary>
internal static class NexthopCommand
{
    public const string Help = """
        Usage: lnet nexthop { list | flush } [ protocol ID ] SELECTOR
               lnet nexthop { add | replace } id ID NH [ protocol ID ]
               lnet nexthop { get | del } id ID
               lnet nexthop bucket list BUCKET_SELECTOR
               lnet nexthop bucket get id ID index INDEX
        SELECTOR := [ id ID ] [ dev DEV ] [ master DEV ] [ groups ] [ fdb ]
        BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
        NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ] | group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
        GROUP := [ <id[,weight]>/<id[,weight]>/... ]
        TYPE := { mpath | resilient }
        TYPE_ARGS := [ RESILIENT_ARGS ]
        RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ] [ unbalanced_timer UNBALANCED ]
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
            _ when Args.Matches(verb, "add") => Modify(context, args, replace: false),
            _ when Args.Matches(verb, "replace") => Modify(context, args, replace: true),
            _ when Args.Matches(verb, "delete") => Delete(context, args),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "get") => Get(context, args),
            _ when Args.Matches(verb, "flush") => Flush(context, args),
            _ when Args.Matches(verb, "bucket") => Bucket(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet nexthop help\"."),
        };
    }

    /// <summary>One nexthop of <c>ip -j nexthop show</c>.</summary>
    public static JsonObject Json(NexthopInfo n, IReadOnlyDictionary<int, string> names)
    {
        var o = new JsonObject { ["id"] = n.Id };
        if (n.IsGroup)
        {
            var group = new JsonArray();
            foreach (NexthopGroupMember member in n.Group)
            {
                var m = new JsonObject { ["id"] = member.Id };
                if (member.Weight != 1)
                {
                    m["weight"] = member.Weight;
                }

                group.Add((JsonNode)m);
            }

            o["group"] = group;
            if (n.GroupType == NexthopGroupType.Resilient)
            {
                o["type"] = "resilient";
                o["resilient_args"] = new JsonObject
                {
                    ["buckets"] = n.Buckets,
                    ["idle_timer"] = Seconds(n.IdleTimer ?? TimeSpan.Zero),
                    ["unbalanced_timer"] = Seconds(n.UnbalancedTimer ?? TimeSpan.Zero),
                    ["unbalanced_time"] = Seconds(n.UnbalancedTime ?? TimeSpan.Zero),
                };
            }
        }

        if (n.Gateway is { } gateway)
        {
            o["gateway"] = gateway.ToString();
        }

        if (n.LinkIndex != 0)
        {
            o["dev"] = names.TryGetValue(n.LinkIndex, out string? name) ? name : "if" + n.LinkIndex.ToString(CultureInfo.InvariantCulture);
        }

        if (n.Scope != RouteScope.Universe)
        {
            o["scope"] = Names.Scope(n.Scope);
        }

        if (n.IsBlackhole)
        {
            o["blackhole"] = null;
        }

        if (n.Protocol != RouteProtocol.Unspecified)
        {
            o["protocol"] = Names.Protocol(n.Protocol);
        }

        o["flags"] = new JsonArray(Names.RouteFlagWords(n.Flags).Select(w => (JsonNode)w).ToArray());
        if (n.IsFdb)
        {
            o["fdb"] = null;
        }

        return o;
    }

    /// <summary>One line of <c>ip nexthop show</c>: every field followed by a space, as ip prints it, <c>fdb</c> last without one.</summary>
    public static string Text(NexthopInfo n, IReadOnlyDictionary<int, string> names)
    {
        JsonObject o = Json(n, names);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"id {n.Id} ");
        if (n.IsGroup)
        {
            text.Append("group ").Append(string.Join("/", n.Group)).Append(' ');
            if (o["resilient_args"] is JsonObject resilient)
            {
                text.Append("type resilient ");
                foreach ((string key, JsonNode? value) in resilient)
                {
                    text.Append(key).Append(' ').Append(value!.ToJsonString()).Append(' ');
                }
            }
        }

        void Field(string key, string word)
        {
            if (o[key] is { } value)
            {
                text.Append(word).Append(' ').Append(value.ToString()).Append(' ');
            }
        }

        Field("gateway", "via");
        Field("dev", "dev");
        Field("scope", "scope");
        if (n.IsBlackhole)
        {
            text.Append("blackhole ");
        }

        Field("protocol", "proto");
        foreach (string flag in Names.RouteFlagWords(n.Flags))
        {
            text.Append(flag).Append(' ');
        }

        if (n.IsFdb)
        {
            text.Append("fdb");
        }

        return text.ToString();
    }

    /// <summary>One bucket of <c>ip -j nexthop bucket show</c>.</summary>
    public static JsonObject Json(NexthopBucketInfo b) => new()
    {
        ["id"] = b.GroupId,
        ["bucket"] = new JsonObject { ["index"] = b.Index, ["idle_time"] = Seconds(b.IdleTime), ["nhid"] = b.NexthopId },
        ["flags"] = new JsonArray(Names.RouteFlagWords(b.Flags).Select(w => (JsonNode)w).ToArray()),
    };

    private static JsonNode Seconds(TimeSpan time)
    {
        // ip prints clock_t as seconds with up to two decimals (%g of a hundredths count / 100): 60, 0.05.
        double seconds = Math.Round(time.TotalSeconds, 2);
        return seconds == Math.Floor(seconds) && seconds < long.MaxValue ? JsonValue.Create((long)seconds) : JsonValue.Create(seconds);
    }

    private static int Modify(LnetContext context, Args args, bool replace)
    {
        uint? id = null;
        NexthopSpec? spec = null;
        IPAddress? gateway = null;
        string? device = null;
        bool onLink = false, blackhole = false, fdb = false;
        RouteProtocol? protocol = null;
        var group = new List<NexthopGroupMember>();
        NexthopGroupType type = NexthopGroupType.Multipath;
        int? buckets = null;
        TimeSpan? idle = null, unbalanced = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "id":
                    id = Args.ParseUInt(word, args.Value(word));
                    break;
                case "via":
                    gateway = Names.ParseAddress(word, args.Value(word));
                    break;
                case "dev":
                    device = args.Value(word);
                    break;
                case "onlink":
                    onLink = true;
                    break;
                case "blackhole":
                    blackhole = true;
                    break;
                case "fdb":
                    fdb = true;
                    break;
                case "proto" or "protocol":
                    protocol = Names.ParseProtocol(args.Value(word));
                    break;
                case "group":
                    group.AddRange(ParseGroup(args.Value(word)));
                    break;
                case "type":
                    string kind = args.Value(word);
                    type = kind switch
                    {
                        "mpath" => NexthopGroupType.Multipath,
                        "resilient" => NexthopGroupType.Resilient,
                        _ => throw new UsageException($"Error: argument \"{kind}\" is wrong: \"type\" value is invalid", 255),
                    };
                    break;
                case "buckets" when type == NexthopGroupType.Resilient:
                    buckets = Args.ParseInt(word, args.Value(word));
                    break;
                case "idle_timer" when type == NexthopGroupType.Resilient:
                    idle = TimeSpan.FromSeconds(Args.ParseUInt(word, args.Value(word)));
                    break;
                case "unbalanced_timer" when type == NexthopGroupType.Resilient:
                    unbalanced = TimeSpan.FromSeconds(Args.ParseUInt(word, args.Value(word)));
                    break;
                default:
                    throw new UsageException($"Error: argument \"{word}\" is wrong: Unknown nexthop attribute", 255);
            }
        }

        if (id is null)
        {
            throw new UsageException("Error: lnet nexthop add needs an id (id ID): the library does not let the kernel pick one.", 255);
        }

        if (device is not null && context.Links.TryGet(device) is null)
        {
            throw new UsageException($"Error: argument \"{device}\" is wrong: Device does not exist\n", 255); // ip prints an empty line after it
        }

        spec = new NexthopSpec(id.Value)
        {
            Family = group.Count == 0 && gateway is null ? context.Options.Family : System.Net.Sockets.AddressFamily.Unspecified,
            Gateway = gateway,
            Link = device is null ? (LinkReference?)null : device,
            OnLink = onLink,
            Blackhole = blackhole,
            Fdb = fdb,
            Protocol = protocol,
            GroupType = type,
            Buckets = buckets,
            IdleTimer = idle,
            UnbalancedTimer = unbalanced,
        };
        foreach (NexthopGroupMember member in group)
        {
            spec.Group.Add(member);
        }

        if (replace)
        {
            context.Links.Session.Nexthops.Replace(spec);
        }
        else
        {
            context.Links.Session.Nexthops.Add(spec);
        }

        return 0;
    }

    private static IEnumerable<NexthopGroupMember> ParseGroup(string text)
    {
        foreach (string part in text.Split('/'))
        {
            string[] idWeight = part.Split(',');
            uint member = Args.ParseUInt("group", idWeight[0]);
            int weight = idWeight.Length > 1 ? Args.ParseInt("group", idWeight[1]) : 1;
            yield return new NexthopGroupMember(member, weight);
        }
    }

    private static uint ParseId(Args args)
    {
        if (args.AtEnd || args.Next() != "id")
        {
            throw new UsageException("Error: lnet nexthop needs \"id ID\".", 255);
        }

        uint id = Args.ParseUInt("id", args.Value("id"));
        if (!args.AtEnd)
        {
            throw new UsageException($"Error: argument \"{args.Peek}\" is wrong: Unknown nexthop attribute", 255);
        }

        return id;
    }

    private static int Delete(LnetContext context, Args args)
    {
        context.Links.Session.Nexthops.Delete(ParseId(args));
        return 0;
    }

    private static int Get(LnetContext context, Args args)
    {
        NexthopInfo nexthop = context.Links.Session.Nexthops.Get(ParseId(args));
        Print(context, [nexthop]);
        return 0;
    }

    private static (NexthopFilter Filter, uint? Id, RouteProtocol? Protocol) ParseSelector(LnetContext context, Args args)
    {
        var filter = new NexthopFilter();
        uint? id = null;
        RouteProtocol? protocol = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "id": id = Args.ParseUInt(word, args.Value(word)); break;
                case "dev": filter.Link = context.RequireLink(args.Value(word)).Index; break;
                case "master": filter.Master = context.RequireLink(args.Value(word)).Index; break;
                case "groups": filter.GroupsOnly = true; break;
                case "fdb": filter.FdbOnly = true; break;
                case "proto" or "protocol": protocol = Names.ParseProtocol(args.Value(word)); break;
                default: throw new UsageException($"Error: argument \"{word}\" is wrong: Unknown nexthop selector", 255);
            }
        }

        return (filter, id, protocol);
    }

    private static int Show(LnetContext context, Args args)
    {
        (NexthopFilter filter, uint? id, RouteProtocol? protocol) = ParseSelector(context, args);
        NexthopManager nexthops = context.Links.Session.Nexthops;
        IReadOnlyList<NexthopInfo> list = id is uint one ? [nexthops.Get(one)] : nexthops.List(filter);
        Print(context, list.Where(n => protocol is null || n.Protocol == protocol).ToList());
        return 0;
    }

    private static int Flush(LnetContext context, Args args)
    {
        (NexthopFilter filter, uint? id, RouteProtocol? protocol) = ParseSelector(context, args);
        NexthopManager nexthops = context.Links.Session.Nexthops;
        int flushed;
        if (id is uint one)
        {
            nexthops.Delete(one);
            flushed = 1;
        }
        else if (protocol is not null)
        {
            flushed = 0;
            foreach (NexthopInfo n in nexthops.List(filter).Where(n => n.Protocol == protocol).OrderBy(n => n.IsGroup ? 0 : 1))
            {
                nexthops.Delete(n.Id);
                flushed++;
            }
        }
        else
        {
            flushed = nexthops.Flush(filter);
        }

        context.Out.WriteLine(flushed == 0 ? "Nothing to flush" : $"Flushed {flushed} nexthops");
        return 0;
    }

    private static int Bucket(LnetContext context, Args args)
    {
        string verb = args.AtEnd ? "show" : args.Next();
        NexthopManager nexthops = context.Links.Session.Nexthops;
        IReadOnlyList<NexthopBucketInfo> buckets;
        if (Args.Matches(verb, "show") || Args.Matches(verb, "list"))
        {
            var filter = new NexthopBucketFilter();
            while (!args.AtEnd)
            {
                string word = args.Next();
                switch (word)
                {
                    case "id": filter.GroupId = Args.ParseUInt(word, args.Value(word)); break;
                    case "nhid": filter.NexthopId = Args.ParseUInt(word, args.Value(word)); break;
                    case "dev": filter.Link = context.RequireLink(args.Value(word)).Index; break;
                    case "master": filter.Master = context.RequireLink(args.Value(word)).Index; break;
                    default: throw new UsageException($"Error: argument \"{word}\" is wrong: Unknown nexthop bucket selector", 255);
                }
            }

            buckets = nexthops.ListBuckets(filter);
        }
        else if (Args.Matches(verb, "get"))
        {
            uint? id = null;
            int? index = null;
            while (!args.AtEnd)
            {
                string word = args.Next();
                switch (word)
                {
                    case "id": id = Args.ParseUInt(word, args.Value(word)); break;
                    case "index": index = Args.ParseInt(word, args.Value(word)); break;
                    default: throw new UsageException($"Error: argument \"{word}\" is wrong: Unknown nexthop bucket attribute", 255);
                }
            }

            if (id is null || index is null)
            {
                throw new UsageException("Error: lnet nexthop bucket get needs \"id ID index INDEX\".", 255);
            }

            buckets = [nexthops.GetBucket(id.Value, index.Value)];
        }
        else
        {
            throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet nexthop help\".");
        }

        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(buckets.Select(b => (JsonNode)Json(b)).ToArray()));
        }
        else
        {
            var text = new StringBuilder();
            foreach (NexthopBucketInfo b in buckets)
            {
                JsonObject o = Json(b);
                JsonNode bucket = o["bucket"]!;
                text.Append(CultureInfo.InvariantCulture, $"id {b.GroupId} index {b.Index} idle_time {bucket["idle_time"]!.ToJsonString()} nhid {b.NexthopId} ");
                foreach (string flag in Names.RouteFlagWords(b.Flags))
                {
                    text.Append(flag).Append(' ');
                }

                text.AppendLine();
            }

            context.Out.Write(text.ToString());
        }

        return 0;
    }

    private static void Print(LnetContext context, IReadOnlyList<NexthopInfo> nexthops)
    {
        Dictionary<int, string> names = context.Links.List().ToDictionary(l => l.Index, l => l.Name);
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(nexthops.Select(n => (JsonNode)Json(n, names)).ToArray()));
            return;
        }

        var text = new StringBuilder();
        foreach (NexthopInfo n in nexthops)
        {
            text.AppendLine(Text(n, names));
        }

        context.Out.Write(text.ToString());
    }
}
