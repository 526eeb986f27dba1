using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet fdb add|append|del|replace|show</c>, in <c>bridge fdb</c>'s syntax, text, JSON and exit codes (255 for every error).</summary>
internal static class FdbCommand
{
    public const string Help = """
        Usage: lnet fdb { add | append | del | replace } LLADDR dev DEV
                      [ self ] [ master ] [ extern_learn ] [ sticky ] [ permanent | static | dynamic ]
                      [ dst IPADDR ] [ vlan VID ] [ port PORT ] [ vni VNI ] [ via DEV ] [ src_vni VNI ]
               lnet fdb [ show [ br BRDEV ] [ brport DEV ] [ dev DEV ] ]
        """;

    public const string BridgeHelp = """
        Usage: lnet bridge fdb …   (as lnet fdb)
               lnet bridge link [ show [ dev DEV ] [ master BRDEV ] ]
               lnet bridge link set dev DEV [ cost N ] [ priority N ] [ state STATE ] [ learning on|off ] [ flood on|off ]
                                    [ hairpin on|off ] [ guard on|off ] [ root_block on|off ] [ fastleave on|off ]
                                    [ mcast_flood on|off ] [ bcast_flood on|off ] [ isolated on|off ]
        """;

    /// <summary><c>lnet bridge fdb …</c> and <c>lnet bridge link …</c>, as the bridge tool.</summary>
    public static int RunBridge(LnetContext context, Args args)
    {
        string what = args.AtEnd ? "help" : args.Next();
        return what switch
        {
            "fdb" => Run(context, args),
            _ when Args.Matches(what, "link") => Guarded(context, () => Link(context, args)),
            _ when Args.Matches(what, "help") => context.PrintHelp(BridgeHelp),
            _ => throw new UsageException($"Object \"{what}\" is unknown, try \"bridge help\"."),
        };
    }

    public static int Run(LnetContext context, Args args) => Guarded(context, () => Fdb(context, args));

    private static int Fdb(LnetContext context, Args args)
    {
        if (args.AtEnd)
        {
            return Show(context, args);
        }

        string verb = args.Next();
        return verb switch
        {
            _ when Args.Matches(verb, "add") => Modify(context, args, (m, s) => m.Add(s)),
            _ when Args.Matches(verb, "append") => Modify(context, args, (m, s) => m.Append(s)),
            _ when Args.Matches(verb, "replace") => Modify(context, args, (m, s) => m.Replace(s)),
            _ when Args.Matches(verb, "delete") => Modify(context, args, (m, s) => m.Delete(s)),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"bridge fdb help\"."),
        };
    }

    /// <summary>Runs a bridge verb with bridge's error handling: every error exits 255.</summary>
    private static int Guarded(LnetContext context, Func<int> verb)
    {
        try
        {
            return verb();
        }
        catch (UsageException e) when (e.ExitCode != 255)
        {
            // bridge exits 255 for every error, ip's 1 ("Cannot find device") included.
            throw new UsageException(e.Message, 255);
        }
        catch (NetlinkException e)
        {
            context.Error.WriteLine(Lnet.KernelError(e));
            return 255;
        }
        catch (ArgumentException e)
        {
            context.Error.WriteLine($"Error: {Lnet.ArgumentText(e)}");
            return 255;
        }
    }

    private static int Link(LnetContext context, Args args)
    {
        string verb = args.AtEnd ? "show" : args.Next();
        if (Args.Matches(verb, "set"))
        {
            return LinkSet(context, args);
        }

        if (!(Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst"))
        {
            throw new UsageException($"Command \"{verb}\" is unknown, try \"bridge link help\".");
        }

        string? device = null;
        string? master = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "dev":
                    device = args.Value(word);
                    break;
                case "master":
                    master = args.Value(word);
                    break;
                default:
                    throw new UsageException($"Error: lnet bridge link show does not support \"{word}\" (only dev, master).");
            }
        }

        int deviceIndex = device is null ? 0 : context.RequireLink(device).Index;
        int masterIndex = master is null ? 0 : context.RequireLink(master).Index;
        IReadOnlyList<BridgePortInfo> ports = context.Links.Session.Fdb.ListPorts(masterIndex == 0 ? null : masterIndex)
            .Where(p => deviceIndex == 0 || p.Index == deviceIndex).ToList();
        Dictionary<int, string> names = context.Links.List().ToDictionary(l => l.Index, l => l.Name);
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(ports.Select(p => (JsonNode)PortJson(p, names, context.Options.Details)).ToArray()));
            return 0;
        }

        var text = new StringBuilder();
        foreach (BridgePortInfo port in ports)
        {
            PortText(text, port, names, context.Options.Details);
        }

        context.Out.Write(text.ToString());
        return 0;
    }

    private static bool OnOff(string word, string value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => throw new UsageException($"Error: argument of \"{word}\" must be \"on\" or \"off\", not \"{value}\""),
    };

    private static int LinkSet(LnetContext context, Args args)
    {
        string? device = null;
        var changes = new BridgePortChanges();
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "dev": device = args.Value(word); break;
                case "cost": changes.Cost = ParseNumber("cost", args.Value(word), uint.MaxValue); break;
                case "priority": changes.Priority = (ushort)ParseNumber("priority", args.Value(word), ushort.MaxValue); break;
                case "state":
                    string state = args.Value(word);
                    changes.State = state switch
                    {
                        "disabled" => BridgePortState.Disabled,
                        "listening" => BridgePortState.Listening,
                        "learning" => BridgePortState.Learning,
                        "forwarding" => BridgePortState.Forwarding,
                        "blocking" => BridgePortState.Blocking,
                        _ => (BridgePortState)ParseNumber("state", state, 4),
                    };
                    break;
                case "learning": changes.Learning = OnOff(word, args.Value(word)); break;
                case "flood": changes.UnicastFlood = OnOff(word, args.Value(word)); break;
                case "hairpin": changes.Hairpin = OnOff(word, args.Value(word)); break;
                case "guard": changes.Guard = OnOff(word, args.Value(word)); break;
                case "root_block": changes.RootBlock = OnOff(word, args.Value(word)); break;
                case "fastleave": changes.FastLeave = OnOff(word, args.Value(word)); break;
                case "mcast_flood": changes.MulticastFlood = OnOff(word, args.Value(word)); break;
                case "bcast_flood": changes.BroadcastFlood = OnOff(word, args.Value(word)); break;
                case "isolated": changes.Isolated = OnOff(word, args.Value(word)); break;
                default: throw new UsageException($"Error: lnet bridge link set does not support \"{word}\".");
            }
        }

        if (device is null)
        {
            throw new UsageException("Device is a required argument.");
        }

        context.RequireLink(device);
        context.Links.Session.Fdb.SetPort(device, changes);
        return 0;
    }

    /// <summary>One port of <c>bridge [-d] -j link show</c>, keys in bridge's order.</summary>
    public static JsonObject PortJson(BridgePortInfo p, Dictionary<int, string> names, bool details)
    {
        var o = new JsonObject { ["ifindex"] = p.Index };
        if (p.LinkIndex != 0)
        {
            o["link"] = Name(names, p.LinkIndex);
        }

        o["ifname"] = p.Name;
        o["flags"] = new JsonArray(Names.LinkFlagWords(p.Flags, masterDown: false).Select(w => (JsonNode)w!).ToArray());
        o["mtu"] = p.Mtu;
        if (p.MasterIndex != 0)
        {
            o["master"] = Name(names, p.MasterIndex);
        }

        if (p.State is { } state)
        {
            o["state"] = BridgePortInfo.StateName(state);
        }

        if (p.Priority is ushort priority)
        {
            o["priority"] = priority;
        }

        if (p.Cost is uint cost)
        {
            o["cost"] = cost;
        }

        if (details)
        {
            foreach ((string key, bool? value) in DetailSwitches(p))
            {
                if (key == "mcast_router")
                {
                    if (p.MulticastRouter is byte router)
                    {
                        o[key] = router;
                    }
                }
                else if (value is bool on)
                {
                    o[key] = on;
                }
            }
        }

        return o;
    }

    // bridge -d link's order; mcast_router is a number, the rest on/off.
    private static (string Key, bool? Value)[] DetailSwitches(BridgePortInfo p) =>
    [
        ("hairpin", p.Hairpin), ("guard", p.Guard), ("root_block", p.RootBlock), ("fastleave", p.FastLeave), ("learning", p.Learning),
        ("flood", p.UnicastFlood), ("mcast_flood", p.MulticastFlood), ("bcast_flood", p.BroadcastFlood), ("mcast_router", null),
        ("mcast_to_unicast", p.MulticastToUnicast), ("neigh_suppress", p.NeighbourSuppress), ("vlan_tunnel", p.VlanTunnel),
        ("isolated", p.Isolated), ("locked", p.Locked),
    ];

    /// <summary><c>bridge [-d] link show</c>'s lines: <c>6: d0@d1: &lt;FLAGS&gt; mtu 1500 master br0 state forwarding priority 32 cost 2 </c>.</summary>
    internal static void PortText(StringBuilder text, BridgePortInfo p, Dictionary<int, string> names, bool details)
    {
        text.Append(CultureInfo.InvariantCulture, $"{p.Index}: {p.Name}");
        if (p.LinkIndex != 0)
        {
            text.Append('@').Append(Name(names, p.LinkIndex));
        }

        text.Append(": <").Append(string.Join(",", Names.LinkFlagWords(p.Flags, masterDown: false))).Append(CultureInfo.InvariantCulture, $"> mtu {p.Mtu} ");
        if (p.MasterIndex != 0)
        {
            text.Append("master ").Append(Name(names, p.MasterIndex)).Append(' ');
        }

        if (p.State is { } state)
        {
            text.Append("state ").Append(BridgePortInfo.StateName(state)).Append(' ');
        }

        if (p.Priority is ushort priority)
        {
            text.Append(CultureInfo.InvariantCulture, $"priority {priority} ");
        }

        if (p.Cost is uint cost)
        {
            text.Append(CultureInfo.InvariantCulture, $"cost {cost} ");
        }

        text.Append('\n');
        if (details)
        {
            text.Append("    ");
            foreach ((string key, bool? value) in DetailSwitches(p))
            {
                if (key == "mcast_router")
                {
                    if (p.MulticastRouter is byte router)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"mcast_router {router} ");
                    }
                }
                else if (value is bool on)
                {
                    text.Append(key).Append(on ? " on " : " off ");
                }
            }

            text.Append('\n');
        }
    }

    private static uint ParseNumber(string word, string text, uint max)
        => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint value) && value <= max
            ? value
            : throw new UsageException($"Error: argument \"{text}\" is wrong: invalid {word}");

    private static int Modify(LnetContext context, Args args, Action<FdbManager, FdbSpec> apply)
    {
        string? mac = null;
        string? device = null;
        FdbFlags flags = FdbFlags.None;
        FdbEntryState state = FdbEntryState.Permanent;
        IPAddress? destination = null;
        ushort? vlan = null;
        ushort? port = null;
        uint? vni = null;
        uint? sourceVni = null;
        string? via = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "dev":
                    device = args.Value(word);
                    break;
                case "self":
                    flags |= FdbFlags.Self;
                    break;
                case "master":
                    flags |= FdbFlags.Master;
                    break;
                case "extern_learn":
                    flags |= FdbFlags.ExternallyLearned;
                    break;
                case "sticky":
                    flags |= FdbFlags.Sticky;
                    break;
                case "local" or "permanent":
                    state = FdbEntryState.Permanent;
                    break;
                case "temp" or "static":
                    state = FdbEntryState.Static;
                    break;
                case "dynamic":
                    state = FdbEntryState.Dynamic;
                    break;
                case "dst":
                    destination = Names.ParseAddress(word, args.Value(word));
                    break;
                case "vlan":
                    string v = args.Value(word);
                    vlan = ushort.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ushort id) && id is > 0 and < 4095
                        ? id
                        : throw new UsageException("Error: invalid vlan id.");
                    break;
                case "port" or "dst_port":
                    port = (ushort)ParseNumber("port", args.Value(word), ushort.MaxValue);
                    break;
                case "vni":
                    vni = ParseNumber("vni", args.Value(word), 0xFF_FFFF);
                    break;
                case "src_vni":
                    sourceVni = ParseNumber("src_vni", args.Value(word), 0xFF_FFFF);
                    break;
                case "via":
                    via = args.Value(word);
                    break;
                default:
                    if (mac is not null)
                    {
                        throw new UsageException($"Error: either \"{mac}\" is duplicate, or \"{word}\" is a garbage.");
                    }

                    mac = word == "to" ? args.Value(word) : word;
                    break;
            }
        }

        if (device is null || mac is null)
        {
            throw new UsageException("Device and address are required arguments.");
        }

        var address = System.Net.NetworkInformation.PhysicalAddress.TryParse(mac.Replace(':', '-'), out var parsed) && parsed.GetAddressBytes().Length == 6
            ? parsed
            : throw new UsageException($"Invalid mac address {mac}");
        context.RequireLink(device);
        if (via is not null)
        {
            context.RequireLink(via);
        }

        var spec = new FdbSpec(address, device)
        {
            Flags = flags,
            State = state,
            Destination = destination,
            Vlan = vlan,
            Port = port,
            Vni = vni,
            SourceVni = sourceVni,
            Via = via is null ? (LinkReference?)null : via,
        };
        apply(context.Links.Session.Fdb, spec);
        return 0;
    }

    private static int Show(LnetContext context, Args args)
    {
        string? bridge = null;
        string? device = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "br" or "brport" or "dev" when args.AtEnd:
                    throw new UsageException($"Command line is not complete. Try option \"help\"");
                case "br":
                    bridge = args.Value(word);
                    break;
                case "brport" or "dev":
                    device = args.Value(word);
                    break;
                default:
                    throw new UsageException($"Error: lnet fdb show does not support \"{word}\" (only br, brport, dev).");
            }
        }

        int bridgeIndex = bridge is null ? 0 : context.RequireLink(bridge).Index;
        int deviceIndex = device is null ? 0 : context.RequireLink(device).Index;
        IReadOnlyList<FdbInfo> entries = context.Links.Session.Fdb.List(deviceIndex == 0 ? null : deviceIndex, bridgeIndex == 0 ? null : bridgeIndex);
        Dictionary<int, string> names = context.Links.List().ToDictionary(l => l.Index, l => l.Name);
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(entries.Select(e => (JsonNode)Json(e, names, deviceIndex != 0)).ToArray()));
            return 0;
        }

        var text = new StringBuilder();
        foreach (FdbInfo entry in entries)
        {
            Text(text, entry, names, deviceIndex != 0);
        }

        context.Out.Write(text.ToString());
        return 0;
    }

    private static string Name(Dictionary<int, string> names, int index)
        => names.TryGetValue(index, out string? name) ? name : "if" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The words of bridge's flags array, in its order.</summary>
    private static List<string> FlagWords(FdbFlags flags)
    {
        var words = new List<string>();
        foreach ((FdbFlags flag, string word) in new[]
        {
            (FdbFlags.Self, "self"), (FdbFlags.Router, "router"), (FdbFlags.ExternallyLearned, "extern_learn"),
            (FdbFlags.Offloaded, "offload"), (FdbFlags.Master, "master"), (FdbFlags.Sticky, "sticky"),
        })
        {
            if ((flags & flag) != 0)
            {
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>One entry of <c>bridge -j fdb show</c>, keys in bridge's order (<c>ifname</c> left out under a <c>dev</c> filter, as bridge does).</summary>
    public static JsonObject Json(FdbInfo e, Dictionary<int, string> names, bool deviceFilter)
    {
        var o = new JsonObject { ["mac"] = Names.Mac(e.Address) };
        if (!deviceFilter && e.LinkIndex != 0)
        {
            o["ifname"] = Name(names, e.LinkIndex);
        }

        if (e.Vlan is ushort vlan)
        {
            o["vlan"] = vlan;
        }

        if (e.Destination is { } dst)
        {
            o["dst"] = dst.ToString();
        }

        if (e.Port is ushort port)
        {
            o["port"] = port;
        }

        if (e.Vni is uint vni)
        {
            o["vni"] = vni;
        }

        if (e.SourceVni is uint sourceVni)
        {
            o["src_vni"] = sourceVni;
        }

        if (e.ViaIndex != 0)
        {
            o["viaIf"] = Name(names, e.ViaIndex);
        }

        if (e.NextHopId is uint nhid)
        {
            o["nhid"] = nhid;
        }

        o["flags"] = new JsonArray(FlagWords(e.Flags).Select(w => (JsonNode)w!).ToArray());
        if (e.MasterIndex != 0)
        {
            o["master"] = Name(names, e.MasterIndex);
        }

        o["state"] = e.StateName;
        return o;
    }

    /// <summary>One line of <c>bridge fdb show</c>: every field followed by a space, then the state and a newline.</summary>
    internal static void Text(StringBuilder text, FdbInfo e, Dictionary<int, string> names, bool deviceFilter)
    {
        JsonObject o = Json(e, names, deviceFilter);
        text.Append(o["mac"]!.ToString()).Append(' ');
        foreach ((string key, string word) in new[] { ("ifname", "dev"), ("vlan", "vlan"), ("dst", "dst"), ("port", "port"), ("vni", "vni"), ("src_vni", "src_vni"), ("viaIf", "via"), ("nhid", "nhid") })
        {
            if (o[key] is { } value)
            {
                text.Append(word).Append(' ').Append(value.ToString()).Append(' ');
            }
        }

        foreach (string flag in FlagWords(e.Flags))
        {
            text.Append(flag).Append(' ');
        }

        if (o["master"] is { } master)
        {
            text.Append("master ").Append(master.ToString()).Append(' ');
        }

        text.Append(e.StateName).Append('\n');
    }
}
