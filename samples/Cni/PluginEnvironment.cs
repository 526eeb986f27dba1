namespace LinuxNet.Samples.Cni;

/// <summary>The CNI_* variables the runtime passes to a plugin (spec: "Parameters").</summary>
internal sealed class PluginEnvironment
{
    public required string Command { get; init; }

    public string? ContainerId { get; init; }

    public string? NetworkNamespace { get; init; }

    public string? InterfaceName { get; init; }

    public string? Args { get; init; }

    public IReadOnlyList<string> PluginPath { get; init; } = Array.Empty<string>();

    public static PluginEnvironment FromProcess() => new()
    {
        Command = Environment.GetEnvironmentVariable("CNI_COMMAND") ?? "",
        ContainerId = Empty(Environment.GetEnvironmentVariable("CNI_CONTAINERID")),
        NetworkNamespace = Empty(Environment.GetEnvironmentVariable("CNI_NETNS")),
        InterfaceName = Empty(Environment.GetEnvironmentVariable("CNI_IFNAME")),
        Args = Empty(Environment.GetEnvironmentVariable("CNI_ARGS")),
        PluginPath = (Environment.GetEnvironmentVariable("CNI_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries),
    };

    /// <summary>Fails with code 4 unless every named variable is set, listing the missing ones as libcni's skel does.</summary>
    public void Require(bool containerId, bool netns, bool ifName, bool path)
    {
        var missing = new List<string>();
        if (containerId && ContainerId is null)
        {
            missing.Add("CNI_CONTAINERID");
        }

        if (netns && NetworkNamespace is null)
        {
            missing.Add("CNI_NETNS");
        }

        if (ifName && InterfaceName is null)
        {
            missing.Add("CNI_IFNAME");
        }

        if (path && PluginPath.Count == 0)
        {
            missing.Add("CNI_PATH");
        }

        if (missing.Count > 0)
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"required env variables [{string.Join(' ', missing)}] missing");
        }

        if (InterfaceName is { } name && (name.Length > 15 || name is "." or ".." || name.AsSpan().IndexOfAny("/: \t\n") >= 0))
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_IFNAME '{name}' is not a valid interface name");
        }
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
