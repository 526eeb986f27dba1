using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet monitor [all|link|address|route|neigh|rule|nexthop|nsid]…</c>: prints rtnetlink events until Ctrl+C.</summary>
internal static class MonitorCommand
{
    public const string Help = """
        Usage: lnet monitor [ all | OBJECTS ]
        OBJECTS := { link | address | route | neigh | rule | nexthop | nsid }...
        Prints one line (or, with -j, one JSON object per line) per change until Ctrl+C.
        """;

    public static int Run(LnetContext context, Args args)
    {
        RtnetlinkEventKinds kinds = RtnetlinkEventKinds.None;
        while (!args.AtEnd)
        {
            string word = args.Next();
            kinds |= word switch
            {
                "all" => Everything,
                _ when Args.Matches(word, "link") => RtnetlinkEventKinds.Links,
                _ when Args.Matches(word, "address") => RtnetlinkEventKinds.Addresses,
                _ when Args.Matches(word, "route") => RtnetlinkEventKinds.Routes,
                _ when Args.Matches(word, "rule") && word.Length >= 2 => RtnetlinkEventKinds.Rules,
                _ when Args.Matches(word, "neighbour") || Args.Matches(word, "neighbor") => RtnetlinkEventKinds.Neighbours,
                _ when Args.Matches(word, "nexthop") && word.Length >= 2 => RtnetlinkEventKinds.Nexthops,
                "nsid" => RtnetlinkEventKinds.NamespaceIds,
                _ when Args.Matches(word, "help") => RtnetlinkEventKinds.None,
                _ => throw new UsageException($"Argument \"{word}\" is unknown, try \"lnet monitor help\"."),
            };
            if (Args.Matches(word, "help"))
            {
                return context.PrintHelp(Help);
            }
        }

        if (kinds == RtnetlinkEventKinds.None)
        {
            kinds = Everything;
        }

        MonitorAsync(context, kinds).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task MonitorAsync(LnetContext context, RtnetlinkEventKinds kinds)
    {
        using RtnetlinkMonitor monitor = context.Namespace is { } ns ? RtnetlinkMonitor.Open(ns, kinds) : RtnetlinkMonitor.Open(kinds);
        Dictionary<int, LinkInfo> links = context.Links.List().ToDictionary(l => l.Index);

        // As ip monitor: an NSID's /run/netns name is looked up when it is assigned and remembered for its deletion
        // (by then the namespace, and so the name's answer, may be gone).
        Dictionary<int, string> namespaceNames = (kinds & RtnetlinkEventKinds.NamespaceIds) != 0 ? NetnsCommand.NamesById(context.Links.Session.NamespaceIds) : [];
        try
        {
            await foreach (RtnetlinkEvent e in monitor.WithCancellation(context.CancellationToken).ConfigureAwait(false))
            {
                if (e.IsOverrun)
                {
                    context.Error.WriteLine("lnet: events were lost (receive buffer overrun); re-read the state");
                    links = context.Links.List().ToDictionary(l => l.Index);
                    continue;
                }

                bool deleted = e.Action == RtnetlinkEventAction.Deleted;
                if (e.Kind == RtnetlinkEventKind.Link)
                {
                    LinkInfo link = e.ToLink();
                    if (deleted)
                    {
                        links.Remove(link.Index);
                    }
                    else
                    {
                        links[link.Index] = link;
                    }

                    Print(context, deleted, LinkView.Json(link, links, linkMode: true, context.Options.Details), text => LinkView.Text(text, link, links, linkCommand: false, context.Options.Details, showQueue: false));
                    continue;
                }

                Dictionary<int, string> names = links.ToDictionary(p => p.Key, p => p.Value.Name);
                switch (e.Kind)
                {
                    case RtnetlinkEventKind.Address:
                        AddressInfo address = e.ToAddress();
                        string linkName = names.TryGetValue(address.LinkIndex, out string? n) ? n : "if" + address.LinkIndex.ToString(CultureInfo.InvariantCulture);
                        var json = new JsonObject
                        {
                            ["ifindex"] = address.LinkIndex,
                            ["ifname"] = linkName,
                            ["addr_info"] = new JsonArray(AddressCommand.Json(address)),
                        };
                        Print(context, deleted, json, text =>
                        {
                            text.Append(CultureInfo.InvariantCulture, $"{address.LinkIndex}: {linkName}");
                            var line = new StringBuilder();
                            AddressCommand.Text(line, address);
                            text.Append(line.ToString());
                        });
                        break;
                    case RtnetlinkEventKind.Route:
                        RouteInfo route = e.ToRoute();
                        Print(context, deleted, RouteCommand.Json(route, names, tableFilter: false, context.Options.Details), text => RouteCommand.Text(text, route, names, tableFilter: false, context.Options.Details));
                        break;
                    case RtnetlinkEventKind.Neighbour:
                        NeighbourInfo neighbour = e.ToNeighbour();
                        Print(context, deleted, NeighbourCommand.Json(neighbour, names, showDevice: true), text => text.AppendLine(NeighbourCommand.Text(neighbour, names, showDevice: true, deleted: false)));
                        break;
                    case RtnetlinkEventKind.Rule:
                        RuleInfo rule = e.ToRule();
                        Print(context, deleted, RuleCommand.Json(rule), text => text.AppendLine(RuleCommand.Text(rule, deleted: false)));
                        break;
                    case RtnetlinkEventKind.Nexthop:
                        NexthopInfo nexthop = e.ToNexthop();
                        Print(context, deleted, NexthopCommand.Json(nexthop, names), text => text.AppendLine(NexthopCommand.Text(nexthop, names)));
                        break;
                    case RtnetlinkEventKind.NamespaceId:
                        int id = e.GetNamespaceId();
                        string? nsName;
                        if (deleted)
                        {
                            namespaceNames.Remove(id, out nsName);
                        }
                        else if (!namespaceNames.TryGetValue(id, out nsName) && NetnsCommand.NamesById(context.Links.Session.NamespaceIds).TryGetValue(id, out nsName))
                        {
                            namespaceNames[id] = nsName;
                        }

                        JsonObject nsid = NetnsCommand.Json(id, nsName);
                        Print(context, deleted, nsid, text => text.AppendLine(NetnsCommand.Text(nsid)));
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: a normal end.
        }
    }

    // What ip monitor prints without an object: everything, nexthop objects and NSIDs included.
    private const RtnetlinkEventKinds Everything = RtnetlinkEventKinds.All | RtnetlinkEventKinds.Nexthops | RtnetlinkEventKinds.NamespaceIds;

    private static void Print(LnetContext context, bool deleted, JsonObject json, Action<StringBuilder> text)
    {
        if (context.Options.Json)
        {
            if (deleted)
            {
                // As ip: "deleted" comes first.
                var withFlag = new JsonObject { ["deleted"] = true };
                foreach ((string key, JsonNode? value) in json.ToList())
                {
                    json.Remove(key);
                    withFlag[key] = value;
                }

                json = withFlag;
            }

            context.Out.WriteLine(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            var builder = new StringBuilder();
            if (deleted)
            {
                builder.Append("Deleted ");
            }

            text(builder);
            context.Out.Write(builder.ToString());
        }

        context.Out.Flush();
    }
}
