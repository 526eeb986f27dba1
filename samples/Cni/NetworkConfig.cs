using System.Text.Json;

namespace LinuxNet.Samples.Cni;

/// <summary>
/// The plugin's network configuration, in the shape of the reference <c>bridge</c> plugin's: <c>bridge</c>,
/// <c>isGateway</c>, <c>isDefaultGateway</c>, <c>mtu</c>, <c>promiscMode</c>, <c>ipMasq</c> (only <c>false</c>) and an
/// <c>ipam</c> section handed unchanged to the IPAM plugin it names.
/// </summary>
internal sealed class NetworkConfig
{
    public static readonly IReadOnlyList<string> SupportedVersions = ["1.0.0", "1.1.0"];

    public required string CniVersion { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public string Bridge { get; init; } = "cni0";

    public bool IsGateway { get; init; }

    public bool IsDefaultGateway { get; init; }

    public bool PromiscuousMode { get; init; }

    public int? Mtu { get; init; }

    public string? IpamType { get; init; }

    public CniResult? PreviousResult { get; init; }

    /// <summary>The bytes read from stdin: the IPAM plugin gets exactly these (spec: "Delegated plugins").</summary>
    public required byte[] Raw { get; init; }

    /// <summary>Parses stdin; a config the plugin cannot honour fails here, before anything is changed.</summary>
    public static NetworkConfig Parse(byte[] raw)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "error unmarshalling network config: " + e.Message);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CniException(CniErrorCode.DecodingFailure, "error unmarshalling network config: not a JSON object");
            }

            string version = String(root, "cniVersion") ?? throw Invalid("cniVersion is missing");
            if (!SupportedVersions.Contains(version))
            {
                throw new CniException(
                    CniErrorCode.IncompatibleVersion,
                    "incompatible CNI versions",
                    $"config is \"{version}\", plugin supports [{string.Join(' ', SupportedVersions.Select(v => "\"" + v + "\""))}]");
            }

            if (Bool(root, "ipMasq"))
            {
                throw new CniException(CniErrorCode.UnsupportedField, "ipMasq is not supported by this plugin (it adds no firewall rules)");
            }

            foreach (string field in (string[])["vlan", "hairpinMode", "macspoofchk", "enabledad"])
            {
                if (root.TryGetProperty(field, out JsonElement value) && value.ValueKind is not (JsonValueKind.False or JsonValueKind.Null) && !(value.ValueKind == JsonValueKind.Number && value.GetInt32() == 0))
                {
                    throw new CniException(CniErrorCode.UnsupportedField, $"{field} is not supported by this plugin");
                }
            }

            int? mtu = null;
            if (root.TryGetProperty("mtu", out JsonElement m) && m.ValueKind != JsonValueKind.Null)
            {
                if (m.ValueKind != JsonValueKind.Number || !m.TryGetInt32(out int value) || value < 0)
                {
                    throw Invalid("mtu must be a non-negative integer");
                }

                mtu = value == 0 ? null : value;
            }

            string? ipamType = null;
            if (root.TryGetProperty("ipam", out JsonElement ipam) && ipam.ValueKind == JsonValueKind.Object)
            {
                ipamType = String(ipam, "type");
            }

            return new NetworkConfig
            {
                CniVersion = version,
                Name = String(root, "name") is { Length: > 0 } name ? name : throw Invalid("name is missing"),
                Type = String(root, "type") ?? throw Invalid("type is missing"),
                Bridge = String(root, "bridge") is { Length: > 0 } bridge ? bridge : "cni0",
                IsGateway = Bool(root, "isGateway") || Bool(root, "isDefaultGateway"),
                IsDefaultGateway = Bool(root, "isDefaultGateway"),
                PromiscuousMode = Bool(root, "promiscMode"),
                Mtu = mtu,
                IpamType = ipamType,
                PreviousResult = root.TryGetProperty("prevResult", out JsonElement previous) && previous.ValueKind == JsonValueKind.Object
                    ? CniResult.Parse(previous, "prevResult")
                    : null,
                Raw = raw,
            };
        }
    }

    private static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);

    private static string? String(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{name} must be a string");
    }

    private static bool Bool(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out JsonElement value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw Invalid($"{name} must be true or false"),
        };
    }
}
