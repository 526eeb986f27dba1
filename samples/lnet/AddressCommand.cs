using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet addr show|add|del|replace|flush</c>.</summary>
internal static class AddressCommand
{
    public const string Help = """
        Usage: lnet address {add|change|replace|del} PREFIX [peer PREFIX] [broadcast ADDR|+|-] [label LABEL] [scope SCOPE]
                            [metric N] [valid_lft SECONDS|forever] [preferred_lft SECONDS|forever]
                            [nodad] [noprefixroute] [home] [mngtmpaddr] [autojoin] dev NAME
               lnet address flush dev NAME
               lnet address show [[dev] NAME]
        SCOPE := { host | link | global | NUMBER }
        """;

    private const uint Forever = uint.MaxValue;

    private static readonly (AddressFlags Flag, string Name)[] FlagNames =
    [
        (AddressFlags.Secondary, "secondary"), (AddressFlags.NoDad, "nodad"), (AddressFlags.Optimistic, "optimistic"),
        (AddressFlags.DadFailed, "dadfailed"), (AddressFlags.HomeAddress, "home"), (AddressFlags.Deprecated, "deprecated"),
        (AddressFlags.Tentative, "tentative"), (AddressFlags.Permanent, "permanent"), (AddressFlags.ManageTemporaryAddresses, "mngtmpaddr"),
        (AddressFlags.NoPrefixRoute, "noprefixroute"), (AddressFlags.MulticastAutoJoin, "autojoin"), (AddressFlags.StablePrivacy, "stable-privacy"),
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
            _ when Args.Matches(verb, "change") || verb == "chg" || Args.Matches(verb, "replace") => Modify(context, args, (m, s) => m.Replace(s)),
            _ when Args.Matches(verb, "delete") => Modify(context, args, (m, s) => m.Delete(s)),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "flush") => Flush(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet address help\"."),
        };
    }


    private static int Modify(LnetContext context, Args args, Action<AddressManager, AddressSpec> apply)
    {
        string? local = null;
        IPPrefix? peer = null;
        string? device = null;
        string? broadcast = null;
        string? label = null;
        RouteScope? scope = null;
        uint? metric = null;
        uint? valid = null;
        uint? preferred = null;
        AddressFlags flags = AddressFlags.None;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "peer" or "remote":
                    peer = Names.ParsePrefix(args.Value(word));
                    break;
                case "dev":
                    device = args.Value(word);
                    break;
                case "label":
                    label = args.Value(word);
                    break;
                case "scope":
                    scope = Names.ParseScope(args.Value(word));
                    break;
                case "metric" or "priority" or "preference":
                    metric = Args.ParseUInt(word, args.Value(word));
                    break;
                case "valid_lft" or "preferred_lft":
                    string v = args.Value(word);
                    uint seconds = v == "forever" ? Forever : Args.ParseUInt(word, v);
                    if (word == "valid_lft")
                    {
                        valid = seconds;
                    }
                    else
                    {
                        preferred = seconds;
                    }

                    break;
                case "nodad": flags |= AddressFlags.NoDad; break;
                case "noprefixroute": flags |= AddressFlags.NoPrefixRoute; break;
                case "home": flags |= AddressFlags.HomeAddress; break;
                case "mngtmpaddr": flags |= AddressFlags.ManageTemporaryAddresses; break;
                case "autojoin": flags |= AddressFlags.MulticastAutoJoin; break;
                case "optimistic": flags |= AddressFlags.Optimistic; break;
                case "local":
                    local = args.Value(word);
                    break;
                default:
                    if (word == "brd" || Args.Matches(word, "broadcast"))
                    {
                        broadcast = args.Value(word);
                    }
                    else if (local is null)
                    {
                        local = word;
                    }
                    else
                    {
                        throw new UsageException($"Error: either \"local\" is duplicate, or \"{word}\" is a garbage.");
                    }

                    break;
            }
        }

        if (device is null)
        {
            throw new UsageException("Not enough information: \"dev\" argument is required.");
        }

        if (local is null)
        {
            throw new UsageException("Not enough information: the address is required.");
        }

        IPPrefix address = Names.ParsePrefix(local);
        if (peer is IPPrefix p)
        {
            // As in iproute2, the prefix length given with the peer is the address's.
            address = new IPPrefix(address.Address, p.PrefixLength);
        }

        context.RequireLink(device);
        var spec = new AddressSpec(device, address)
        {
            Peer = peer?.Address,
            Label = label,
            Scope = scope,
            Metric = metric,
            Flags = flags,
        };
        if (valid is uint vl && vl != Forever)
        {
            spec.ValidLifetime = TimeSpan.FromSeconds(vl);
        }

        if (preferred is uint pl && pl != Forever)
        {
            spec.PreferredLifetime = TimeSpan.FromSeconds(pl);
        }

        if (broadcast == "+")
        {
            spec.AutoBroadcast = true;
        }
        else if (broadcast is not null && broadcast != "-")
        {
            spec.Broadcast = Names.ParseAddress("broadcast", broadcast);
        }

        apply(context.Links.Session.Addresses, spec);
        return 0;
    }

    private static int Flush(LnetContext context, Args args)
    {
        string? device = args.Subject("dev", word => new UsageException($"Error: \"{word}\" is a garbage."));

        if (device is null)
        {
            throw new UsageException("Flush requires arguments.");
        }

        context.RequireLink(device);
        context.Links.Session.Addresses.Flush(device, context.Options.Family);
        return 0;
    }

    private static int Show(LnetContext context, Args args)
    {
        string? device = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            device = word == "dev" ? args.Value(word) : device is null ? word : throw new UsageException($"Error: either \"dev\" is duplicate, or \"{word}\" is a garbage.");
        }

        IReadOnlyList<LinkInfo> links = context.Links.List();
        Dictionary<int, LinkInfo> byIndex = links.ToDictionary(l => l.Index);
        IEnumerable<LinkInfo> selected = links.OrderBy(l => l.Index);
        if (device is not null)
        {
            int index = context.RequireLink(device).Index;
            selected = selected.Where(l => l.Index == index);
        }

        ILookup<int, AddressInfo> addresses = context.Links.Session.Addresses.List(null, context.Options.Family).ToLookup(a => a.LinkIndex);
        if (context.Options.Family != AddressFamily.Unspecified)
        {
            // Like ip -4/-6 addr: links without an address of that family are left out.
            selected = selected.Where(l => addresses[l.Index].Any());
        }

        if (context.Options.Json)
        {
            var array = new JsonArray();
            foreach (LinkInfo link in selected)
            {
                JsonObject o = LinkView.Json(link, byIndex, linkMode: false, context.Options.Details, linkLayer: context.Options.Family == AddressFamily.Unspecified);
                o["addr_info"] = new JsonArray(addresses[link.Index].Select(a => (JsonNode)Json(a)).ToArray());
                if (context.Options.Statistics && link.Statistics is { } statistics)
                {
                    o["stats64"] = LinkView.StatisticsJson(statistics);
                }

                array.Add((JsonNode)o);
            }

            context.WriteJson(array);
        }
        else
        {
            var text = new StringBuilder();
            foreach (LinkInfo link in selected)
            {
                LinkView.Text(text, link, byIndex, linkCommand: false, context.Options.Details, linkLayer: context.Options.Family == AddressFamily.Unspecified);
                foreach (AddressInfo a in addresses[link.Index])
                {
                    Text(text, a);
                }

                if (context.Options.Statistics && link.Statistics is { } statistics)
                {
                    LinkView.StatisticsText(text, statistics);
                }
            }

            context.Out.Write(text.ToString());
        }

        return 0;
    }

    private static List<string> FlagWords(AddressInfo a)
    {
        var words = new List<string>();
        foreach ((AddressFlags flag, string name) in FlagNames)
        {
            if (flag == AddressFlags.Permanent)
            {
                if ((a.Flags & flag) == 0)
                {
                    words.Add("dynamic");
                }
            }
            else if ((a.Flags & flag) != 0)
            {
                words.Add(flag == AddressFlags.Secondary && a.Family == AddressFamily.InterNetworkV6 ? "temporary" : name);
            }
        }

        return words;
    }

    /// <summary>One <c>addr_info</c> entry of <c>ip -j addr show</c>.</summary>
    public static JsonObject Json(AddressInfo a)
    {
        var o = new JsonObject
        {
            ["family"] = Names.Family(a.Family),
            ["local"] = a.Address.Address.ToString(),
        };
        if (a.Peer is { } peer && !peer.Equals(a.Address.Address))
        {
            o["address"] = peer.ToString();
        }

        o["prefixlen"] = a.Address.PrefixLength;
        if (a.Broadcast is { } broadcast)
        {
            o["broadcast"] = broadcast.ToString();
        }

        if (a.Anycast is { } anycast)
        {
            o["anycast"] = anycast.ToString();
        }

        o["scope"] = Names.Scope(a.Scope);
        if (a.Metric is uint metric)
        {
            o["metric"] = metric;
        }

        foreach (string flag in FlagWords(a))
        {
            o[flag] = true;
        }

        if (a.Label is { } label)
        {
            o["label"] = label;
        }

        o["valid_life_time"] = Lifetime(a.ValidLifetime);
        o["preferred_life_time"] = Lifetime(a.PreferredLifetime);
        return o;
    }

    private static uint Lifetime(TimeSpan? t) => t is TimeSpan span ? (uint)Math.Max(0, Math.Floor(span.TotalSeconds)) : Forever;

    internal static void Text(StringBuilder text, AddressInfo a)
    {
        text.Append("    ").Append(Names.Family(a.Family)).Append(' ').Append(a.Address.Address.ToString());
        if (a.Peer is { } peer && !peer.Equals(a.Address.Address))
        {
            text.Append(" peer ").Append(peer.ToString());
        }

        text.Append(CultureInfo.InvariantCulture, $"/{a.Address.PrefixLength} ");
        if (a.Broadcast is { } broadcast)
        {
            text.Append("brd ").Append(broadcast.ToString()).Append(' ');
        }

        if (a.Anycast is { } anycast)
        {
            text.Append("any ").Append(anycast.ToString()).Append(' ');
        }

        text.Append("scope ").Append(Names.Scope(a.Scope)).Append(' ');
        if (a.Metric is uint metric)
        {
            text.Append(CultureInfo.InvariantCulture, $"metric {metric} ");
        }

        foreach (string flag in FlagWords(a))
        {
            text.Append(flag).Append(' ');
        }

        if (a.Label is { } label)
        {
            text.Append(label);
        }

        text.AppendLine();
        text.Append("       valid_lft ").Append(LifetimeText(a.ValidLifetime)).Append(" preferred_lft ").Append(LifetimeText(a.PreferredLifetime)).AppendLine();
    }

    private static string LifetimeText(TimeSpan? t) => t is null ? "forever" : $"{Lifetime(t)}sec";
}
