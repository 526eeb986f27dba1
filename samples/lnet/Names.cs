using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary>The names iproute2 prints for kernel numbers (flags, scopes, protocols, tables, types), and their parsers.</summary>
public static class Names
{
    private static readonly (LinkFlags Flag, string Name)[] FlagNames =
    [
        (LinkFlags.Loopback, "LOOPBACK"), (LinkFlags.Broadcast, "BROADCAST"), (LinkFlags.PointToPoint, "POINTOPOINT"),
        (LinkFlags.Multicast, "MULTICAST"), (LinkFlags.NoArp, "NOARP"), (LinkFlags.AllMulticast, "ALLMULTI"),
        (LinkFlags.Promiscuous, "PROMISC"), (LinkFlags.Master, "MASTER"), (LinkFlags.Slave, "SLAVE"), (LinkFlags.Debug, "DEBUG"),
        (LinkFlags.Dynamic, "DYNAMIC"), (LinkFlags.AutoMedia, "AUTOMEDIA"), (LinkFlags.PortSelect, "PORTSEL"),
        (LinkFlags.NoTrailers, "NOTRAILERS"), (LinkFlags.Up, "UP"), (LinkFlags.LowerUp, "LOWER_UP"), (LinkFlags.Dormant, "DORMANT"),
        (LinkFlags.Echo, "ECHO"),
    ];

    /// <summary>The flag words of <c>ip link</c> (<c>NO-CARRIER</c>, <c>BROADCAST</c>, …, <c>M-DOWN</c>), in iproute2's order.</summary>
    /// <param name="flags">The link's flags.</param>
    /// <param name="masterDown">The link's parent (<c>@link</c>) is down: iproute2 adds <c>M-DOWN</c>.</param>
    public static List<string> LinkFlagWords(LinkFlags flags, bool masterDown)
    {
        var words = new List<string>();
        if ((flags & LinkFlags.Up) != 0 && (flags & LinkFlags.Running) == 0)
        {
            words.Add("NO-CARRIER");
        }

        flags &= ~LinkFlags.Running;
        foreach ((LinkFlags flag, string name) in FlagNames)
        {
            if ((flags & flag) != 0)
            {
                words.Add(name);
                flags &= ~flag;
            }
        }

        if (flags != 0)
        {
            words.Add(((uint)flags).ToString("x", CultureInfo.InvariantCulture));
        }

        if (masterDown)
        {
            words.Add("M-DOWN");
        }

        return words;
    }

    /// <summary>The operational state as <c>ip</c> prints it.</summary>
    public static string OperState(OperationalState state) => state switch
    {
        OperationalState.Unknown => "UNKNOWN",
        OperationalState.NotPresent => "NOTPRESENT",
        OperationalState.Down => "DOWN",
        OperationalState.LowerLayerDown => "LOWERLAYERDOWN",
        OperationalState.Testing => "TESTING",
        OperationalState.Dormant => "DORMANT",
        OperationalState.Up => "UP",
        _ => ((int)state).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The link mode as iproute2 prints it (<c>DEFAULT</c>, <c>DORMANT</c>, <c>TESTING</c>).</summary>
    public static string LinkModeName(LinkMode mode) => mode switch
    {
        LinkMode.Default => "DEFAULT",
        LinkMode.Dormant => "DORMANT",
        LinkMode.Testing => "TESTING",
        _ => ((int)mode).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The link type (<c>link/ether</c>, <c>link/none</c>, …) of an ARP hardware type, as iproute2's <c>ll_type_n2a</c>.</summary>
    public static string LinkType(ushort hardwareType) => hardwareType switch
    {
        0 => "netrom",
        1 => "ether",
        24 => "ieee1394",
        32 => "infiniband",
        256 => "slip",
        512 => "ppp",
        768 => "ipip",
        769 => "tunnel6",
        772 => "loopback",
        776 => "sit",
        778 => "gre",
        801 => "ieee802.11",
        823 => "gre6",
        824 => "netlink",
        65534 => "none",
        65535 => "void",
        _ => $"[{hardwareType}]",
    };

    /// <summary>A MAC address as <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public static string Mac(PhysicalAddress address)
        => string.Join(":", address.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public static PhysicalAddress ParseMac(string keyword, string text)
    {
        string[] parts = text.Split(':');
        var bytes = new byte[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is < 1 or > 2 || !byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new UsageException($"Error: \"{text}\" is not a valid link-layer address (\"{keyword}\").", 1);
            }
        }

        return new PhysicalAddress(bytes);
    }

    /// <summary>The scope name (<c>global</c>, <c>link</c>, <c>host</c>, …), as iproute2's <c>rtnl_rtscope_n2a</c>.</summary>
    public static string Scope(RouteScope scope) => (byte)scope switch
    {
        0 => "global",
        200 => "site",
        253 => "link",
        254 => "host",
        255 => "nowhere",
        var n => n.ToString(CultureInfo.InvariantCulture),
    };

    public static RouteScope ParseScope(string text) => text switch
    {
        "global" or "universe" => RouteScope.Universe,
        "site" => RouteScope.Site,
        "link" => RouteScope.Link,
        "host" => RouteScope.Host,
        "nowhere" => RouteScope.Nowhere,
        _ when byte.TryParse(text, out byte n) => (RouteScope)n,
        _ => throw Args.Invalid("scope", text),
    };

    private static readonly Dictionary<byte, string> Protocols = new()
    {
        [0] = "unspec", [1] = "redirect", [2] = "kernel", [3] = "boot", [4] = "static", [8] = "gated", [9] = "ra", [10] = "mrt",
        [11] = "zebra", [12] = "bird", [13] = "dnrouted", [14] = "xorp", [15] = "ntk", [16] = "dhcp", [18] = "keepalived",
        [42] = "babel", [99] = "openr", [186] = "bgp", [187] = "isis", [188] = "ospf", [189] = "rip", [192] = "eigrp",
    };

    /// <summary>The route protocol name, as <c>rtnl_rtprot_n2a</c>.</summary>
    public static string Protocol(RouteProtocol protocol)
        => Protocols.TryGetValue((byte)protocol, out string? name) ? name : ((byte)protocol).ToString(CultureInfo.InvariantCulture);

    public static RouteProtocol ParseProtocol(string text)
    {
        foreach ((byte number, string name) in Protocols)
        {
            if (name == text)
            {
                return (RouteProtocol)number;
            }
        }

        return byte.TryParse(text, out byte n) ? (RouteProtocol)n : throw Args.Invalid("protocol", text);
    }

    /// <summary>The table name (<c>main</c>, <c>local</c>, <c>default</c>, or the number), as <c>rtnl_rttable_n2a</c>.</summary>
    public static string Table(uint table) => table switch
    {
        RouteTables.Main => "main",
        RouteTables.Local => "local",
        RouteTables.Default => "default",
        0 => "unspec",
        _ => table.ToString(CultureInfo.InvariantCulture),
    };

    public static uint ParseTable(string text) => text switch
    {
        "main" => RouteTables.Main,
        "local" => RouteTables.Local,
        "default" => RouteTables.Default,
        _ => uint.TryParse(text, out uint n) && n != 0 ? n : throw Args.Invalid("table", text),
    };

    private static readonly string[] TypeNames =
        ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"];

    /// <summary>The route type name (<c>unicast</c>, <c>blackhole</c>, …), as <c>rtnl_rtntype_n2a</c>.</summary>
    public static string RouteTypeName(RouteType type)
        => (int)type < TypeNames.Length ? TypeNames[(int)type] : ((int)type).ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a route type keyword, or returns <see langword="null"/> when the word is not one.</summary>
    public static RouteType? TryParseRouteType(string text)
    {
        int i = Array.IndexOf(TypeNames, text);
        return i > 0 && i <= 10 ? (RouteType)i : null;
    }

    /// <summary>IPv6 router preference (<c>pref</c>) name.</summary>
    public static string Preference(byte value) => value switch
    {
        0 => "medium",
        1 => "high",
        3 => "low",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Route flags words (<c>dead</c>, <c>onlink</c>, <c>linkdown</c>, …), as iproute2's <c>print_rt_flags</c>.</summary>
    public static List<string> RouteFlagWords(RouteNextHopFlags flags)
    {
        var words = new List<string>();
        void Add(RouteNextHopFlags flag, string name)
        {
            if ((flags & flag) != 0)
            {
                words.Add(name);
            }
        }

        Add(RouteNextHopFlags.Dead, "dead");
        Add(RouteNextHopFlags.OnLink, "onlink");
        Add(RouteNextHopFlags.Pervasive, "pervasive");
        Add(RouteNextHopFlags.Offload, "offload");
        Add((RouteNextHopFlags)64, "trap");
        Add(RouteNextHopFlags.LinkDown, "linkdown");
        Add(RouteNextHopFlags.Unresolved, "unresolved");
        return words;
    }

    /// <summary>The family word (<c>inet</c>, <c>inet6</c>).</summary>
    public static string Family(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => "inet",
        AddressFamily.InterNetworkV6 => "inet6",
        _ => family.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses an address; throws a usage error like iproute2's.</summary>
    public static IPAddress ParseAddress(string keyword, string text)
        => IPAddress.TryParse(text, out IPAddress? address) && !text.Contains('/')
            ? address
            : throw new UsageException($"Error: inet address is expected rather than \"{text}\".", 1);

    /// <summary>Parses <c>ADDRESS[/LEN]</c>; a missing length means a host prefix.</summary>
    public static IPPrefix ParsePrefix(string text)
    {
        if (text.Contains('/'))
        {
            return IPPrefix.TryParse(text, out IPPrefix prefix)
                ? prefix
                : throw new UsageException($"Error: any valid prefix is expected rather than \"{text}\".", 1);
        }

        IPAddress address = IPAddress.TryParse(text, out IPAddress? a)
            ? a
            : throw new UsageException($"Error: any valid prefix is expected rather than \"{text}\".", 1);
        return new IPPrefix(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>A route destination as iproute2 prints it: <c>default</c>, a bare host address, or <c>PREFIX/LEN</c>.</summary>
    public static string Destination(IPPrefix prefix)
    {
        int hostLength = prefix.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return prefix.PrefixLength == 0 && prefix.Address.Equals(prefix.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any)
            ? "default"
            : prefix.PrefixLength == hostLength ? prefix.Address.ToString() : $"{prefix.Address}/{prefix.PrefixLength}";
    }
}
