using System.Diagnostics;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>
/// What every lnet test class needs: lnet run in-process on a named namespace (<c>lnet -n NAME …</c>), and the tool
/// it is checked against (ip, tc, bridge, ethtool) run inside the same namespace, each with exit code, stdout and stderr.
/// </summary>
internal static class LnetHarness
{
    /// <summary><c>lnet -n <paramref name="ns"/> ARGS</c>, in-process.</summary>
    public static (int Exit, string Out, string Error) Lnet(string ns, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = LinuxNet.Samples.Lnet.Lnet.Run(["-n", ns, .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>lnet that must succeed; its stdout.</summary>
    public static string LnetText(string ns, params string[] args)
    {
        (int exit, string output, string error) = Lnet(ns, args);
        Assert.That(exit, Is.Zero, $"lnet {string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary><c>lnet -j …</c> that must succeed; its output parsed.</summary>
    public static JsonElement LnetJson(string ns, params string[] args)
    {
        (int exit, string output, string error) = Lnet(ns, ["-j", .. args]);
        Assert.That(exit, Is.Zero, $"lnet -j {string.Join(' ', args)}: {error}");
        using JsonDocument document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    /// <summary><paramref name="tool"/> ARGS started inside <paramref name="ns"/>, bounded by <see cref="IpOracle.Timeout"/>.</summary>
    public static (int Exit, string Out, string Error) Tool(NetNamespace ns, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = ns.StartProcess(psi);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit((int)IpOracle.Timeout.TotalMilliseconds), Is.True, $"{tool} did not finish");
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
