using System.Diagnostics;
using LinuxNet.Benchmarks.Infrastructure;

namespace LinuxNet.Benchmarks.ColdStart;

/// <summary>
/// The three builds of benchmarks/ColdStart (<c>linuxnet-coldstart</c>) under <c>artifacts/native/coldstart/</c>:
/// <c>jit</c> (framework-dependent IL, what <c>dotnet build</c> gives), <c>r2r</c> (framework-dependent ReadyToRun)
/// and <c>aot</c> (NativeAOT). Missing ones are published on first use, with the commands docs/cold-start.md shows.
/// </summary>
internal static class ColdStartBuilds
{
    /// <summary>Where the builds go (or, when set, where they are: a directory holding jit/, r2r/ and aot/).</summary>
    public const string Variable = "LINUXNET_COLDSTART_DIR";

    public static readonly (string Name, string[] Arguments)[] Flavours =
    [
        ("jit", []),
        ("r2r", ["-r", "linux-x64", "-p:PublishReadyToRun=true"]),
        ("aot", ["-r", "linux-x64", "-p:ColdStartAot=true"]),
    ];

    /// <summary>The program of <paramref name="flavour"/> (jit, r2r, aot), published first if it is not there.</summary>
    public static string Get(string flavour)
    {
        string directory = Directory();
        string program = Path.Combine(directory, flavour, "linuxnet-coldstart");
        if (File.Exists(program))
        {
            return program;
        }

        string project = Path.Combine(RepositoryRoot() ?? throw new InvalidOperationException(
            $"linuxnet-coldstart ({flavour}) is not at {program} and benchmarks/ColdStart is not above {AppContext.BaseDirectory}"),
            "benchmarks", "ColdStart", "ColdStart.csproj");
        string[] extra = Flavours.Single(f => f.Name == flavour).Arguments;
        Console.WriteLine($"// ColdStart: publishing linuxnet-coldstart ({flavour}) into {Path.GetDirectoryName(program)}");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["publish", project, "-c", "Release", .. extra, "-o", Path.GetDirectoryName(program)!])
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(600_000) || p.ExitCode != 0 || !File.Exists(program))
        {
            throw new InvalidOperationException($"dotnet publish of linuxnet-coldstart ({flavour}) failed:\n{output}\n{error.Result}");
        }

        return program;
    }

    private static string Directory()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return given;
        }

        return Path.Combine(RepositoryRoot() ?? Path.GetTempPath(), "artifacts", "native", "coldstart");
    }

    private static string? RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "benchmarks", "ColdStart", "ColdStart.csproj")))
            {
                return d.FullName;
            }
        }

        return null;
    }
}

/// <summary>
/// The C peer <c>nlpeer</c> (benchmarks/native/nlpeer.c, libmnl, <c>nlpeer route-add|route-del|route-add-batch|route-del-batch N DEV</c>):
/// built at setup with <c>gcc -O2 -DNLPEER_MAIN … -lmnl</c>; when the source is not there, the rows that need it are
/// left out with one line saying why.
/// </summary>
internal static class NlPeer
{
    public static string Source => Path.Combine(AppContext.BaseDirectory, "native", "nlpeer.c");

    public static bool Available => File.Exists(Source);

    public static string Build()
    {
        string binary = Path.Combine(Path.GetTempPath(), $"linuxnet-nlpeer-{Environment.ProcessId}");
        NativePeer.Run(null, "gcc", "-O2", "-DNLPEER_MAIN", "-o", binary, Source, "-lmnl");
        return binary;
    }
}
