using System.Text.Json;
using LinuxNet.Route;

namespace LinuxNet.Samples.Cni;

/// <summary>
/// The plugin's entry point: reads CNI_COMMAND and stdin, runs ADD, CHECK, DEL, VERSION (and STATUS and GC for
/// CNI 1.1.0), writes the result or the spec's error JSON to stdout and returns the exit code (0, or 1 on error).
/// </summary>
internal static class CniPlugin
{
    public static int Run(PluginEnvironment environment, Stream stdin, TextWriter stdout, TextWriter stderr)
    {
        string version = NetworkConfig.SupportedVersions[^1];
        try
        {
            byte[] input = ReadAll(stdin);
            if (environment.Command == "VERSION")
            {
                WriteVersion(stdout, input);
                return 0;
            }

            if (environment.Command is not ("ADD" or "CHECK" or "DEL" or "STATUS" or "GC"))
            {
                throw new CniException(CniErrorCode.InvalidEnvironment, $"unknown CNI_COMMAND: {environment.Command}");
            }

            NetworkConfig config = NetworkConfig.Parse(input);
            version = config.CniVersion;
            var bridge = new BridgeNetwork(config, environment);
            switch (environment.Command)
            {
                case "ADD":
                    CniResult result = bridge.Add();
                    using (var output = new MemoryStream())
                    {
                        result.Write(output, config.CniVersion);
                        stdout.Write(System.Text.Encoding.UTF8.GetString(output.ToArray()));
                    }

                    break;
                case "CHECK":
                    bridge.Check();
                    break;
                case "DEL":
                    bridge.Delete();
                    break;
                case "STATUS":
                    bridge.Status();
                    break;
                case "GC":
                    bridge.CollectGarbage();
                    break;
            }

            stdout.Flush();
            return 0;
        }
        catch (CniException e)
        {
            WriteError(stdout, version, e.Code, e.Message, e.Details);
        }
        catch (LinuxNetException e)
        {
            WriteError(stdout, version, CniErrorCode.Internal, e.Message, $"{e.Operation}: {e.ErrnoName}");
        }
        catch (ArgumentException e)
        {
            // LinuxNet refuses a bad name or value before any request: the configuration (or CNI_IFNAME) carried it.
            WriteError(stdout, version, CniErrorCode.InvalidNetworkConfig, e.Message, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(stdout, version, CniErrorCode.IOFailure, e.Message, null);
        }

        stderr.Flush();
        return 1;
    }

    private static byte[] ReadAll(Stream stdin)
    {
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void WriteVersion(TextWriter stdout, byte[] input)
    {
        string version = NetworkConfig.SupportedVersions[^1];
        try
        {
            using JsonDocument document = JsonDocument.Parse(input.Length == 0 ? "{}"u8.ToArray() : input);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cniVersion", out JsonElement v)
                && v.GetString() is { } asked && NetworkConfig.SupportedVersions.Contains(asked))
            {
                version = asked;
            }
        }
        catch (JsonException)
        {
            // VERSION needs no configuration: a runtime may send none, or one for another plugin.
        }

        Write(stdout, json =>
        {
            json.WriteString("cniVersion", version);
            json.WriteStartArray("supportedVersions");
            foreach (string supported in NetworkConfig.SupportedVersions)
            {
                json.WriteStringValue(supported);
            }

            json.WriteEndArray();
        });
    }

    private static void WriteError(TextWriter stdout, string version, uint code, string message, string? details) => Write(stdout, json =>
    {
        json.WriteString("cniVersion", version);
        json.WriteNumber("code", code);
        json.WriteString("msg", message);
        if (!string.IsNullOrEmpty(details))
        {
            json.WriteString("details", details);
        }
    });

    private static void Write(TextWriter stdout, Action<Utf8JsonWriter> body)
    {
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        stdout.Flush();
    }
}
