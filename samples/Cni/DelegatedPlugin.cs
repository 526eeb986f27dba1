using System.Diagnostics;
using System.Text.Json;

namespace LinuxNet.Samples.Cni;

/// <summary>
/// Runs a delegated plugin (the IPAM plugin named in <c>ipam.type</c>), as the spec's "Delegated plugins" section says:
/// found on CNI_PATH, started with the same CNI_* environment (CNI_COMMAND included) and the same network
/// configuration on stdin. Its result is parsed; its error JSON is passed up unchanged.
/// </summary>
internal static class DelegatedPlugin
{
    /// <summary>Every delegated call ends within this time; a plugin that hangs is killed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static byte[] Run(string type, string command, PluginEnvironment environment, byte[] stdin)
    {
        string file = Find(type, environment.PluginPath);
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.Environment["CNI_COMMAND"] = command;

        using var process = Process.Start(start) ?? throw new CniException(CniErrorCode.Internal, $"could not start {file}");
        var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        using (Stream input = process.StandardInput.BaseStream)
        {
            input.Write(stdin);
        }

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new CniException(CniErrorCode.TryAgainLater, $"{type} {command} did not finish within {Timeout.TotalSeconds} s");
        }

        copy.Wait(Timeout);
        byte[] output = stdout.ToArray();
        if (process.ExitCode != 0)
        {
            throw Error(type, command, process.ExitCode, output);
        }

        return output;
    }

    public static string Find(string type, IReadOnlyList<string> path)
    {
        if (type.Length == 0 || type.Contains('/', StringComparison.Ordinal) || type is "." or "..")
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"invalid plugin type \"{type}\"");
        }

        foreach (string directory in path)
        {
            string candidate = Path.Combine(directory, type);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CniException(CniErrorCode.Internal, $"failed to find plugin \"{type}\" in path [{string.Join(' ', path)}]");
    }

    private static CniException Error(string type, string command, int exitCode, byte[] output)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(output);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out JsonElement code) && code.TryGetUInt32(out uint value))
            {
                string message = root.TryGetProperty("msg", out JsonElement msg) ? msg.GetString() ?? "" : "";
                string? details = root.TryGetProperty("details", out JsonElement d) ? d.GetString() : null;
                return new CniException(value, message, details);
            }
        }
        catch (JsonException)
        {
        }

        return new CniException(CniErrorCode.Internal, $"{type} {command} exited with {exitCode}", System.Text.Encoding.UTF8.GetString(output).Trim());
    }
}
