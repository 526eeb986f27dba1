using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinuxNet.Genl;
using LinuxNet.Genl.Mptcp;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet mptcp endpoint add|delete|show|flush</c> and <c>lnet mptcp limits set|show</c>, as <c>ip mptcp</c>.</summary>
internal static class MptcpCommand
{
    public const string Help = """
        Usage:	lnet mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ]
        				      [ port NR ] [ FLAG-LIST ]
        	lnet mptcp endpoint delete id ID
        	lnet mptcp endpoint show
        	lnet mptcp endpoint flush
        	lnet mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]
        	lnet mptcp limits show
        FLAG-LIST := [ FLAG-LIST ] FLAG
        FLAG  := [ signal | subflow | backup | fullmesh ]
        """;

    public static int Run(LnetContext context, Args args)
    {
        if (args.AtEnd)
        {
            return context.PrintHelp(Help);
        }

        string what = args.Next();
        if (Args.Matches(what, "help"))
        {
            return context.PrintHelp(Help);
        }

        using GenericNetlinkSession session = context.Namespace is { } ns ? GenericNetlinkSession.Open(ns) : GenericNetlinkSession.Open();
        MptcpManager mptcp = session.Mptcp;
        string verb = args.AtEnd ? "show" : args.Next();
        if (Args.Matches(what, "endpoint"))
        {
            return verb switch
            {
                _ when Args.Matches(verb, "add") => Add(mptcp, args),
                _ when Args.Matches(verb, "delete") => Delete(mptcp, args),
                _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") => Show(context, mptcp),
                _ when Args.Matches(verb, "flush") => Flush(mptcp),
                _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet mptcp help\".", 255),
            };
        }

        if (Args.Matches(what, "limits"))
        {
            return verb switch
            {
                _ when Args.Matches(verb, "set") => SetLimits(mptcp, args),
                _ when Args.Matches(verb, "show") => ShowLimits(context, mptcp),
                _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet mptcp help\".", 255),
            };
        }

        throw new UsageException($"Command \"{what}\" is unknown, try \"lnet mptcp help\".", 255);
    }

    /// <summary>One line of <c>ip mptcp endpoint show</c>: <c>ADDRESS [port P] id N FLAGS [dev DEV] </c> (each item ends in a space).</summary>
    public static string Line(MptcpEndpoint e, string? device)
    {
        var sb = new StringBuilder();
        sb.Append(e.Address).Append(' ');
        if (e.Port != 0)
        {
            sb.Append("port ").Append(e.Port).Append(' ');
        }

        sb.Append("id ").Append(e.Id).Append(' ');
        foreach (string flag in FlagNames(e.Flags))
        {
            sb.Append(flag).Append(' ');
        }

        if (device is not null)
        {
            sb.Append("dev ").Append(device).Append(' ');
        }

        return sb.ToString();
    }

    /// <summary>The endpoint as <c>ip -j mptcp endpoint show</c> prints it.</summary>
    public static JsonObject Json(MptcpEndpoint e, string? device)
    {
        var o = new JsonObject { ["address"] = e.Address.ToString() };
        if (e.Port != 0)
        {
            o["port"] = e.Port;
        }

        o["id"] = e.Id;
        foreach (string flag in FlagNames(e.Flags))
        {
            o[flag] = true;
        }

        if (device is not null)
        {
            o["dev"] = device;
        }

        return o;
    }

    private static IEnumerable<string> FlagNames(MptcpEndpointFlags flags)
    {
        if (flags.HasFlag(MptcpEndpointFlags.Signal))
        {
            yield return "signal";
        }

        if (flags.HasFlag(MptcpEndpointFlags.Subflow))
        {
            yield return "subflow";
        }

        if (flags.HasFlag(MptcpEndpointFlags.Backup))
        {
            yield return "backup";
        }

        if (flags.HasFlag(MptcpEndpointFlags.Fullmesh))
        {
            yield return "fullmesh";
        }

        if (flags.HasFlag(MptcpEndpointFlags.Implicit))
        {
            yield return "implicit";
        }
    }

    private static int Add(MptcpManager mptcp, Args args)
    {
        IPAddress? address = null;
        int? id = null;
        ushort port = 0;
        string? device = null;
        MptcpEndpointFlags flags = MptcpEndpointFlags.None;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "id":
                    string value = args.Value(word);
                    // ip takes id 0 as "let the kernel choose"; ids above 255 are refused as ip does.
                    id = uint.TryParse(value, out uint n) && n <= 255 ? (n == 0 ? null : (int)n) : throw new UsageException($"Error: argument \"{value}\" is wrong: invalid ID");
                    break;
                case "port":
                    string p = args.Value(word);
                    port = ushort.TryParse(p, out ushort parsed) ? parsed : throw new UsageException($"Error: argument \"{p}\" is wrong: invalid port");
                    break;
                case "dev":
                    device = args.Value(word);
                    break;
                case "signal": flags |= MptcpEndpointFlags.Signal; break;
                case "subflow": flags |= MptcpEndpointFlags.Subflow; break;
                case "backup": flags |= MptcpEndpointFlags.Backup; break;
                case "fullmesh": flags |= MptcpEndpointFlags.Fullmesh; break;
                default:
                    address = address is null && IPAddress.TryParse(word, out IPAddress? a) ? a : throw new UsageException($"Error: either \"local\" is duplicate, or \"{word}\" is a garbage.");
                    break;
            }
        }

        if (address is null)
        {
            throw new UsageException("Error: address is required.");
        }

        mptcp.AddEndpoint(new MptcpEndpointSpec(address) { Id = id, Port = port, Flags = flags, Link = device is null ? default(LinkReference?) : LinkReference.FromName(device) });
        return 0;
    }

    private static int Delete(MptcpManager mptcp, Args args)
    {
        if (!args.Take("id"))
        {
            throw new UsageException("Error: id is required.");
        }

        string value = args.Value("id");
        if (!uint.TryParse(value, out uint id) || id is 0 or > 255)
        {
            throw new UsageException($"Error: argument \"{value}\" is wrong: invalid ID");
        }

        mptcp.DeleteEndpoint((int)id);
        return 0;
    }

    private static int Show(LnetContext context, MptcpManager mptcp)
    {
        IReadOnlyList<MptcpEndpoint> endpoints = mptcp.ListEndpoints();
        string? Device(MptcpEndpoint e) => e.InterfaceIndex == 0 ? null : context.Links.TryGet(e.InterfaceIndex)?.Name ?? e.InterfaceIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(endpoints.Select(e => (JsonNode)Json(e, Device(e))).ToArray()));
            return 0;
        }

        foreach (MptcpEndpoint e in endpoints)
        {
            context.Out.WriteLine(Line(e, Device(e)));
        }

        return 0;
    }

    private static int Flush(MptcpManager mptcp)
    {
        mptcp.FlushEndpoints();
        return 0;
    }

    private static int SetLimits(MptcpManager mptcp, Args args)
    {
        uint? subflows = null, accepted = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "subflows": subflows = Args.ParseUInt(word, args.Value(word)); break;
                case "add_addr_accepted": accepted = Args.ParseUInt(word, args.Value(word)); break;
                default: throw new UsageException($"Error: either \"local\" is duplicate, or \"{word}\" is a garbage.");
            }
        }

        if (subflows is null && accepted is null)
        {
            throw new UsageException("Error: subflows or add_addr_accepted is required.");
        }

        mptcp.SetLimits(new MptcpLimits { Subflows = subflows, AcceptedAddresses = accepted });
        return 0;
    }

    private static int ShowLimits(LnetContext context, MptcpManager mptcp)
    {
        MptcpLimits limits = mptcp.GetLimits();
        if (context.Options.Json)
        {
            // iproute2 6.1 prints the limits as text even with -j; lnet prints the JSON object it means.
            context.WriteJson(new JsonObject { ["add_addr_accepted"] = limits.AcceptedAddresses, ["subflows"] = limits.Subflows });
            return 0;
        }

        context.Out.WriteLine($"add_addr_accepted {limits.AcceptedAddresses} subflows {limits.Subflows} ");
        return 0;
    }
}
