using System.Diagnostics;
using System.Text.Json;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Infrastructure;

/// <summary>
/// Runs iproute2's <c>ip</c> as an oracle, inside a given <see cref="NetNamespace"/> (named or anonymous) through
/// <see cref="NetNamespace.StartProcess"/>, or in the test process's own namespace. Every run is bounded (10 s).
/// </summary>
internal static class IpOracle
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <c>ip ARGS</c> inside <paramref name="ns"/>; returns stdout, throws with stderr on a non-zero exit.</summary>
    public static string Run(NetNamespace ns, params string[] args) => Execute(ns, "ip", args);

    /// <summary>Runs <c>ip -j ARGS</c> inside <paramref name="ns"/> and parses the JSON it prints.</summary>
    public static JsonElement Json(NetNamespace ns, params string[] args) => Parse(Run(ns, ["-j", .. args]));

    /// <summary>
    /// Runs <c>ip ARGS</c> in the test process's own namespace. Only for commands that change no network state there
    /// (<c>ip netns add/del/list/exec</c>, reads).
    /// </summary>
    public static string RunHere(params string[] args) => Execute(null, "ip", args);

    /// <summary>Runs any program inside <paramref name="ns"/> (or here when null), bounded; returns stdout.</summary>
    public static string Execute(NetNamespace? ns, string fileName, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = ns is null ? Process.Start(psi)! : ns.StartProcess(psi);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)Timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        if (!Task.WaitAll([stdout, stderr], Timeout))
        {
            throw new TimeoutException($"{fileName} {string.Join(' ', args)}: output not closed within {Timeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }

        return stdout.Result;
    }

    private static JsonElement Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return document.RootElement.Clone();
    }
}
