using System.Net.Sockets;
using System.Text;
using LinuxNet.Route;

namespace LinuxNet.Samples;

/// <summary>Formats links and addresses the way <c>ip addr show</c> prints them.</summary>
public static class IpText
{
    /// <summary>The <c>&lt;LOOPBACK,UP,LOWER_UP&gt;</c> list of a link's flags, in iproute2's order.</summary>
    public static string Flags(LinkInfo link)
    {
        var names = new List<string>();
        LinkFlags f = link.Flags;
        void Add(LinkFlags flag, string name)
        {
            if ((f & flag) != 0)
            {
                names.Add(name);
            }
        }

        Add(LinkFlags.Loopback, "LOOPBACK");
        Add(LinkFlags.Broadcast, "BROADCAST");
        Add(LinkFlags.PointToPoint, "POINTOPOINT");
        Add(LinkFlags.Multicast, "MULTICAST");
        Add(LinkFlags.NoArp, "NOARP");
        Add(LinkFlags.Promiscuous, "PROMISC");
        if ((f & LinkFlags.Up) != 0 && (f & LinkFlags.LowerUp) == 0)
        {
            names.Add("NO-CARRIER");
        }

        Add(LinkFlags.Up, "UP");
        Add(LinkFlags.LowerUp, "LOWER_UP");
        return string.Join(",", names);
    }

    /// <summary>The operational state as <c>ip</c> prints it (UP, DOWN, UNKNOWN, …).</summary>
    public static string State(LinkInfo link) => link.OperationalState.ToString().ToUpperInvariant() switch
    {
        "LOWERLAYERDOWN" => "LOWERLAYERDOWN",
        "NOTPRESENT" => "NOTPRESENT",
        var s => s,
    };

    /// <summary>Formats links with their addresses like <c>ip addr show</c>.</summary>
    public static string Addresses(IReadOnlyList<LinkInfo> links, IReadOnlyList<AddressInfo> addresses)
    {
        var text = new StringBuilder();
        foreach (LinkInfo link in links.OrderBy(l => l.Index))
        {
            string name = link.ParentIndex is int parent && parent != link.Index && link.Kind is not null
                ? $"{link.Name}@{(links.FirstOrDefault(l => l.Index == parent)?.Name ?? "if" + parent)}"
                : link.Name;
            text.Append($"{link.Index}: {name}: <{Flags(link)}> mtu {link.Mtu} state {State(link)}");
            if (link.Kind is not null)
            {
                text.Append($" ({link.Kind})");
            }

            text.AppendLine();
            string kind = link.Flags.HasFlag(LinkFlags.Loopback) ? "loopback" : link.HardwareType == 65534 ? "none" : "ether";
            if (link.Address is { } mac && mac.GetAddressBytes().Length > 0)
            {
                text.AppendLine($"    link/{kind} {Mac(mac)} brd {(link.BroadcastAddress is { } b ? Mac(b) : "ff:ff:ff:ff:ff:ff")}");
            }
            else
            {
                text.AppendLine($"    link/{kind}");
            }

            foreach (AddressInfo address in addresses.Where(a => a.LinkIndex == link.Index).OrderBy(a => a.Family == AddressFamily.InterNetworkV6))
            {
                string family = address.Family == AddressFamily.InterNetwork ? "inet" : "inet6";
                string peer = address.Peer is { } p && !p.Equals(address.Address.Address) ? $" peer {p}" : string.Empty;
                string brd = address.Broadcast is { } bc ? $" brd {bc}" : string.Empty;
                string scope = address.Scope.ToString().ToLowerInvariant() switch { "universe" => "global", var s => s };
                string flags = address.IsTentative ? " tentative" : string.Empty;
                text.AppendLine($"    {family} {address.Address}{peer}{brd} scope {scope}{flags} {(address.Family == AddressFamily.InterNetwork ? address.Label ?? link.Name : string.Empty)}".TrimEnd());
            }
        }

        return text.ToString();
    }

    /// <summary>A MAC address as <c>02:00:00:00:00:01</c>.</summary>
    public static string Mac(System.Net.NetworkInformation.PhysicalAddress address)
        => string.Join(":", address.GetAddressBytes().Select(b => b.ToString("x2")));
}
