using System.Diagnostics;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using LinuxNet.Benchmarks.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Benchmarks.Samples;

/// <summary>
/// CNI ADD+DEL of one container, run as a container runtime runs a plugin (exec with CNI_* variables and the network
/// configuration on stdin), with the reference <c>bridge</c> plugin (Debian's containernetworking-plugins) and with the
/// NativeAOT LinuxNet sample (samples/Cni), same configuration, same run: a bridge with a gateway address, a veth pair
/// into the container, an address from <c>host-local</c>. Operations per second are ADD+DEL per second; Ratio is ours
/// over the reference's time.
/// </summary>
/// <remarks>
/// The "host" is an anonymous namespace made in the setup; the plugins run inside it. Needs root, the reference
/// plugins in /usr/lib/cni and the native publish: <c>dotnet publish samples/Cni -c Release -r linux-x64 -o artifacts/native/cni</c>.
/// Run: <c>dotnet run -c Release --project benchmarks/LinuxNet.Benchmarks -- --filter '*CniBenchmarks*'</c>.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(CniConfig))]
public class CniBenchmarks
{
    private const string Relative = "cni/linuxnet-bridge";
    private const string Variable = "LINUXNET_CNI_PLUGIN";
    private const string References = "/usr/lib/cni";
    private NetNamespace? _host;
    private NetNamespace? _container;
    private string _directory = "";
    private byte[] _config = [];

    private string _plugin = "";

    [GlobalSetup(Target = nameof(ReferenceBridge))]
    public void SetUpReference() => SetUp("bridge");

    [GlobalSetup(Target = nameof(LinuxNetBridge))]
    public void SetUpOurs() => SetUp("linuxnet-bridge");

    [GlobalCleanup]
    public void CleanUp()
    {
        _container?.Dispose();
        _host?.Dispose();
        _container = _host = null;
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "reference bridge plugin: ADD+DEL")]
    public void ReferenceBridge() => AddDel();

    [Benchmark(Description = "LinuxNet bridge plugin (NativeAOT): ADD+DEL")]
    public void LinuxNetBridge() => AddDel();

    private void SetUp(string plugin)
    {
        string ours = NativeArtifact.Find(Relative, Variable) ?? throw new InvalidOperationException("the CNI plugin is not published");
        _plugin = plugin;
        _directory = Directory.CreateTempSubdirectory("linuxnet-cni-bench-").FullName;
        string bin = Path.Combine(_directory, "bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "linuxnet-bridge"), ours);
        File.CreateSymbolicLink(Path.Combine(bin, "bridge"), Path.Combine(References, "bridge"));
        File.CreateSymbolicLink(Path.Combine(bin, "host-local"), Path.Combine(References, "host-local"));
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "benchnet",
            ["type"] = plugin,
            ["bridge"] = "cni0",
            ["isGateway"] = true,
            ["ipMasq"] = false,
            ["ipam"] = new JsonObject
            {
                ["type"] = "host-local",
                ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = "198.51.100.0/24" })),
                ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
                ["dataDir"] = Path.Combine(_directory, "ipam"),
            },
        };
        _config = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        _host = NetNamespace.CreateAnonymous();
        _container = NetNamespace.CreateAnonymous();
    }

    private void AddDel()
    {
        Exec("ADD");
        Exec("DEL");
    }

    private void Exec(string command)
    {
        var start = new ProcessStartInfo(Path.Combine(_directory, "bin", _plugin))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["CNI_COMMAND"] = command;
        start.Environment["CNI_CONTAINERID"] = "bench";
        start.Environment["CNI_NETNS"] = _container!.Path;
        start.Environment["CNI_IFNAME"] = "eth0";
        start.Environment["CNI_PATH"] = Path.Combine(_directory, "bin");
        using Process process = _host!.StartProcess(start);
        using (Stream stdin = process.StandardInput.BaseStream)
        {
            stdin.Write(_config);
        }

        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{_plugin} {command} failed: {output}");
        }
    }

    private sealed class CniConfig : NativeArtifactConfig
    {
        public CniConfig()
            : base("CniBenchmarks", Relative, Variable, "dotnet publish samples/Cni -c Release -r linux-x64 -o artifacts/native/cni")
        {
        }
    }
}
