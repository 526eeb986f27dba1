using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet neigh show|add|del|replace</c>.</summary>
internal static class NeighbourCommand
{
    public const string Help = """
        Usage: lnet neigh { add | del | replace } [proxy] ADDR [lladdr LLADDR] [nud STATE] [router] [extern_learn] dev DEV
               lnet neigh show [dev DEV] [proxy] [nud STATE|all]
               lnet neigh flush dev DEV [nud STATE|all]
        STATE := { permanent | noarp | stale | reachable | none | incomplete | delay | probe | failed }
        """;

    private static readonly (NeighbourStates State, string Name)[] StateNames =
    [
        (NeighbourStates.Incomplete, "INCOMPLETE"), (NeighbourStates.Reachable, "REACHABLE"), (NeighbourStates.Stale, "STALE"),
        (NeighbourStates.Delay, "DELAY"), (NeighbourStates.Probe, "PROBE"), (NeighbourStates.Failed, "FAILED"),
        (NeighbourStates.NoArp, "NOARP"), (NeighbourStates.Permanent, "PERMANENT"),
    ];

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
            _ when Args.Matches(verb, "change") || Args.Matches(verb, "replace") => Modify(context, args, (m, s) => m.Replace(s)),
            _ when Args.Matches(verb, "delete") => Modify(context, args, (m, s) => m.Delete(s)),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "flush") => Flush(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet neigh help\"."),
        };
    }


    private static NeighbourStates ParseState(string text) => text switch
    {
        "permanent" => NeighbourStates.Permanent,
        "noarp" => NeighbourStates.NoArp,
        "stale" => NeighbourStates.Stale,
        "reachable" => NeighbourStates.Reachable,
        "none" => NeighbourStates.None,
        "incomplete" => NeighbourStates.Incomplete,
        "delay" => NeighbourStates.Delay,
        "probe" => NeighbourStates.Probe,
        "failed" => NeighbourStates.Failed,
        _ => throw new UsageException($"Error: argument \"{text}\" is wrong: nud state is bad"),
    };

    private static int Modify(LnetContext context, Args args, Action<NeighbourManager, NeighbourSpec> apply)
    {
        IPAddress? address = null;
        string? device = null;
        PhysicalAddress? lladdr = null;
        NeighbourStates? state = null;
        NeighbourFlags flags = NeighbourFlags.None;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "lladdr":
                    lladdr = Names.ParseMac(word, args.Value(word));
                    break;
                case "nud":
                    state = ParseState(args.Value(word));
                    break;
                case "dev":
                    device = args.Value(word);
                    break;
                case "router":
                    flags |= NeighbourFlags.Router;
                    break;
                case "proxy":
                    flags |= NeighbourFlags.Proxy;
                    break;
                case "extern_learn":
                    flags |= NeighbourFlags.ExternallyLearned;
                    break;
                case "to":
                    address = Names.ParseAddress(word, args.Value(word));
                    break;
                default:
                    address = address is null ? Names.ParseAddress("to", word) : throw new UsageException($"Error: either \"to\" is duplicate, or \"{word}\" is a garbage.");
                    break;
            }
        }

        if (address is null || device is null)
        {
            throw new UsageException("Device and destination are required arguments.");
        }

        context.RequireLink(device);
        var spec = new NeighbourSpec(address, device) { LinkLayerAddress = lladdr, Flags = flags };
        if (state is NeighbourStates s)
        {
            spec.State = s;
        }

        apply(context.Links.Session.Neighbours, spec);
        return 0;
    }

    private static int Show(LnetContext context, Args args)
    {
        var filter = new NeighbourFilter { Family = context.Options.Family };

        // As ip: NOARP entries (multicast, broadcast) are hidden unless "nud noarp" or "nud all" asks for them.
        int stateMask = 0xFF & ~(int)NeighbourStates.NoArp;
        bool stateGiven = false;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "dev":
                    string device = args.Value(word);
                    filter.Link = context.RequireLink(device).Index;
                    break;
                case "proxy":
                    filter.Proxies = true;
                    break;
                case "nud":
                    string nud = args.Value(word);
                    stateMask = stateGiven ? stateMask : 0;
                    stateGiven = true;
                    if (nud == "all")
                    {
                        stateMask = ~0;
                    }
                    else
                    {
                        NeighbourStates state = ParseState(nud);
                        stateMask |= state == NeighbourStates.None ? 0x100 : (int)state;
                    }

                    break;
                default:
                    throw new UsageException($"Error: lnet neigh show does not support \"{word}\".");
            }
        }

        IReadOnlyList<NeighbourInfo> entries = context.Links.Session.Neighbours.List(filter)
            .Where(n => ((int)n.State & stateMask) != 0
                || (n.Flags & (NeighbourFlags.Proxy | NeighbourFlags.ExternallyLearned)) != 0
                || (n.State == NeighbourStates.None && (stateMask & 0x100) != 0))
            .ToList();
        Dictionary<int, string> names = context.Links.List().ToDictionary(l => l.Index, l => l.Name);
        bool showDevice = filter.Link is null;
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(entries.Select(n => (JsonNode)Json(n, names, showDevice)).ToArray()));
        }
        else
        {
            var text = new StringBuilder();
            foreach (NeighbourInfo entry in entries)
            {
                text.AppendLine(Text(entry, names, showDevice, deleted: false));
            }

            context.Out.Write(text.ToString());
        }

        return 0;
    }

    private static int Flush(LnetContext context, Args args)
    {
        string? device = null;

        // As ip: permanent and NOARP entries stay unless "nud" names them.
        int stateMask = 0xFF & ~(int)(NeighbourStates.Permanent | NeighbourStates.NoArp);
        bool stateGiven = false;
        while (!args.AtEnd)
        {
            string word = args.Next();
            if (word == "dev")
            {
                device = args.Value(word);
            }
            else if (word == "nud")
            {
                string nud = args.Value(word);
                stateMask = stateGiven ? stateMask : 0;
                stateGiven = true;
                stateMask |= nud == "all" ? 0xFF : (int)ParseState(nud);
            }
            else
            {
                throw new UsageException($"Error: lnet neigh flush does not support \"{word}\".");
            }
        }

        if (device is null)
        {
            throw new UsageException("Flush requires arguments.");
        }

        int index = context.RequireLink(device).Index;
        var filter = new NeighbourFilter { Family = context.Options.Family, Link = index };
        foreach (NeighbourInfo entry in context.Links.Session.Neighbours.List(filter).Where(n => ((int)n.State & stateMask) != 0))
        {
            try
            {
                context.Links.Session.Neighbours.Delete(new NeighbourSpec(entry.Address, index));
            }
            catch (LinuxNetException e) when (e.IsNotFound)
            {
                // Gone in the meantime (garbage-collected or resolved away): nothing left to flush.
            }
        }

        return 0;
    }

    private static string Dev(Dictionary<int, string> names, int index)
        => names.TryGetValue(index, out string? name) ? name : "if" + index.ToString(CultureInfo.InvariantCulture);

    private static List<string> StateWords(NeighbourStates state)
    {
        var words = new List<string>();
        foreach ((NeighbourStates s, string name) in StateNames)
        {
            if ((state & s) != 0)
            {
                words.Add(name);
                state &= ~s;
            }
        }

        if (state != 0)
        {
            words.Add("0x" + ((int)state).ToString("x", CultureInfo.InvariantCulture));
        }

        return words;
    }

    /// <summary>One entry of <c>ip -j neigh show</c>.</summary>
    public static JsonObject Json(NeighbourInfo n, Dictionary<int, string> names, bool showDevice)
    {
        var o = new JsonObject { ["dst"] = n.Address.ToString() };
        if (showDevice && n.LinkIndex != 0)
        {
            o["dev"] = Dev(names, n.LinkIndex);
        }

        if (n.LinkLayerAddress is { } lladdr)
        {
            o["lladdr"] = Names.Mac(lladdr);
        }

        if ((n.Flags & NeighbourFlags.Router) != 0)
        {
            o["router"] = null;
        }

        if ((n.Flags & NeighbourFlags.Proxy) != 0)
        {
            o["proxy"] = null;
        }

        if ((n.Flags & NeighbourFlags.ExternallyLearned) != 0)
        {
            o["extern_learn"] = null;
        }

        if ((n.Flags & NeighbourFlags.Offloaded) != 0)
        {
            o["offload"] = null;
        }

        if (n.State != NeighbourStates.None)
        {
            o["state"] = new JsonArray(StateWords(n.State).Select(w => (JsonNode)w!).ToArray());
        }

        return o;
    }

    /// <summary>One line of <c>ip neigh show</c>.</summary>
    public static string Text(NeighbourInfo n, Dictionary<int, string> names, bool showDevice, bool deleted)
    {
        var text = new StringBuilder();
        if (deleted)
        {
            text.Append("Deleted ");
        }

        text.Append(n.Address.ToString()).Append(' ');
        if (showDevice && n.LinkIndex != 0)
        {
            text.Append("dev ").Append(Dev(names, n.LinkIndex)).Append(' ');
        }

        if (n.LinkLayerAddress is { } lladdr)
        {
            text.Append("lladdr ").Append(Names.Mac(lladdr)).Append(' ');
        }

        if ((n.Flags & NeighbourFlags.Router) != 0)
        {
            text.Append("router ");
        }

        if ((n.Flags & NeighbourFlags.Proxy) != 0)
        {
            text.Append("proxy ");
        }

        text.Append(string.Join(" ", StateWords(n.State)));
        return text.ToString().TrimEnd();
    }
}
