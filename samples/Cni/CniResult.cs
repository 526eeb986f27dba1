using System.Net;
using System.Text.Json;
using LinuxNet.Route;

namespace LinuxNet.Samples.Cni;

/// <summary>A CNI result (spec: "Success"): interfaces, IPs, routes and DNS; read from an IPAM plugin or a prevResult, written to stdout.</summary>
internal sealed class CniResult
{
    public List<CniInterface> Interfaces { get; } = new();

    public List<CniIPConfig> IPs { get; } = new();

    public List<CniRoute> Routes { get; } = new();

    /// <summary>The <c>dns</c> object as the IPAM plugin returned it (the bridge plugin passes it through).</summary>
    public string? DnsJson { get; set; }

    public static CniResult Parse(byte[] json, string what)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return Parse(document.RootElement, what);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"failed to decode the {what}: {e.Message}");
        }
    }

    public static CniResult Parse(JsonElement root, string what)
    {
        var result = new CniResult();
        try
        {
            if (root.TryGetProperty("interfaces", out JsonElement interfaces) && interfaces.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement i in interfaces.EnumerateArray())
                {
                    result.Interfaces.Add(new CniInterface(i.GetProperty("name").GetString()!, Optional(i, "mac"), Optional(i, "sandbox")));
                }
            }

            if (root.TryGetProperty("ips", out JsonElement ips) && ips.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement ip in ips.EnumerateArray())
                {
                    result.IPs.Add(new CniIPConfig(
                        IPPrefix.Parse(ip.GetProperty("address").GetString()!),
                        Optional(ip, "gateway") is { } gateway ? IPAddress.Parse(gateway) : null,
                        ip.TryGetProperty("interface", out JsonElement index) && index.ValueKind == JsonValueKind.Number ? index.GetInt32() : null));
                }
            }

            if (root.TryGetProperty("routes", out JsonElement routes) && routes.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement route in routes.EnumerateArray())
                {
                    result.Routes.Add(new CniRoute(
                        IPPrefix.Parse(route.GetProperty("dst").GetString()!).Network,
                        Optional(route, "gw") is { } gw ? IPAddress.Parse(gw) : null));
                }
            }

            if (root.TryGetProperty("dns", out JsonElement dns) && dns.ValueKind == JsonValueKind.Object)
            {
                result.DnsJson = dns.GetRawText();
            }
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"failed to decode the {what}: {e.Message}");
        }

        return result;
    }

    public void Write(Stream output, string cniVersion)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("cniVersion", cniVersion);
        json.WriteStartArray("interfaces");
        foreach (CniInterface i in Interfaces)
        {
            json.WriteStartObject();
            json.WriteString("name", i.Name);
            if (i.Mac is not null)
            {
                json.WriteString("mac", i.Mac);
            }

            if (i.Sandbox is not null)
            {
                json.WriteString("sandbox", i.Sandbox);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("ips");
        foreach (CniIPConfig ip in IPs)
        {
            json.WriteStartObject();
            if (ip.Interface is int index)
            {
                json.WriteNumber("interface", index);
            }

            json.WriteString("address", ip.Address.ToString());
            if (ip.Gateway is not null)
            {
                json.WriteString("gateway", ip.Gateway.ToString());
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (Routes.Count > 0)
        {
            json.WriteStartArray("routes");
            foreach (CniRoute route in Routes)
            {
                json.WriteStartObject();
                json.WriteString("dst", route.Destination.ToString());
                if (route.Gateway is not null)
                {
                    json.WriteString("gw", route.Gateway.ToString());
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WritePropertyName("dns");
        json.WriteRawValue(DnsJson ?? "{}");
        json.WriteEndObject();
    }

    private static string? Optional(JsonElement o, string name)
        => o.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
