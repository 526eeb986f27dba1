using System.Diagnostics;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>Runs iproute2's <c>ip</c> inside a namespace — the peer the route benchmarks measure against.</summary>
internal static class IpProcess
{
    /// <summary>Runs <c>ip ARGS</c> inside <paramref name="ns"/> (bounded to 60 s) and returns what it printed.</summary>
    /// <exception cref="InvalidOperationException">ip exited with an error.</exception>
    public static string Run(NetNamespace ns, params string[] args) => RunTool(ns, "ip", args);

    /// <summary>Runs another iproute2 tool (<c>tc</c>) the same way: inside <paramref name="ns"/>, bounded, output returned.</summary>
    /// <exception cref="InvalidOperationException">The tool exited with an error.</exception>
    public static string RunTool(NetNamespace ns, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = ns.StartProcess(psi);
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException(tool + " " + string.Join(' ', args));
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}");
        }

        return output;
    }
}
