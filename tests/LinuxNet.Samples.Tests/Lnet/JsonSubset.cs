using System.Text.Json;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// Compares lnet's JSON with ip's: every field lnet prints must exist in ip's output with an equal value (objects
/// recursively; arrays element by element and of the same length). Returns the differences, empty when it holds.
/// </summary>
internal static class JsonSubset
{
    public static List<string> Differences(JsonElement lnet, JsonElement ip, string path = "$")
    {
        var differences = new List<string>();
        Compare(lnet, ip, path, differences);
        return differences;
    }

    private static void Compare(JsonElement lnet, JsonElement ip, string path, List<string> differences)
    {
        if (lnet.ValueKind != ip.ValueKind && !(IsBool(lnet) && IsBool(ip)))
        {
            differences.Add($"{path}: lnet {lnet.ValueKind} {lnet.GetRawText()} but ip {ip.ValueKind} {ip.GetRawText()}");
            return;
        }

        switch (lnet.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in lnet.EnumerateObject())
                {
                    if (!ip.TryGetProperty(property.Name, out JsonElement other))
                    {
                        differences.Add($"{path}.{property.Name}: printed by lnet ({property.Value.GetRawText()}) but not by ip");
                        continue;
                    }

                    Compare(property.Value, other, $"{path}.{property.Name}", differences);
                }

                break;
            case JsonValueKind.Array:
                int count = lnet.GetArrayLength();
                if (count != ip.GetArrayLength())
                {
                    differences.Add($"{path}: lnet has {count} elements, ip {ip.GetArrayLength()}: lnet {lnet.GetRawText()} ip {ip.GetRawText()}");
                    return;
                }

                for (int i = 0; i < count; i++)
                {
                    Compare(lnet[i], ip[i], $"{path}[{i}]", differences);
                }

                break;
            case JsonValueKind.Number:
                if (lnet.GetDecimal() != ip.GetDecimal())
                {
                    differences.Add($"{path}: lnet {lnet.GetRawText()} ip {ip.GetRawText()}");
                }

                break;
            case JsonValueKind.String:
                if (lnet.GetString() != ip.GetString())
                {
                    differences.Add($"{path}: lnet {lnet.GetRawText()} ip {ip.GetRawText()}");
                }

                break;
            case JsonValueKind.True or JsonValueKind.False:
                if (lnet.GetBoolean() != ip.GetBoolean())
                {
                    differences.Add($"{path}: lnet {lnet.GetRawText()} ip {ip.GetRawText()}");
                }

                break;
        }
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    /// <summary>The names of <paramref name="required"/> that an object lacks.</summary>
    public static IEnumerable<string> Missing(JsonElement element, params string[] required)
        => required.Where(name => !element.TryGetProperty(name, out _));
}
