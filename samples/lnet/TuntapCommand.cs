using System.Globalization;
using System.Text.Json.Nodes;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet tuntap add|del|show</c>: persistent TUN/TAP devices.</summary>
internal static class TuntapCommand
{
    public const string Help = """
        Usage: lnet tuntap { add | del | show | list } [dev NAME] [mode { tun | tap }] [user USER] [group GROUP]
                           [multi_queue] [pi] [vnet_hdr]
        """;

    public static int Run(LnetContext context, Args args)
    {
        if (args.AtEnd)
        {
            return Show(context);
        }

        string verb = args.Next();
        return verb switch
        {
            _ when Args.Matches(verb, "add") => Modify(context, args, add: true),
            _ when Args.Matches(verb, "delete") => Modify(context, args, add: false),
            _ when Args.Matches(verb, "show") || Args.Matches(verb, "list") || verb == "lst" => Show(context),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet tuntap help\"."),
        };
    }


    private static int Modify(LnetContext context, Args args, bool add)
    {
        string? name = null;
        TunMode? mode = null;
        int? owner = null;
        int? group = null;
        bool multiQueue = false;
        bool pi = false;
        bool vnetHeader = false;
        while (!args.AtEnd)
        {
            string word = args.Next();
            switch (word)
            {
                case "dev":
                    name = args.Value(word);
                    break;
                case "mode":
                    string m = args.Value(word);
                    mode = m switch
                    {
                        "tun" => TunMode.Tun,
                        "tap" => TunMode.Tap,
                        _ => throw new UsageException($"Unknown tunnel mode \"{m}\""),
                    };
                    break;
                case "user":
                    owner = ResolveId(args.Value(word), "/etc/passwd", "user");
                    break;
                case "group":
                    group = ResolveId(args.Value(word), "/etc/group", "group");
                    break;
                case "multi_queue":
                    multiQueue = true;
                    break;
                case "one_queue":
                    break;
                case "pi":
                    pi = true;
                    break;
                case "vnet_hdr":
                    vnetHeader = true;
                    break;
                default:
                    name = name is null ? word : throw new UsageException($"Error: \"{word}\" is a garbage.");
                    break;
            }
        }

        if (mode is null)
        {
            throw new UsageException("You failed to specify a tunnel mode");
        }

        if (name is null)
        {
            throw new UsageException("Not enough information: \"dev\" argument is required.");
        }

        if (add)
        {
            var options = new TunDeviceOptions
            {
                Name = name,
                Mode = mode.Value,
                Persistent = true,
                Owner = owner,
                Group = group,
                MultiQueue = multiQueue,
                PacketInformation = pi,
                VirtioNetHeader = vnetHeader,
            };
            using TunDevice device = context.Namespace is { } ns ? TunDevice.Create(options, ns) : TunDevice.Create(options);
        }
        else
        {
            TunDevice.DeletePersistent(name, mode.Value, multiQueue, context.Namespace);
        }

        return 0;
    }

    private static int ResolveId(string text, string database, string what)
    {
        if (int.TryParse(text, out int id))
        {
            return id;
        }

        foreach (string line in File.ReadLines(database))
        {
            string[] fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == text && int.TryParse(fields[2], out id))
            {
                return id;
            }
        }

        throw new UsageException($"invalid {what} \"{text}\"");
    }

    private static int Show(LnetContext context)
    {
        IEnumerable<LinkInfo> devices = context.Links.List().Where(l => l.Kind == "tun").OrderBy(l => l.Index);
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(devices.Select(l => (JsonNode)new JsonObject
            {
                ["ifname"] = l.Name,
                ["flags"] = new JsonArray(l.HardwareType == 65534 ? "tun" : "tap"),
            }).ToArray()));
        }
        else
        {
            foreach (LinkInfo link in devices)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{link.Name}: {(link.HardwareType == 65534 ? "tun" : "tap")}"));
            }
        }

        return 0;
    }
}
