using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet link show|add|del|set</c>.</summary>
internal static class LinkCommand
{
    public const string Help = """
        Usage: lnet link add [link DEV] [name] NAME [mtu MTU] [address LLADDR] [txqueuelen N] type TYPE [ARGS]
               lnet link delete [dev] NAME
               lnet link set [dev] NAME [up|down] [mtu MTU] [address LLADDR] [name NEW] [alias TEXT]
                                        [master DEV|nomaster] [netns NAME|PID] [promisc on|off] [txqueuelen N]
               lnet link show [[dev] NAME] [up] [master DEV] [type TYPE]
               lnet link property { add | del } dev NAME altname ALTNAME [altname ALTNAME]...
        TYPE := { veth peer [name] PEER | bridge [stp_state 0|1] [forward_delay CS] [hello_time CS] [max_age CS]
                  [ageing_time CS] [priority N] [vlan_filtering 0|1] | macvlan|macvtap mode {private|vepa|bridge|passthru|source}
                  | ipvlan mode {l2|l3|l3s} | vlan id N [protocol 802.1Q|802.1ad] | vxlan id VNI [dstport PORT] [local ADDR]
                  [remote ADDR|group ADDR] [dev DEV] [ttl N] [[no]learning] | bond [mode MODE] | dummy | ifb | wireguard }
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
            _ when Args.Matches(verb, "add") => Add(context, args),
            _ when Args.Matches(verb, "delete") => Delete(context, args),
            _ when Args.Matches(verb, "set") || Args.Matches(verb, "change") => Set(context, args),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context, args),
            _ when Args.Matches(verb, "property") => Property(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet link help\"."),
        };
    }


    // ip link property add|del dev NAME altname A [altname B]…: one request per name here (ip sends them in one).
    private static int Property(LnetContext context, Args args)
    {
        string verb = args.Next();
        bool add = Args.Matches(verb, "add");
        if (!add && !Args.Matches(verb, "delete"))
        {
            throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet link help\".");
        }

        string? device = null;
        var names = new List<string>();
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "dev":
                    device = args.Value(word);
                    break;
                case "altname":
                    string name = args.Value(word);
                    if (name.Length == 0 || name.Length > 127 || name.Any(c => c == '/' || char.IsWhiteSpace(c)))
                    {
                        throw new UsageException($"Error: argument \"{name}\" is wrong: not a valid altname", 255);
                    }

                    names.Add(name);
                    break;
                default:
                    if (device is not null)
                    {
                        throw new UsageException($"Error: argument \"{word}\" is wrong: unknown property", 255);
                    }

                    device = word;
                    break;
            }
        }

        if (device is null)
        {
            throw new UsageException("Not enough information: \"dev\" argument is required.", 255);
        }

        int index = context.RequireLink(device).Index;
        foreach (string name in names)
        {
            if (add)
            {
                context.Links.AddAlternativeName(index, name);
            }
            else
            {
                context.Links.DeleteAlternativeName(index, name);
            }
        }

        return 0;
    }

    private static int Show(LnetContext context, Args args)
    {
        string? name = null;
        string? master = null;
        string? kind = null;
        bool upOnly = false;
        while (!args.AtEnd)
        {
            string word = args.Next();
            if (word == "dev")
            {
                name = args.Value("dev");
            }
            else if (word == "up")
            {
                upOnly = true;
            }
            else if (word == "master")
            {
                master = args.Value("master");
            }
            else if (word == "type")
            {
                kind = args.Value("type");
            }
            else if (name is null)
            {
                name = word;
            }
            else
            {
                throw new UsageException($"Error: either \"dev\" is duplicate, or \"{word}\" is a garbage.");
            }
        }

        IReadOnlyList<LinkInfo> all = context.Links.List();
        Dictionary<int, LinkInfo> byIndex = all.ToDictionary(l => l.Index);
        IEnumerable<LinkInfo> selected = all.OrderBy(l => l.Index);
        if (name is not null)
        {
            LinkInfo link = context.RequireLink(name);
            selected = selected.Where(l => l.Index == link.Index);
        }

        if (master is not null)
        {
            int masterIndex = context.RequireLink(master).Index;
            selected = selected.Where(l => l.MasterIndex == masterIndex);
        }

        if (kind is not null)
        {
            selected = selected.Where(l => l.Kind == kind);
        }

        if (upOnly)
        {
            selected = selected.Where(l => l.IsUp);
        }

        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(selected.Select(l =>
            {
                JsonObject o = LinkView.Json(l, byIndex, linkMode: true, context.Options.Details);
                if (context.Options.Statistics && l.Statistics is { } statistics)
                {
                    o["stats64"] = LinkView.StatisticsJson(statistics);
                }

                return (JsonNode)o;
            }).ToArray()));
        }
        else
        {
            var text = new StringBuilder();
            foreach (LinkInfo link in selected)
            {
                LinkView.Text(text, link, byIndex, linkCommand: true, context.Options.Details);
                if (context.Options.Statistics && link.Statistics is { } statistics)
                {
                    LinkView.StatisticsText(text, statistics);
                }
            }

            context.Out.Write(text.ToString());
        }

        return 0;
    }

    private static int Delete(LnetContext context, Args args)
    {
        string? name = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            if (word == "dev")
            {
                name = args.Value("dev");
            }
            else if (word == "type")
            {
                args.Value("type");
            }
            else if (name is null)
            {
                name = word;
            }
            else
            {
                throw new UsageException($"Error: either \"dev\" is duplicate, or \"{word}\" is a garbage.");
            }
        }

        if (name is null)
        {
            throw new UsageException("Not enough information: \"dev\" argument is required.");
        }

        LinkInfo link = context.RequireLink(name);
        context.Links.Delete(LinkReference.FromIndex(link.Index));
        return 0;
    }

    private static int Add(LnetContext context, Args args)
    {
        string? name = null;
        string? lower = null;
        int? mtu = null;
        int? txqlen = null;
        PhysicalAddress? mac = null;
        string? kind = null;
        while (!args.AtEnd && kind is null)
        {
            string word = args.Next();
            switch (word)
            {
                case "link":
                    lower = args.Value("link");
                    break;
                case "name" or "dev":
                    name = args.Value(word);
                    break;
                case "mtu":
                    mtu = Args.ParseInt("mtu", args.Value("mtu"));
                    break;
                case "txqueuelen" or "txqlen" or "qlen":
                    txqlen = Args.ParseInt("txqueuelen", args.Value(word));
                    break;
                case "address":
                    mac = Names.ParseMac("address", args.Value("address"));
                    break;
                case "type":
                    kind = args.Value("type");
                    break;
                default:
                    if (name is not null)
                    {
                        throw new UsageException($"Error: either \"dev\" is duplicate, or \"{word}\" is a garbage.");
                    }

                    name = word;
                    break;
            }
        }

        if (name is null)
        {
            throw new UsageException("Not enough information: \"dev\" argument is required.");
        }

        if (kind is null)
        {
            throw new UsageException("Not enough information: \"type\" argument is required.");
        }

        LinkReference Lower()
            => lower is null
                ? throw new UsageException($"Error: \"link\" is required for type {kind}.")
                : LinkReference.FromIndex(context.RequireLink(lower).Index);

        LinkSpec spec = kind switch
        {
            "veth" => Veth(name, args, mtu, mac, txqlen),
            "bridge" => Bridge(name, args, mtu, mac, txqlen),
            "macvlan" => new MacvlanLinkSpec(name, Lower()) { Mode = MacvlanMode(args), Mtu = mtu, Address = mac, TransmitQueueLength = txqlen },
            "macvtap" => new MacvtapLinkSpec(name, Lower()) { Mode = MacvlanMode(args), Mtu = mtu, Address = mac, TransmitQueueLength = txqlen },
            "ipvlan" => new IpvlanLinkSpec(name, Lower()) { Mode = IpvlanMode(args), Mtu = mtu, Address = mac, TransmitQueueLength = txqlen },
            "vlan" => Vlan(name, Lower(), args, mtu, mac, txqlen),
            "vxlan" => Vxlan(context, name, args, mtu, mac, txqlen),
            "bond" => new BondLinkSpec(name) { Mode = BondMode(args), Mtu = mtu, Address = mac, TransmitQueueLength = txqlen },
            "dummy" => new DummyLinkSpec(name) { Mtu = mtu, Address = mac, TransmitQueueLength = txqlen },
            "ifb" => new IfbLinkSpec(name) { Mtu = mtu, Address = mac, TransmitQueueLength = txqlen },
            "wireguard" => new WireguardLinkSpec(name) { Mtu = mtu, TransmitQueueLength = txqlen },
            // Like ip: a kind lnet has no options for is still asked of the kernel, which says whether it has a driver.
            _ => new GenericLinkSpec(name, kind) { Mtu = mtu, Address = mac, TransmitQueueLength = txqlen },
        };
        if (!args.AtEnd)
        {
            throw spec is GenericLinkSpec
                ? new UsageException($"Garbage instead of arguments \"{args.Peek} ...\". Try \"lnet link help\".", 1)
                : new UsageException($"Error: \"{args.Peek}\" is unknown for type {kind}, try \"lnet link help\".");
        }

        context.Links.Add(spec);
        return 0;
    }

    private static VethLinkSpec Veth(string name, Args args, int? mtu, PhysicalAddress? mac, int? txqlen)
    {
        string? peer = null;
        PhysicalAddress? peerMac = null;
        if (args.Take("peer"))
        {
            while (!args.AtEnd)
            {
                string word = args.Next();
                if (word == "name")
                {
                    peer = args.Value("name");
                }
                else if (word == "address")
                {
                    peerMac = Names.ParseMac("address", args.Value("address"));
                }
                else if (peer is null)
                {
                    peer = word;
                }
                else
                {
                    throw new UsageException($"Error: \"{word}\" is unknown for a veth peer.");
                }
            }
        }

        if (peer is null)
        {
            // iproute2 lets the kernel pick vethN; the library needs a name, so lnet asks for one.
            throw new UsageException("Error: lnet needs the peer's name: \"type veth peer name PEER\".");
        }

        return new VethLinkSpec(name, peer) { PeerAddress = peerMac, Mtu = mtu, Address = mac, TransmitQueueLength = txqlen };
    }

    private static BridgeLinkSpec Bridge(string name, Args args, int? mtu, PhysicalAddress? mac, int? txqlen)
    {
        bool? stp = null;
        bool? vlanFiltering = null;
        TimeSpan? forwardDelay = null, helloTime = null, maxAge = null, ageing = null;
        ushort? priority = null;
        static TimeSpan Cs(string keyword, string value) => TimeSpan.FromMilliseconds(10.0 * Args.ParseUInt(keyword, value));
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "stp_state": stp = Args.ParseUInt(word, args.Value(word)) != 0; break;
                case "vlan_filtering": vlanFiltering = Args.ParseUInt(word, args.Value(word)) != 0; break;
                case "forward_delay": forwardDelay = Cs(word, args.Value(word)); break;
                case "hello_time": helloTime = Cs(word, args.Value(word)); break;
                case "max_age": maxAge = Cs(word, args.Value(word)); break;
                case "ageing_time": ageing = Cs(word, args.Value(word)); break;
                case "priority": priority = checked((ushort)Args.ParseUInt(word, args.Value(word))); break;
                default: throw new UsageException($"Error: \"{word}\" is unknown for type bridge.");
            }
        }

        return new BridgeLinkSpec(name)
        {
            StpEnabled = stp,
            VlanFiltering = vlanFiltering,
            ForwardDelay = forwardDelay,
            HelloTime = helloTime,
            MaxAge = maxAge,
            AgeingTime = ageing,
            Priority = priority,
            Mtu = mtu,
            Address = mac,
            TransmitQueueLength = txqlen,
        };
    }

    private static MacvlanMode? MacvlanMode(Args args)
    {
        if (!args.Take("mode"))
        {
            return null;
        }

        string mode = args.Value("mode");
        return mode switch
        {
            "private" => Route.MacvlanMode.Private,
            "vepa" => Route.MacvlanMode.Vepa,
            "bridge" => Route.MacvlanMode.Bridge,
            "passthru" => Route.MacvlanMode.Passthru,
            "source" => Route.MacvlanMode.Source,
            _ => throw Args.Invalid("mode", mode),
        };
    }

    private static IpvlanMode IpvlanMode(Args args)
    {
        if (!args.Take("mode"))
        {
            return Route.IpvlanMode.L3;
        }

        string mode = args.Value("mode");
        return mode switch
        {
            "l2" => Route.IpvlanMode.L2,
            "l3" => Route.IpvlanMode.L3,
            "l3s" => Route.IpvlanMode.L3S,
            _ => throw Args.Invalid("mode", mode),
        };
    }

    private static BondMode? BondMode(Args args)
    {
        if (!args.Take("mode"))
        {
            return null;
        }

        string mode = args.Value("mode");
        foreach (BondMode m in Enum.GetValues<BondMode>())
        {
            if (LinkView.BondModeName(m) == mode || ((int)m).ToString(CultureInfo.InvariantCulture) == mode)
            {
                return m;
            }
        }

        throw Args.Invalid("mode", mode);
    }

    private static VlanLinkSpec Vlan(string name, LinkReference lower, Args args, int? mtu, PhysicalAddress? mac, int? txqlen)
    {
        ushort? id = null;
        ushort? protocol = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "id": id = checked((ushort)Args.ParseUInt("id", args.Value("id"))); break;
                case "protocol":
                    string p = args.Value("protocol");
                    protocol = p.ToLowerInvariant() switch
                    {
                        "802.1q" => VlanLinkSpec.Protocol8021Q,
                        "802.1ad" => VlanLinkSpec.Protocol8021AD,
                        _ => throw Args.Invalid("protocol", p),
                    };
                    break;
                default: throw new UsageException($"Error: \"{word}\" is unknown for type vlan.");
            }
        }

        return new VlanLinkSpec(name, lower, id ?? throw new UsageException("VLAN id must be specified"))
        {
            Protocol = protocol,
            Mtu = mtu,
            Address = mac,
            TransmitQueueLength = txqlen,
        };
    }

    private static VxlanLinkSpec Vxlan(LnetContext context, string name, Args args, int? mtu, PhysicalAddress? mac, int? txqlen)
    {
        uint? id = null;
        ushort? port = null;
        IPAddress? local = null, remote = null, group = null;
        LinkReference? underlay = null;
        byte? ttl = null;
        bool learning = true;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "id" or "vni": id = Args.ParseUInt(word, args.Value(word)); break;
                case "dstport": port = checked((ushort)Args.ParseUInt(word, args.Value(word))); break;
                case "local": local = Names.ParseAddress(word, args.Value(word)); break;
                case "remote": remote = Names.ParseAddress(word, args.Value(word)); break;
                case "group": group = Names.ParseAddress(word, args.Value(word)); break;
                case "dev": underlay = LinkReference.FromIndex(context.RequireLink(args.Value(word)).Index); break;
                case "ttl" or "hoplimit": ttl = checked((byte)Args.ParseUInt(word, args.Value(word))); break;
                case "learning": learning = true; break;
                case "nolearning": learning = false; break;
                default: throw new UsageException($"Error: \"{word}\" is unknown for type vxlan.");
            }
        }

        return new VxlanLinkSpec(name, id ?? throw new UsageException("vxlan: missing virtual network identifier"))
        {
            Port = port,
            Local = local,
            Remote = remote,
            Group = group,
            Underlay = underlay,
            Ttl = ttl,
            Learning = learning,
            Mtu = mtu,
            Address = mac,
            TransmitQueueLength = txqlen,
        };
    }

    private static int Set(LnetContext context, Args args)
    {
        string? name = null;
        if (args.Take("dev"))
        {
            name = args.Value("dev");
        }
        else if (!args.AtEnd)
        {
            name = args.Next();
        }

        if (name is null)
        {
            throw new UsageException("Not enough information: \"dev\" argument is required.");
        }

        // Resolve once: every change below refers to the index, so "name NEW" does not break the ones after it.
        var link = LinkReference.FromIndex(context.RequireLink(name).Index);
        var actions = new List<Action>();
        Action? moveAction = null;
        LinkManager links = context.Links;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "up":
                    actions.Add(() => links.SetUp(link));
                    break;
                case "down":
                    actions.Add(() => links.SetDown(link));
                    break;
                case "mtu":
                    int mtu = Args.ParseInt(word, args.Value(word));
                    actions.Add(() => links.SetMtu(link, mtu));
                    break;
                case "address":
                    PhysicalAddress mac = Names.ParseMac(word, args.Value(word));
                    actions.Add(() => links.SetAddress(link, mac));
                    break;
                case "name":
                    string newName = args.Value(word);
                    actions.Add(() => links.SetName(link, newName));
                    break;
                case "alias":
                    string alias = args.Value(word);
                    actions.Add(() => links.SetAlias(link, alias.Length == 0 ? null : alias));
                    break;
                case "master":
                    var master = LinkReference.FromIndex(context.RequireLink(args.Value(word)).Index);
                    actions.Add(() => links.SetMaster(link, master));
                    break;
                case "nomaster":
                    actions.Add(() => links.SetNoMaster(link));
                    break;
                case "txqueuelen" or "txqlen" or "qlen":
                    int qlen = Args.ParseInt(word, args.Value(word));
                    actions.Add(() => links.SetTransmitQueueLength(link, qlen));
                    break;
                case "mode":
                    string modeName = args.Value(word);
                    LinkMode mode = modeName switch
                    {
                        "default" => LinkMode.Default,
                        "dormant" => LinkMode.Dormant,
                        "testing" => LinkMode.Testing,
                        _ => throw new UsageException($"Error: argument \"{modeName}\" is wrong: Invalid link mode"),
                    };
                    actions.Add(() => links.SetMode(link, mode));
                    break;
                case "promisc":
                    string onOff = args.Value(word);
                    bool on = onOff switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new UsageException($"Error: argument of \"promisc\" must be \"on\" or \"off\", not \"{onOff}\"."),
                    };
                    actions.Add(() => links.SetPromiscuous(link, on));
                    break;
                case "netns":
                    string target = args.Value(word);
                    moveAction = () =>
                    {
                        if (int.TryParse(target, out int pid))
                        {
                            links.SetProcessNamespace(link, pid);
                            return;
                        }

                        NetNamespace ns;
                        try
                        {
                            ns = NetNamespace.Open(target);
                        }
                        catch (LinuxNetException e)
                        {
                            throw new UsageException($"Cannot open network namespace \"{target}\": {Lnet.ErrnoText(e)}");
                        }

                        using (ns)
                        {
                            links.SetNamespace(link, ns);
                        }
                    };
                    break;
                default:
                    throw new UsageException($"Error: either \"dev\" is duplicate, or \"{word}\" is a garbage.");
            }
        }

        foreach (Action action in actions)
        {
            action();
        }

        moveAction?.Invoke();
        return 0;
    }
}
