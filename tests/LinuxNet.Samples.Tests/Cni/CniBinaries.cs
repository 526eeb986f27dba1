using System.Diagnostics;

namespace LinuxNet.Samples.Tests.Cni;

/// <summary>
/// Finds the programs the CNI tests run: our plugin (the NativeAOT publish named by <c>LINUXNET_CNI_PLUGIN</c>, as
/// <c>.ci/run</c> sets it, else the apphost built beside these tests), the libcni driver (<c>LINUXNET_CNI_DRIVER</c>,
/// else built here from <c>samples/Cni/driver</c> with Debian's Go and libcni, offline) and the reference plugins in
/// <c>/usr/lib/cni</c> (Debian's containernetworking-plugins).
/// </summary>
internal static class CniBinaries
{
    public const string ReferencePlugins = "/usr/lib/cni";

    public const string OurType = "linuxnet-bridge";

    private static readonly Lazy<(string? Path, string Why)> Driver = new(BuildDriver);

    public static string Plugin => Environment.GetEnvironmentVariable("LINUXNET_CNI_PLUGIN") is { Length: > 0 } native
        ? native
        : Path.Combine(AppContext.BaseDirectory, OurType);

    /// <summary>The driver's path; reports the test as ignored, with the reason, when it cannot be had.</summary>
    public static string RequireDriver()
    {
        foreach (string plugin in (string[])["bridge", "host-local"])
        {
            if (!File.Exists(Path.Combine(ReferencePlugins, plugin)))
            {
                Assert.Ignore($"needs the reference CNI plugins in {ReferencePlugins} (apt-get install containernetworking-plugins)");
            }
        }

        (string? path, string why) = Driver.Value;
        if (path is null)
        {
            Assert.Ignore(why);
        }

        return path!;
    }

    private static (string? Path, string Why) BuildDriver()
    {
        if (Environment.GetEnvironmentVariable("LINUXNET_CNI_DRIVER") is { Length: > 0 } given)
        {
            return File.Exists(given) ? (given, "") : (null, $"LINUXNET_CNI_DRIVER={given} does not exist");
        }

        string? source = FindUp("samples/Cni/driver/main.go");
        if (source is null)
        {
            return (null, "samples/Cni/driver/main.go not found above " + AppContext.BaseDirectory);
        }

        if (!Directory.Exists("/usr/share/gocode/src/github.com/containernetworking/cni/libcni"))
        {
            return (null, "needs libcni (apt-get install golang-go golang-github-appc-cni-dev) to build the CNI driver");
        }

        // One binary per version of the source, reused by later runs, so test runs leave no new file behind.
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source)))[..16].ToLowerInvariant();
        string output = Path.Combine(Path.GetTempPath(), "linuxnet-cni-driver-" + hash);
        if (File.Exists(output))
        {
            return (output, "");
        }

        string building = output + "." + Environment.ProcessId;
        var start = new ProcessStartInfo("go", $"build -o {building} .")
        {
            WorkingDirectory = Path.GetDirectoryName(source)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Offline, from Debian's packaged sources: GOPATH mode, no module downloads.
        start.Environment["GOPATH"] = "/usr/share/gocode";
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOFLAGS"] = "";
        start.Environment["GOCACHE"] = Path.Combine(Path.GetTempPath(), "linuxnet-cni-gocache");
        try
        {
            using Process go = Process.Start(start)!;
            Task<string> error = go.StandardError.ReadToEndAsync();
            if (!go.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                go.Kill(entireProcessTree: true);
                return (null, "go build of the CNI driver did not finish in 3 minutes");
            }

            if (go.ExitCode != 0)
            {
                return (null, "go build of the CNI driver failed: " + error.Result);
            }

            File.Move(building, output, overwrite: true);
            return (output, "");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, "needs Go to build the CNI driver (apt-get install golang-go): " + e.Message);
        }
    }

    private static string? FindUp(string relative)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
