using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tc;

namespace LinuxNet.Samples.Lnet;

/// <summary>
/// <c>lnet tc [-s] [-j] [-p] qdisc|class|filter add|replace|change|del|show …</c> in <c>tc</c>'s syntax, printing what
/// <c>tc</c> prints (text, <c>-j</c> JSON, <c>-s</c> statistics) and exiting as <c>tc</c> does: 0, 1 for a bad
/// argument or device, 2 for a kernel refusal, 255 for an unknown command.
/// </summary>
internal static class TcCommand
{
    public const string Help = """
        Usage:	lnet tc [ OPTIONS ] OBJECT { COMMAND | help }
        where  OBJECT := { qdisc | class | filter }
               OPTIONS := { -s[tatistics] | -j[son] | -p[retty] }
        	lnet tc qdisc { add | replace | change | del } dev STRING [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ] QDISC_KIND [ OPTIONS ]
        	lnet tc qdisc show [ dev STRING ]
        	lnet tc class { add | replace | change | del } dev STRING parent CLASSID classid CLASSID htb rate RATE [ ceil RATE ] [ burst BYTES ] [ cburst BYTES ] [ prio N ] [ quantum BYTES ]
        	lnet tc class show dev STRING
        	lnet tc filter { add | replace | change | del | get } dev STRING [ parent CLASSID | root | ingress | egress ] [ protocol PROTO ] [ prio N ] [ handle H ] FILTER_KIND [ OPTIONS ]
        	lnet tc filter show dev STRING [ parent CLASSID | ingress | egress ]
        QDISC_KIND := { tbf | htb | pfifo | bfifo | ingress | clsact | netem | fq_codel }
        FILTER_KIND := { u32 [ match ip { src | dst } PREFIX | match ip { protocol | sport | dport } N MASK | match u32 VALUE MASK at OFF ]... [ classid CLASSID ] [ action mirred { egress | ingress } { redirect | mirror } dev STRING ]
                       | bpf [ da ] fd FD [ name NAME ] [ classid CLASSID ] }
        """;

    private static readonly string[] Verbs = ["add", "replace", "change", "delete", "show", "list", "get"];

    public static int Run(LnetContext context, Args args)
    {
        bool stats = context.Options.Statistics, json = context.Options.Json, pretty = context.Options.Pretty;
        while (!args.AtEnd && args.Peek!.StartsWith('-'))
        {
            string option = args.Next().TrimStart('-');
            if (Args.Matches(option, "statistics") || Args.Matches(option, "stats"))
            {
                stats = true;
            }
            else if (Args.Matches(option, "json"))
            {
                json = true;
            }
            else if (Args.Matches(option, "pretty"))
            {
                pretty = true;
            }
            else
            {
                throw new UsageException($"Option \"-{option}\" is unknown, try \"tc -help\".", 255);
            }
        }

        context.Options.Json = json;
        context.Options.Pretty = pretty;
        if (args.AtEnd)
        {
            return context.PrintHelp(Help);
        }

        string what = args.Next();
        string verb = args.AtEnd ? "show" : args.Next();
        if (Args.Matches(what, "help") || Args.Matches(verb, "help"))
        {
            return context.PrintHelp(Help);
        }

        string? full = Array.Find(Verbs, v => Args.Matches(verb, v)) ?? (verb == "del" ? "delete" : null);
        using RtnetlinkSession session = context.Namespace is { } ns ? RtnetlinkSession.Open(ns) : RtnetlinkSession.Open();
        var run = new TcRun(context, session, stats);
        try
        {
            return what switch
            {
                _ when Args.Matches(what, "qdisc") => full is null ? Unknown(verb, "qdisc") : run.Qdisc(full, args),
                _ when Args.Matches(what, "class") => full is null ? Unknown(verb, "class") : run.Class(full, args),
                _ when Args.Matches(what, "filter") => full is null ? Unknown(verb, "filter") : run.Filter(full, args),
                _ => throw new UsageException($"Object \"{what}\" is unknown, try \"tc help\".", 1),
            };
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV && e.Message.Contains("no link named", StringComparison.Ordinal))
        {
            context.Error.WriteLine($"Cannot find device \"{e.Operation[(e.Operation.IndexOf("(dev ", StringComparison.Ordinal) + 5)..^1]}\"");
            return 1;
        }
        catch (NetlinkException e) when (e.ExtendedAckMessage is null)
        {
            context.Error.WriteLine($"RTNETLINK answers: {Lnet.ErrnoText(e)}");
            context.Error.WriteLine("We have an error talking to the kernel");
            return 2;
        }
        catch (ArgumentException e)
        {
            // tc refuses bad options while parsing, before it talks to the kernel: exit 1.
            context.Error.WriteLine($"Error: {Lnet.ArgumentText(e)}");
            return 1;
        }
    }

    private static int Unknown(string verb, string what) => throw new UsageException($"Command \"{verb}\" is unknown, try \"tc {what} help\".", 255);

    /// <summary>One command: the session and the printing options.</summary>
    private sealed class TcRun(LnetContext context, RtnetlinkSession session, bool stats)
    {
        private readonly TrafficControlManager _tc = session.TrafficControl;
        private Dictionary<int, string>? _names;

        public int Qdisc(string verb, Args args)
        {
            string? dev = null;
            TcHandle parent = TcHandle.Root;
            TcHandle handle = TcHandle.None;
            string? kind = null;
            bool parentGiven = false;
            while (!args.AtEnd && kind is null)
            {
                string word = args.Next();
                switch (word)
                {
                    case "dev": dev = args.Value(word); break;
                    case "root": parent = TcHandle.Root; parentGiven = true; break;
                    case "parent": parent = Handle(args.Value(word), "parent"); parentGiven = true; break;
                    case "handle": handle = Handle(args.Value(word), "qdisc handle"); break;
                    case "ingress" or "clsact": kind = word; parent = TcHandle.Ingress; handle = TcHandle.IngressQdisc; break;
                    default: kind = word; break;
                }
            }

            if (verb is "show" or "list")
            {
                return ShowQdiscs(dev);
            }

            string device = dev ?? throw new UsageException("Cannot find device \"\"", 1);
            if (verb == "delete")
            {
                _tc.DeleteQdisc(device, parentGiven || kind is "ingress" or "clsact" ? parent : TcHandle.Root, handle, kind is "ingress" or "clsact" ? kind : null);
                return 0;
            }

            QdiscSpec spec = QdiscSpecOf(kind ?? throw new UsageException("Unknown qdisc \"\", hence option \"\" is unparsable", 1), device, parent, handle, args);
            switch (verb)
            {
                case "add": _tc.AddQdisc(spec); break;
                case "replace": _tc.ReplaceQdisc(spec); break;
                case "change": _tc.ChangeQdisc(spec); break;
                default: return Unknown(verb, "qdisc");
            }

            return 0;
        }

        public int Class(string verb, Args args)
        {
            string? dev = null;
            TcHandle parent = TcHandle.None, classId = TcHandle.None;
            string? kind = null;
            while (!args.AtEnd && kind is null)
            {
                string word = args.Next();
                switch (word)
                {
                    case "dev": dev = args.Value(word); break;
                    case "parent": parent = Handle(args.Value(word), "class ID"); break;
                    case "root": parent = TcHandle.Root; break;
                    case "classid": classId = Handle(args.Value(word), "class ID"); break;
                    default: kind = word; break;
                }
            }

            string device = dev ?? throw new UsageException("Cannot find device \"\"", 1);
            if (verb is "show" or "list")
            {
                return ShowClasses(device);
            }

            if (verb == "delete")
            {
                _tc.DeleteClass(device, classId);
                return 0;
            }

            if (kind != "htb")
            {
                throw new UsageException($"Unknown class \"{kind}\", only htb is supported by lnet.", 1);
            }

            HtbClassSpec spec = HtbClass(device, classId, parent, args);
            switch (verb)
            {
                case "add": _tc.AddClass(spec); break;
                case "replace": _tc.ReplaceClass(spec); break;
                case "change": _tc.ChangeClass(spec); break;
                default: return Unknown(verb, "class");
            }

            return 0;
        }

        public int Filter(string verb, Args args)
        {
            string? dev = null;
            TcHandle parent = TcHandle.None;
            TcProtocol protocol = verb is "add" or "replace" or "change" ? TcProtocol.All : TcProtocol.Unspecified;
            ushort prio = 0;
            uint handle = 0;
            string? kind = null, handleText = null;
            while (!args.AtEnd && kind is null)
            {
                string word = args.Next();
                switch (word)
                {
                    case "dev": dev = args.Value(word); break;
                    case "parent": parent = Handle(args.Value(word), "parent"); break;
                    case "root": parent = TcHandle.Root; break;
                    case "ingress": parent = TcHandle.IngressFilters; break;
                    case "egress": parent = TcHandle.EgressFilters; break;
                    case "protocol": protocol = Protocol(args.Value(word)); break;
                    case "prio" or "pref" or "priority": prio = (ushort)Args.ParseUInt(word, args.Value(word)); break;
                    case "handle": handleText = args.Value(word); break;
                    default: kind = word; break;
                }
            }

            if (handleText is not null)
            {
                handle = kind == "u32" ? U32Handle(handleText) : Args.ParseUInt("handle", handleText);
            }

            string device = dev ?? throw new UsageException("Cannot find device \"\"", 1);
            if (verb is "show" or "list")
            {
                return ShowFilters(device, parent);
            }

            if (verb == "delete")
            {
                _tc.DeleteFilter(device, parent, prio, protocol, handle, kind);
                return 0;
            }

            if (verb == "get")
            {
                TcFilterInfo? found = _tc.GetFilter(device, parent, prio, protocol, handle, kind ?? string.Empty);
                return found is null ? 2 : Print(FilterNodes([found], parent), FilterText([found], parent));
            }

            TcFilterSpec spec = kind switch
            {
                "u32" => U32(device, parent, protocol, prio, handle, args),
                "bpf" => Bpf(device, parent, protocol, prio, handle, args),
                _ => throw new UsageException($"Unknown filter \"{kind}\", hence option \"{args.Peek}\" is unparsable", 1),
            };
            switch (verb)
            {
                case "add": _tc.AddFilter(spec); break;
                case "replace": _tc.ReplaceFilter(spec); break;
                case "change": _tc.ChangeFilter(spec); break;
                default: return Unknown(verb, "filter");
            }

            return 0;
        }

        private static QdiscSpec QdiscSpecOf(string kind, string dev, TcHandle parent, TcHandle handle, Args args)
        {
            switch (kind)
            {
                case "ingress":
                    return new IngressQdiscSpec(dev);
                case "clsact":
                    return new ClsactQdiscSpec(dev);
                case "pfifo" or "bfifo":
                    uint? limit = null;
                    while (!args.AtEnd)
                    {
                        string word = args.Next();
                        limit = word == "limit" ? (kind == "bfifo" ? Size(args.Value(word), word) : Args.ParseUInt(word, args.Value(word))) : throw Unparsable(kind, word);
                    }

                    return kind == "pfifo" ? new PfifoQdiscSpec(dev) { Parent = parent, Handle = handle, Limit = limit } : new BfifoQdiscSpec(dev) { Parent = parent, Handle = handle, Limit = limit };
                case "htb":
                    uint defaultClass = 0, r2q = 10;
                    uint? direct = null;
                    while (!args.AtEnd)
                    {
                        string word = args.Next();
                        switch (word)
                        {
                            case "default": defaultClass = uint.Parse(args.Value(word), NumberStyles.HexNumber, CultureInfo.InvariantCulture); break;
                            case "r2q": r2q = Args.ParseUInt(word, args.Value(word)); break;
                            case "direct_qlen": direct = Args.ParseUInt(word, args.Value(word)); break;
                            default: throw Unparsable(kind, word);
                        }
                    }

                    return new HtbQdiscSpec(dev) { Parent = parent, Handle = handle, DefaultClass = defaultClass, RateToQuantum = r2q, DirectQueueLength = direct };
                case "tbf":
                    ulong rate = 0;
                    ulong? peak = null;
                    uint burst = 0;
                    uint? tbfLimit = null, mtu = null;
                    TimeSpan? latency = null;
                    while (!args.AtEnd)
                    {
                        string word = args.Next();
                        switch (word)
                        {
                            case "rate": rate = Rate(args.Value(word), word); break;
                            case "burst" or "buffer" or "maxburst": burst = Size(args.Value(word), word); break;
                            case "limit": tbfLimit = Size(args.Value(word), word); break;
                            case "latency": latency = TimeSpan.FromTicks(Time(args.Value(word), word) * 10L); break;
                            case "peakrate": peak = Rate(args.Value(word), word); break;
                            case "mtu" or "minburst": mtu = Size(args.Value(word), word); break;
                            default: throw Unparsable(kind, word);
                        }
                    }

                    return new TbfQdiscSpec(dev, rate, burst) { Parent = parent, Handle = handle, Limit = tbfLimit, Latency = latency, PeakRate = peak, Mtu = mtu };
                case "netem":
                    TimeSpan? delay = null, jitter = null;
                    double? loss = null;
                    uint netemLimit = 1000;
                    while (!args.AtEnd)
                    {
                        string word = args.Next();
                        switch (word)
                        {
                            case "delay" or "latency":
                                delay = TimeSpan.FromTicks(Time(args.Value(word), word) * 10L);
                                if (!args.AtEnd && char.IsDigit(args.Peek![0]))
                                {
                                    jitter = TimeSpan.FromTicks(Time(args.Next(), word) * 10L);
                                }

                                break;
                            case "loss":
                                string value = args.Value(word);
                                loss = double.Parse(value.TrimEnd('%'), CultureInfo.InvariantCulture);
                                break;
                            case "limit": netemLimit = Args.ParseUInt(word, args.Value(word)); break;
                            default: throw Unparsable(kind, word);
                        }
                    }

                    return new NetemQdiscSpec(dev) { Parent = parent, Handle = handle, Delay = delay, Jitter = jitter, LossPercent = loss, Limit = netemLimit };
                case "fq_codel":
                    uint? fqLimit = null, flows = null, quantum = null;
                    TimeSpan? target = null, interval = null;
                    bool? ecn = null;
                    while (!args.AtEnd)
                    {
                        string word = args.Next();
                        switch (word)
                        {
                            case "limit": fqLimit = Args.ParseUInt(word, args.Value(word)); break;
                            case "flows": flows = Args.ParseUInt(word, args.Value(word)); break;
                            case "quantum": quantum = Args.ParseUInt(word, args.Value(word)); break;
                            case "target": target = TimeSpan.FromTicks(Time(args.Value(word), word) * 10L); break;
                            case "interval": interval = TimeSpan.FromTicks(Time(args.Value(word), word) * 10L); break;
                            case "ecn": ecn = true; break;
                            case "noecn": ecn = false; break;
                            default: throw Unparsable(kind, word);
                        }
                    }

                    return new FqCodelQdiscSpec(dev) { Parent = parent, Handle = handle, Limit = fqLimit, Flows = flows, Quantum = quantum, Target = target, Interval = interval, Ecn = ecn };
                default:
                    throw new UsageException($"Unknown qdisc \"{kind}\", hence option \"{args.Peek}\" is unparsable", 1);
            }
        }

        private static HtbClassSpec HtbClass(string dev, TcHandle classId, TcHandle parent, Args args)
        {
            ulong rate = 0;
            ulong? ceil = null;
            uint? burst = null, cburst = null;
            uint prio = 0, quantum = 0;
            while (!args.AtEnd)
            {
                string word = args.Next();
                switch (word)
                {
                    case "rate": rate = Rate(args.Value(word), word); break;
                    case "ceil": ceil = Rate(args.Value(word), word); break;
                    case "burst" or "buffer" or "maxburst": burst = Size(args.Value(word), word); break;
                    case "cburst" or "cbuffer" or "cmaxburst": cburst = Size(args.Value(word), word); break;
                    case "prio": prio = Args.ParseUInt(word, args.Value(word)); break;
                    case "quantum": quantum = Args.ParseUInt(word, args.Value(word)); break;
                    default: throw Unparsable("htb", word);
                }
            }

            return new HtbClassSpec(dev, classId, rate) { Parent = parent == TcHandle.None ? new TcHandle(classId.Major, 0) : parent, Ceiling = ceil, Burst = burst, CeilingBurst = cburst, Priority = prio, Quantum = quantum };
        }

        private static U32FilterSpec U32(string dev, TcHandle parent, TcProtocol protocol, ushort prio, uint handle, Args args)
        {
            var matches = new List<U32Match>();
            var actions = new List<TcAction>();
            TcHandle? classId = null;
            while (!args.AtEnd)
            {
                string word = args.Next();
                switch (word)
                {
                    case "match":
                        matches.Add(Match(args));
                        break;
                    case "classid" or "flowid":
                        classId = Handle(args.Value(word), "class ID");
                        break;
                    case "action":
                        string actionKind = args.Next();
                        if (actionKind != "mirred")
                        {
                            throw new UsageException($"bad action type {actionKind}", 1);
                        }

                        MirredDirection direction = args.Next() switch { "egress" => MirredDirection.Egress, "ingress" => MirredDirection.Ingress, string w => throw Unparsable("mirred", w) };
                        MirredMode mode = args.Next() switch { "redirect" => MirredMode.Redirect, "mirror" => MirredMode.Mirror, string w => throw Unparsable("mirred", w) };
                        if (args.Next() != "dev")
                        {
                            throw new UsageException("mirred: expected \"dev\"", 1);
                        }

                        actions.Add(new MirredAction(direction, mode, args.Value("dev")));
                        break;
                    default:
                        throw Unparsable("u32", word);
                }
            }

            return new U32FilterSpec(dev, parent) { Protocol = protocol, Priority = prio, Handle = handle, Matches = matches, ClassId = classId, Actions = actions };
        }

        private static U32Match Match(Args args)
        {
            string layer = args.Next();
            if (layer == "u32")
            {
                uint value = Args.ParseUInt("match", args.Next()), mask = Args.ParseUInt("match", args.Next());
                int offset = args.Take("at") ? Args.ParseInt("at", args.Next()) : 0;
                return new U32Match(value & mask, mask, offset);
            }

            if (layer != "ip")
            {
                throw new UsageException($"Illegal \"match\" (only ip and u32 are supported by lnet): {layer}", 1);
            }

            string field = args.Next();
            switch (field)
            {
                case "src" or "dst":
                    string text = args.Next();
                    int slash = text.IndexOf('/', StringComparison.Ordinal);
                    IPAddress address = IPAddress.TryParse(slash < 0 ? text : text[..slash], out IPAddress? a) ? a : throw new UsageException($"Illegal \"match\": {text}", 1);
                    int length = slash < 0 ? 32 : Args.ParseInt("match", text[(slash + 1)..]);
                    return field == "src" ? U32Match.IPSource(address, length) : U32Match.IPDestination(address, length);
                case "protocol":
                    byte proto = (byte)Args.ParseUInt("match", args.Next());
                    _ = args.Next();
                    return U32Match.IPProtocol(proto);
                case "sport" or "dport":
                    ushort port = (ushort)Args.ParseUInt("match", args.Next());
                    _ = args.Next();
                    return field == "sport" ? U32Match.SourcePort(port) : U32Match.DestinationPort(port);
                default:
                    throw new UsageException($"Illegal \"match\": ip {field}", 1);
            }
        }

        private static BpfFilterSpec Bpf(string dev, TcHandle parent, TcProtocol protocol, ushort prio, uint handle, Args args)
        {
            int fd = -1;
            string? name = null;
            bool da = false;
            TcHandle? classId = null;
            while (!args.AtEnd)
            {
                string word = args.Next();
                switch (word)
                {
                    case "da" or "direct-action": da = true; break;
                    case "fd": fd = Args.ParseInt(word, args.Value(word)); break;
                    case "name" or "section": name = args.Value(word); break;
                    case "classid" or "flowid": classId = Handle(args.Value(word), "class ID"); break;
                    default: throw Unparsable("bpf", word);
                }
            }

            return new BpfFilterSpec(dev, parent, fd) { Protocol = protocol, Priority = prio, Handle = handle, Name = name, DirectAction = da, ClassId = classId };
        }

        private int ShowQdiscs(string? dev)
        {
            int filter = dev is null ? 0 : Index(dev);
            IReadOnlyList<QdiscInfo> qdiscs = dev is null ? _tc.ListQdiscs() : _tc.ListQdiscs(dev);
            var nodes = new JsonArray();
            var text = new StringBuilder();
            foreach (QdiscInfo q in qdiscs)
            {
                var o = new JsonObject { ["kind"] = q.Kind, ["handle"] = $"{q.Handle.Major:x}:" };
                text.Append("qdisc ").Append(q.Kind).Append(' ').Append($"{q.Handle.Major:x}: ");
                if (filter == 0)
                {
                    o["dev"] = Name(q.LinkIndex);
                    text.Append("dev ").Append(Name(q.LinkIndex)).Append(' ');
                }

                if (q.Parent == TcHandle.Root)
                {
                    o["root"] = true;
                    text.Append("root ");
                }
                else if (q.Parent != TcHandle.None)
                {
                    o["parent"] = q.Parent.ToString();
                    text.Append("parent ").Append(q.Parent).Append(' ');
                }

                if (q.RefCount != 1)
                {
                    o["refcnt"] = q.RefCount;
                    text.Append("refcnt ").Append(q.RefCount).Append(' ');
                }

                var options = new JsonObject();
                switch (q.Options)
                {
                    case TbfQdiscOptions tbf:
                        options["rate"] = tbf.Rate;
                        options["burst"] = tbf.Burst;
                        if (tbf.PeakRate != 0)
                        {
                            options["peakrate"] = tbf.PeakRate;
                            if (tbf.MinBurst != 0)
                            {
                                options["minburst"] = tbf.MinBurst;
                            }
                        }

                        if (tbf.Latency >= 0)
                        {
                            options["lat"] = (ulong)tbf.Latency;
                        }
                        else
                        {
                            options["limit"] = tbf.Limit;
                        }

                        break;
                    case HtbQdiscOptions htb:
                        options["r2q"] = htb.RateToQuantum;
                        options["default"] = htb.DefaultClass == 0 ? "0" : "0x" + htb.DefaultClass.ToString("x", CultureInfo.InvariantCulture);
                        options["direct_packets_stat"] = htb.DirectPackets;
                        if (htb.DirectQueueLength is uint qlen)
                        {
                            options["direct_qlen"] = qlen;
                        }

                        break;
                    case FifoQdiscOptions fifo:
                        options["limit"] = fifo.Limit;
                        break;
                }

                o["options"] = options;
                text.Append(q.Kind is "ingress" or "clsact" ? "---------------- " : q.Options?.ToString() ?? string.Empty).Append('\n');
                if (stats && q.Statistics is { } s)
                {
                    AddStats(o, s);
                    text.Append(StatsText(s, " ")).Append('\n');
                }

                nodes.Add((JsonNode)o);
            }

            return Print(nodes, text.ToString());
        }

        private int ShowClasses(string dev)
        {
            IReadOnlyList<TcClassInfo> classes = _tc.ListClasses(dev);
            var text = new StringBuilder();
            foreach (TcClassInfo c in classes)
            {
                text.Append(c.ToString()).Append('\n');
                if (stats && c.Statistics is { } s)
                {
                    text.Append(StatsText(s, " ")).Append('\n');
                }
            }

            // tc 6.1 prints htb classes as text even with -j; lnet does the same.
            context.Out.Write(text.ToString());
            return 0;
        }

        private int ShowFilters(string dev, TcHandle parent)
        {
            IReadOnlyList<TcFilterInfo> filters = _tc.ListFilters(dev, parent);
            return Print(FilterNodes(filters, parent), FilterText(filters, parent));
        }

        private JsonArray FilterNodes(IReadOnlyList<TcFilterInfo> filters, TcHandle parent)
        {
            var nodes = new JsonArray();
            foreach (TcFilterInfo f in filters)
            {
                var o = new JsonObject();
                if (parent == TcHandle.None || parent != f.Parent)
                {
                    if (f.Parent == TcHandle.Root)
                    {
                        o["root"] = true;
                    }
                    else
                    {
                        o["parent"] = ParentText(f.Parent);
                    }
                }

                if (f.Protocol != TcProtocol.Unspecified)
                {
                    o["protocol"] = ProtocolName(f.Protocol);
                }

                if (f.Priority != 0)
                {
                    o["pref"] = f.Priority;
                }

                o["kind"] = f.Kind;
                if (f.Chain is uint chain)
                {
                    o["chain"] = chain;
                }

                if (f.Options is U32FilterOptions u32)
                {
                    var options = new JsonObject();
                    if (f.Handle != 0)
                    {
                        options["fh"] = U32HandleText(f.Handle);
                    }

                    if ((f.Handle & 0xFFF) != 0)
                    {
                        options["order"] = f.Handle & 0xFFF;
                    }

                    if (u32.Divisor is uint divisor)
                    {
                        options["ht_divisor"] = divisor;
                    }
                    else if (u32.Hash is uint hash)
                    {
                        options["key_ht"] = (hash >> 20).ToString("x", CultureInfo.InvariantCulture);
                        options["bkt"] = ((hash >> 12) & 0xFF).ToString("x", CultureInfo.InvariantCulture);
                    }

                    if (u32.ClassId is { } classId)
                    {
                        options["flowid"] = classId.ToString();
                    }

                    if (u32.Flags is uint flags)
                    {
                        if ((flags & 4) != 0)
                        {
                            options["in_hw"] = true;
                        }
                        else if ((flags & 8) != 0)
                        {
                            options["not_in_hw"] = true;
                        }
                    }

                    o["options"] = options;
                    if (u32.Matches.Count != 0 || u32.Actions.Count != 0)
                    {
                        // tc repeats the "match" key once per key; a JsonObject cannot, so the test compares them as a list.
                        var matches = new JsonArray();
                        foreach (U32Match m in u32.Matches)
                        {
                            matches.Add((JsonNode)new JsonObject { ["value"] = m.Value.ToString("x", CultureInfo.InvariantCulture), ["mask"] = m.Mask.ToString("x", CultureInfo.InvariantCulture), ["offmask"] = string.Empty, ["off"] = m.Offset });
                        }

                        options["match"] = matches;
                        if (u32.Actions.Count != 0)
                        {
                            options["actions"] = Actions(u32.Actions);
                        }
                    }
                }
                else if (f.Options is BpfFilterOptions bpf)
                {
                    var options = new JsonObject { ["handle"] = "0x" + f.Handle.ToString("x", CultureInfo.InvariantCulture) };
                    if (bpf.Name is not null)
                    {
                        options["bpf_name"] = bpf.Name;
                    }

                    if (bpf.DirectAction)
                    {
                        options["direct-action"] = true;
                    }

                    if (bpf.Flags is uint flags && (flags & 8) != 0)
                    {
                        options["not_in_hw"] = true;
                    }

                    if (bpf.ProgramId is uint id)
                    {
                        options["prog"] = new JsonObject { ["id"] = id, ["tag"] = bpf.Tag };
                    }

                    o["options"] = options;
                }

                nodes.Add((JsonNode)o);
            }

            return nodes;
        }

        private JsonArray Actions(IReadOnlyList<TcActionInfo> actions)
        {
            var list = new JsonArray();
            foreach (TcActionInfo a in actions)
            {
                var o = new JsonObject { ["order"] = a.Order, ["kind"] = a.Kind };
                if (a.MirredMode is { } mode && a.MirredDirection is { } direction)
                {
                    o["mirred_action"] = mode == MirredMode.Redirect ? "redirect" : "mirror";
                    o["direction"] = direction == MirredDirection.Egress ? "egress" : "ingress";
                    o["to_dev"] = Name(a.TargetIndex);
                }

                o["control_action"] = new JsonObject { ["type"] = a.VerdictName };
                o["index"] = a.Index;
                o["ref"] = a.RefCount;
                o["bind"] = a.BindCount;
                if (stats)
                {
                    // tc prints these in seconds (USER_HZ ticks / 100) and only when set.
                    if (a.Installed != 0)
                    {
                        o["installed"] = a.Installed / 100;
                    }

                    if (a.LastUsed != 0)
                    {
                        o["last_used"] = a.LastUsed / 100;
                    }

                    if (a.FirstUsed != 0)
                    {
                        o["first_used"] = a.FirstUsed / 100;
                    }

                    if (a.Statistics is { } s)
                    {
                        var st = new JsonObject();
                        AddStats(st, s);
                        o["stats"] = st;
                    }
                }

                list.Add((JsonNode)o);
            }

            return list;
        }

        private string FilterText(IReadOnlyList<TcFilterInfo> filters, TcHandle parent)
        {
            var text = new StringBuilder();
            foreach (TcFilterInfo f in filters)
            {
                text.Append("filter ");
                if (parent == TcHandle.None || parent != f.Parent)
                {
                    text.Append(f.Parent == TcHandle.Root ? "root " : "parent " + ParentText(f.Parent) + " ");
                }

                if (f.Protocol != TcProtocol.Unspecified)
                {
                    text.Append("protocol ").Append(ProtocolName(f.Protocol)).Append(' ');
                }

                if (f.Priority != 0)
                {
                    text.Append("pref ").Append(f.Priority).Append(' ');
                }

                text.Append(f.Kind).Append(' ');
                if (f.Chain is uint chain)
                {
                    text.Append("chain ").Append(chain).Append(' ');
                }

                if (f.Options is U32FilterOptions u32)
                {
                    if (f.Handle != 0)
                    {
                        text.Append("fh ").Append(U32HandleText(f.Handle)).Append(' ');
                    }

                    if ((f.Handle & 0xFFF) != 0)
                    {
                        text.Append("order ").Append(f.Handle & 0xFFF).Append(' ');
                    }

                    if (u32.Divisor is uint divisor)
                    {
                        text.Append("ht divisor ").Append(divisor).Append(' ');
                    }
                    else if (u32.Hash is uint hash)
                    {
                        text.Append($"key ht {hash >> 20:x} bkt {(hash >> 12) & 0xFF:x} ");
                    }

                    if (u32.ClassId is { } classId)
                    {
                        text.Append(u32.IsTerminal ? "*" : string.Empty).Append("flowid ").Append(classId).Append(' ');
                    }
                    else if (u32.IsTerminal)
                    {
                        text.Append("terminal flowid ");
                    }

                    if (u32.Flags is uint flags && (flags & 8) != 0)
                    {
                        text.Append("not_in_hw ");
                    }

                    foreach (U32Match m in u32.Matches)
                    {
                        text.Append("\n  match ").Append(m.ToString());
                    }

                    foreach (TcActionInfo a in u32.Actions)
                    {
                        text.Append("\n\t").Append(a.ToString(Name(a.TargetIndex)).Replace("(Egress Redirect", "(Egress Redirect", StringComparison.Ordinal));
                        text.Append($"\n\tindex {a.Index} ref {a.RefCount} bind {a.BindCount}");
                        if (stats && a.Statistics is { } s)
                        {
                            if (a.Installed != 0)
                            {
                                text.Append($" installed {a.Installed / 100} sec");
                            }

                            if (a.LastUsed != 0)
                            {
                                text.Append($" used {a.LastUsed / 100} sec");
                            }

                            if (a.FirstUsed != 0)
                            {
                                text.Append($" firstused {a.FirstUsed / 100} sec");
                            }

                            text.Append("\n\tAction statistics:\n").Append(StatsText(s, "\t"));
                        }

                        text.Append('\n');
                    }
                }
                else if (f.Options is BpfFilterOptions bpf)
                {
                    text.Append("handle 0x").Append(f.Handle.ToString("x", CultureInfo.InvariantCulture)).Append(' ');
                    if (bpf.Name is not null)
                    {
                        text.Append(bpf.Name).Append(' ');
                    }

                    if (bpf.DirectAction)
                    {
                        text.Append("direct-action ");
                    }

                    if (bpf.Flags is uint flags && (flags & 8) != 0)
                    {
                        text.Append("not_in_hw ");
                    }

                    if (bpf.ProgramId is uint id)
                    {
                        text.Append("id ").Append(id).Append(" tag ").Append(bpf.Tag).Append(' ');
                    }
                }

                text.Append('\n');
            }

            return text.ToString();
        }

        private int Print(JsonArray nodes, string text)
        {
            if (context.Options.Json)
            {
                // tc repeats the "match" key once per u32 key; a JsonObject holds them as an array, written out here
                // as tc writes them (Utf8JsonWriter does not refuse a repeated name).
                using var buffer = new MemoryStream();
                using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = context.Options.Pretty, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    WriteTcJson(writer, nodes);
                }

                context.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                context.Out.Write(text);
            }

            return 0;
        }

        private static void WriteTcJson(System.Text.Json.Utf8JsonWriter writer, JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    writer.WriteStartObject();
                    foreach (KeyValuePair<string, JsonNode?> property in o)
                    {
                        if (property.Key == "match" && property.Value is JsonArray keys)
                        {
                            foreach (JsonNode? key in keys)
                            {
                                writer.WritePropertyName("match");
                                WriteTcJson(writer, key);
                            }

                            continue;
                        }

                        writer.WritePropertyName(property.Key);
                        WriteTcJson(writer, property.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonArray a:
                    writer.WriteStartArray();
                    foreach (JsonNode? item in a)
                    {
                        WriteTcJson(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                case null:
                    writer.WriteNullValue();
                    break;
                default:
                    node.WriteTo(writer);
                    break;
            }
        }

        private static void AddStats(JsonObject o, TcStatistics s)
        {
            o["bytes"] = s.Bytes;
            o["packets"] = s.Packets;
            o["drops"] = s.Drops;
            o["overlimits"] = s.Overlimits;
            o["requeues"] = s.Requeues;
            if (s.RateBytesPerSecond is ulong bps)
            {
                o["rate"] = bps;
                o["pps"] = s.RatePacketsPerSecond;
            }

            o["backlog"] = s.Backlog;
            o["qlen"] = s.QueueLength;
        }

        private static string StatsText(TcStatistics s, string prefix)
        {
            var text = new StringBuilder();
            text.Append(prefix).Append(s.ToString()).Append(' ');
            if (s.RateBytesPerSecond is ulong bps)
            {
                text.Append('\n').Append(prefix).Append("rate ").Append(TcUnits.FormatRate(bps)).Append(' ').Append(s.RatePacketsPerSecond).Append("pps ");
            }
            else
            {
                text.Append('\n');
            }

            text.Append(prefix).Append("backlog ").Append(TcUnits.FormatSize(s.Backlog)).Append(' ').Append(s.QueueLength).Append("p requeues ").Append(s.Requeues);
            return text.ToString();
        }

        private static string ParentText(TcHandle parent)
            => parent == TcHandle.IngressFilters ? "ingress" : parent == TcHandle.EgressFilters ? "egress" : parent.ToString();

        private static string ProtocolName(TcProtocol protocol) => protocol switch
        {
            TcProtocol.All => "all",
            TcProtocol.IPv4 => "ip",
            TcProtocol.IPv6 => "ipv6",
            TcProtocol.Arp => "arp",
            TcProtocol.Vlan => "802.1Q",
            _ => "0x" + ((ushort)protocol).ToString("x4", CultureInfo.InvariantCulture),
        };

        private static TcProtocol Protocol(string text) => text switch
        {
            "all" => TcProtocol.All,
            "ip" => TcProtocol.IPv4,
            "ipv6" => TcProtocol.IPv6,
            "arp" => TcProtocol.Arp,
            "802.1Q" or "802.1q" => TcProtocol.Vlan,
            _ => throw new UsageException($"Error: argument \"{text}\" is wrong: invalid protocol", 255),
        };

        // sprint_u32_handle: "HT:HASH:NODE" with the empty parts left out.
        private static string U32HandleText(uint handle)
        {
            var text = new StringBuilder();
            uint htid = handle >> 20, hash = (handle >> 12) & 0xFF, node = handle & 0xFFF;
            if (htid != 0)
            {
                text.Append(htid.ToString("x", CultureInfo.InvariantCulture)).Append(':');
            }

            if (hash != 0)
            {
                text.Append(hash.ToString("x", CultureInfo.InvariantCulture));
            }

            if (node != 0)
            {
                text.Append(':').Append(node.ToString("x", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        private static uint U32Handle(string text)
        {
            string[] parts = text.Split(':');
            if (parts.Length > 3)
            {
                throw new UsageException($"Illegal \"handle\": {text}", 1);
            }

            uint Part(int i) => i < parts.Length && parts[i].Length != 0 ? uint.Parse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0;
            return (Part(0) << 20) | (Part(1) << 12) | Part(2);
        }

        private static TcHandle Handle(string text, string what)
            => TcHandle.TryParse(text, out TcHandle handle) ? handle : throw new UsageException($"Error: argument \"{text}\" is wrong: invalid {what}", 255);

        private static ulong Rate(string text, string keyword)
        {
            try
            {
                return TcUnits.ParseRate(text);
            }
            catch (FormatException)
            {
                throw new UsageException($"Illegal \"{keyword}\"", 1);
            }
        }

        private static uint Size(string text, string keyword)
        {
            try
            {
                return TcUnits.ParseSize(text);
            }
            catch (FormatException)
            {
                throw new UsageException($"Illegal \"{keyword}\"", 1);
            }
        }

        private static uint Time(string text, string keyword)
        {
            try
            {
                return TcUnits.ParseTime(text);
            }
            catch (FormatException)
            {
                throw new UsageException($"Illegal \"{keyword}\"", 1);
            }
        }

        private static UsageException Unparsable(string kind, string word) => new($"{kind}: unknown parameter \"{word}\"", 1);

        private int Index(string dev) => context.Links.TryGet(dev)?.Index ?? throw new UsageException($"Cannot find device \"{dev}\"", 1);

        private string Name(int index)
        {
            _names ??= context.Links.List().ToDictionary(l => l.Index, l => l.Name);
            return _names.TryGetValue(index, out string? name) ? name : index.ToString(CultureInfo.InvariantCulture);
        }
    }
}
