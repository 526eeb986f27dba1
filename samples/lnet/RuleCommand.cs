using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet rule show|add|del|flush</c>.</summary>
internal static class RuleCommand
{
    public const string Help = """
        Usage: lnet [-6] rule { add | del } [not] [from PREFIX] [to PREFIX] [tos TOS] [fwmark MARK[/MASK]]
                          [iif DEV] [oif DEV] [priority|pref N] [table|lookup TABLE] [suppress_prefixlength N]
                          [goto N] [blackhole | unreachable | prohibit | nop]
               lnet [-6] rule { show | flush }
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
            _ when Args.Matches(verb, "add") => Modify(context, args, (m, s) => m.Add(s)),
            _ when Args.Matches(verb, "delete") => Modify(context, args, (m, s) => m.Delete(s)),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "flush") => Flush(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet rule help\"."),
        };
    }


    private static int Modify(LnetContext context, Args args, Action<RuleManager, RuleSpec> apply)
    {
        var spec = new RuleSpec { Family = context.Options.Family };
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "not":
                    spec.Invert = true;
                    break;
                case "from":
                    string from = args.Value(word);
                    if (from != "all")
                    {
                        spec.Source = Names.ParsePrefix(from);
                    }

                    break;
                case "to":
                    string to = args.Value(word);
                    if (to != "all")
                    {
                        spec.Destination = Names.ParsePrefix(to);
                    }

                    break;
                case "tos" or "dsfield":
                    spec.Tos = checked((byte)Args.ParseUInt(word, args.Value(word)));
                    break;
                case "fwmark":
                    string[] mark = args.Value(word).Split('/');
                    spec.FirewallMark = Args.ParseUInt(word, mark[0]);
                    if (mark.Length > 1)
                    {
                        spec.FirewallMask = Args.ParseUInt(word, mark[1]);
                    }

                    break;
                case "iif" or "dev":
                    spec.InputInterface = args.Value(word);
                    break;
                case "oif":
                    spec.OutputInterface = args.Value(word);
                    break;
                case "priority" or "pref" or "preference" or "order":
                    spec.Priority = Args.ParseUInt(word, args.Value(word));
                    break;
                case "table" or "lookup":
                    spec.Table = Names.ParseTable(args.Value(word));
                    break;
                case "suppress_prefixlength" or "sup_pl":
                    spec.SuppressPrefixLength = Args.ParseInt(word, args.Value(word));
                    break;
                case "goto":
                    spec.Action = RuleAction.Goto;
                    spec.GotoPriority = Args.ParseUInt(word, args.Value(word));
                    break;
                case "blackhole": spec.Action = RuleAction.Blackhole; break;
                case "unreachable": spec.Action = RuleAction.Unreachable; break;
                case "prohibit": spec.Action = RuleAction.Prohibit; break;
                case "nop": spec.Action = RuleAction.Nop; break;
                case "type":
                    string type = args.Value(word);
                    spec.Action = type switch
                    {
                        "blackhole" => RuleAction.Blackhole,
                        "unreachable" => RuleAction.Unreachable,
                        "prohibit" => RuleAction.Prohibit,
                        "nop" => RuleAction.Nop,
                        "unicast" => RuleAction.ToTable,
                        _ => throw Args.Invalid(word, type),
                    };
                    break;
                default:
                    throw new UsageException($"Error: argument \"{word}\" is wrong: Failed to parse rule type");
            }
        }

        apply(context.Links.Session.Rules, spec);
        return 0;
    }

    private static int Flush(LnetContext context, Args args)
    {
        if (!args.AtEnd)
        {
            throw new UsageException($"Error: lnet rule flush does not support \"{args.Peek}\".");
        }

        // Like ip rule flush: IPv4 unless -6 is given; every rule but priority 0.
        context.Links.Session.Rules.Flush(context.Options.Family == AddressFamily.Unspecified ? AddressFamily.InterNetwork : context.Options.Family);
        return 0;
    }

    private static int Show(LnetContext context, Args args)
    {
        if (!args.AtEnd)
        {
            throw new UsageException($"Error: lnet rule show does not support \"{args.Peek}\".");
        }

        // Like ip rule: IPv4 unless -6 is given.
        AddressFamily family = context.Options.Family == AddressFamily.Unspecified ? AddressFamily.InterNetwork : context.Options.Family;
        IReadOnlyList<RuleInfo> rules = context.Links.Session.Rules.List(family);
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(rules.Select(r => (JsonNode)Json(r)).ToArray()));
        }
        else
        {
            var text = new StringBuilder();
            foreach (RuleInfo rule in rules)
            {
                text.AppendLine(Text(rule, deleted: false));
            }

            context.Out.Write(text.ToString());
        }

        return 0;
    }

    private static int HostLength(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>One rule of <c>ip -j rule show</c>.</summary>
    public static JsonObject Json(RuleInfo r)
    {
        var o = new JsonObject { ["priority"] = r.Priority };
        if (r.Invert)
        {
            o["not"] = null;
        }

        // The kernel sends FRA_SRC/FRA_DST exactly when the prefix length is not 0 (fib4/fib6 rule fill_info).
        if (r.Source is { } source)
        {
            o["src"] = source.Address.ToString();
            if (source.PrefixLength != HostLength(r.Family))
            {
                o["srclen"] = source.PrefixLength;
            }
        }
        else
        {
            o["src"] = "all";
        }

        if (r.Destination is { } destination)
        {
            o["dst"] = destination.Address.ToString();
            if (destination.PrefixLength != HostLength(r.Family))
            {
                o["dstlen"] = destination.PrefixLength;
            }
        }

        if (r.Tos != 0)
        {
            o["tos"] = Hex(r.Tos);
        }

        if (r.FirewallMark is not null || r.FirewallMask is not null)
        {
            o["fwmark"] = Hex(r.FirewallMark ?? 0);
            if (r.FirewallMask is uint mask && mask != uint.MaxValue)
            {
                o["fwmask"] = Hex(mask);
            }
        }

        if (r.InputInterface is { } iif)
        {
            o["iif"] = iif;
        }

        if (r.OutputInterface is { } oif)
        {
            o["oif"] = oif;
        }

        if (r.Table != 0)
        {
            o["table"] = Names.Table(r.Table);
            if (r.SuppressPrefixLength is int pl && pl != -1)
            {
                o["suppress_prefixlen"] = pl;
            }
        }

        switch (r.Action)
        {
            case RuleAction.Goto:
                o["goto"] = r.GotoPriority is uint target ? JsonValue.Create(target) : JsonValue.Create("none");
                break;
            case RuleAction.Nop:
                o["action"] = null;
                break;
            case RuleAction.ToTable:
                break;
            default:
                o["action"] = Names.RouteTypeName((RouteType)(int)r.Action);
                break;
        }

        if (r.Protocol != 0 && r.Protocol != 2)
        {
            o["protocol"] = Names.Protocol((RouteProtocol)r.Protocol);
        }

        return o;
    }

    /// <summary>One line of <c>ip rule show</c>.</summary>
    public static string Text(RuleInfo r, bool deleted)
    {
        JsonObject o = Json(r);
        var text = new StringBuilder();
        if (deleted)
        {
            text.Append("Deleted ");
        }

        text.Append(CultureInfo.InvariantCulture, $"{r.Priority}:\t");
        if (r.Invert)
        {
            text.Append("not ");
        }

        text.Append("from ").Append(o["src"]!.ToString());
        if (o["srclen"] is { } srclen)
        {
            text.Append('/').Append(srclen.ToString());
        }

        if (o["dst"] is { } dst)
        {
            text.Append(" to ").Append(dst.ToString());
            if (o["dstlen"] is { } dstlen)
            {
                text.Append('/').Append(dstlen.ToString());
            }
        }

        void Field(string key, string word)
        {
            if (o[key] is { } value)
            {
                text.Append(' ').Append(word).Append(' ').Append(value.ToString());
            }
        }

        Field("tos", "tos");
        if (o["fwmark"] is { } fwmark)
        {
            text.Append(" fwmark ").Append(fwmark.ToString());
            if (o["fwmask"] is { } fwmask)
            {
                text.Append('/').Append(fwmask.ToString());
            }
        }

        Field("iif", "iif");
        Field("oif", "oif");
        Field("table", "lookup");
        Field("suppress_prefixlen", "suppress_prefixlength");
        Field("goto", "goto");
        if (r.Action == RuleAction.Nop)
        {
            text.Append(" nop");
        }
        else if (o["action"] is { } action)
        {
            text.Append(' ').Append(action.ToString());
        }

        Field("protocol", "proto");
        return text.ToString();
    }
}
