using LinuxNet.Route;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxNet.Samples.WireGuard.Config;

/// <summary>
/// A configuration file in wg-quick's shape: one <c>[Interface]</c> (PrivateKey, ListenPort, Address, MTU) and any
/// number of <c>[Peer]</c> sections (PublicKey, PresharedKey, AllowedIPs, Endpoint, PersistentKeepalive). Keys are
/// case-insensitive, <c>#</c> starts a comment, lists are comma-separated and may repeat. wg-quick's own keys that
/// this sample does not act on (DNS, Table, PreUp, PostUp, PreDown, PostDown, SaveConfig, FwMark) are accepted and
/// ignored; anything else is an error.
/// </summary>
public sealed class WireGuardConfig
{
    private static readonly HashSet<string> IgnoredInterfaceKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "DNS", "Table", "PreUp", "PostUp", "PreDown", "PostDown", "SaveConfig", "FwMark",
    };

    /// <summary>The interface section.</summary>
    public InterfaceConfig Interface { get; } = new();

    /// <summary>The peers, in file order.</summary>
    public List<PeerConfig> Peers { get; } = new();

    /// <summary>Reads and parses a file.</summary>
    public static WireGuardConfig Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses a configuration.</summary>
    /// <exception cref="FormatException">The text is not a valid configuration; the message names the line.</exception>
    public static WireGuardConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var config = new WireGuardConfig();
        PeerConfig? peer = null;
        bool inInterface = false;
        bool sawInterface = false;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            line = (hash >= 0 ? line[..hash] : line).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (line.StartsWith('['))
                {
                    if (line.Equals("[Interface]", StringComparison.OrdinalIgnoreCase))
                    {
                        if (sawInterface)
                        {
                            throw new FormatException("a second [Interface] section");
                        }

                        inInterface = sawInterface = true;
                        peer = null;
                    }
                    else if (line.Equals("[Peer]", StringComparison.OrdinalIgnoreCase))
                    {
                        inInterface = false;
                        peer = new PeerConfig();
                        config.Peers.Add(peer);
                    }
                    else
                    {
                        throw new FormatException($"unknown section {line}");
                    }

                    continue;
                }

                int equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new FormatException("expected Key = Value");
                }

                string key = line[..equals].Trim();
                string value = line[(equals + 1)..].Trim();
                if (inInterface)
                {
                    SetInterface(config.Interface, key, value);
                }
                else if (peer is not null)
                {
                    SetPeer(peer, key, value);
                }
                else
                {
                    throw new FormatException($"{key} outside a section");
                }
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {i + 1}: {e.Message}", e);
            }
        }

        if (config.Interface.PrivateKey.Length == 0)
        {
            throw new FormatException("the [Interface] section has no PrivateKey");
        }

        for (int p = 0; p < config.Peers.Count; p++)
        {
            if (config.Peers[p].PublicKey.Length == 0)
            {
                throw new FormatException($"peer {p + 1} has no PublicKey");
            }
        }

        return config;
    }

    /// <summary>Writes the configuration back; with <paramref name="wgQuickKeys"/> off, without Address and MTU (the shape <c>wg setconf</c> takes).</summary>
    public string Format(bool wgQuickKeys = true)
    {
        var text = new StringBuilder();
        text.Append("[Interface]\n");
        text.Append("PrivateKey = ").Append(WireGuardKey.Format(Interface.PrivateKey)).Append('\n');
        if (Interface.ListenPort is int port)
        {
            text.Append("ListenPort = ").Append(port.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (wgQuickKeys)
        {
            foreach (IPPrefix address in Interface.Addresses)
            {
                text.Append("Address = ").Append(address.ToString()).Append('\n');
            }

            if (Interface.Mtu is int mtu)
            {
                text.Append("MTU = ").Append(mtu.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        foreach (PeerConfig peer in Peers)
        {
            text.Append("\n[Peer]\n");
            text.Append("PublicKey = ").Append(WireGuardKey.Format(peer.PublicKey)).Append('\n');
            if (peer.PresharedKey is not null)
            {
                text.Append("PresharedKey = ").Append(WireGuardKey.Format(peer.PresharedKey)).Append('\n');
            }

            if (peer.AllowedIps.Count > 0)
            {
                text.Append("AllowedIPs = ").Append(string.Join(", ", peer.AllowedIps)).Append('\n');
            }

            if (peer.Endpoint is not null)
            {
                text.Append("Endpoint = ").Append(peer.Endpoint.ToString()).Append('\n');
            }

            if (peer.PersistentKeepalive is int keepalive)
            {
                text.Append("PersistentKeepalive = ").Append(keepalive.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void SetInterface(InterfaceConfig config, string key, string value)
    {
        switch (key.ToUpperInvariant())
        {
            case "PRIVATEKEY":
                config.PrivateKey = WireGuardKey.Parse(value);
                break;
            case "LISTENPORT":
                config.ListenPort = ParseInt(value, 0, 65535, key);
                break;
            case "ADDRESS":
                config.Addresses.AddRange(ParsePrefixes(value));
                break;
            case "MTU":
                config.Mtu = ParseInt(value, 576, 65535 - 80, key);
                break;
            default:
                if (!IgnoredInterfaceKeys.Contains(key))
                {
                    throw new FormatException($"unknown key {key} in [Interface]");
                }

                break;
        }
    }

    private static void SetPeer(PeerConfig peer, string key, string value)
    {
        switch (key.ToUpperInvariant())
        {
            case "PUBLICKEY":
                peer.PublicKey = WireGuardKey.Parse(value);
                break;
            case "PRESHAREDKEY":
                peer.PresharedKey = WireGuardKey.Parse(value);
                break;
            case "ALLOWEDIPS":
                peer.AllowedIps.AddRange(ParsePrefixes(value));
                break;
            case "ENDPOINT":
                peer.Endpoint = ParseEndpoint(value);
                break;
            case "PERSISTENTKEEPALIVE":
                peer.PersistentKeepalive = value.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : ParseInt(value, 0, 65535, key) is int s and > 0 ? s : null;
                break;
            default:
                throw new FormatException($"unknown key {key} in [Peer]");
        }
    }

    private static int ParseInt(string value, int min, int max, string key)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int result) || result < min || result > max)
        {
            throw new FormatException($"{key} = '{value}' is not a number from {min} to {max}");
        }

        return result;
    }

    private static IEnumerable<IPPrefix> ParsePrefixes(string value)
    {
        var prefixes = new List<IPPrefix>();
        foreach (string part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string text = part.Contains('/', StringComparison.Ordinal) ? part
                : part + (part.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
            if (!IPPrefix.TryParse(text, out IPPrefix prefix))
            {
                throw new FormatException($"'{part}' is not an address or prefix");
            }

            prefixes.Add(prefix);
        }

        return prefixes;
    }

    private static IPEndPoint ParseEndpoint(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new FormatException($"Endpoint '{value}' is not host:port");
        }

        string host = value[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException($"Endpoint '{value}': an IPv6 address goes in brackets");
        }

        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return new IPEndPoint(address, port);
        }

        try
        {
            IPAddress[] addresses = Dns.GetHostAddresses(host);
            return addresses.Length > 0 ? new IPEndPoint(addresses[0], port) : throw new FormatException($"Endpoint host '{host}' has no address");
        }
        catch (SocketException e)
        {
            throw new FormatException($"Endpoint host '{host}' does not resolve: {e.Message}", e);
        }
    }
}
