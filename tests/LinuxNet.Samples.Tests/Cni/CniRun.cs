using System.Text.Json;

namespace LinuxNet.Samples.Tests.Cni;

/// <summary>What one run of the driver or of a plugin printed, and its exit code.</summary>
internal readonly record struct CniRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout parsed as JSON (a result, or the spec's error object).</summary>
    public JsonElement Json
    {
        get
        {
            using JsonDocument document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
    }

    public override string ToString() => $"exit {ExitCode}; stdout: {Stdout.Trim()}; stderr: {Stderr.Trim()}";
}
