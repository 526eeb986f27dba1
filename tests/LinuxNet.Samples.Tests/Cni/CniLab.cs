using System.Diagnostics;
using System.Text.Json.Nodes;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Cni;

/// <summary>
/// One CNI "node" made for a test: an anonymous namespace that plays the host (the driver and the plugins run inside
/// it, never in the root namespace), container namespaces, and a temporary directory with the plugin directory
/// (CNI_PATH: our plugin and the reference <c>bridge</c> and <c>host-local</c>), host-local's data dir, libcni's cache
/// and the network configuration. <see cref="Dispose"/> removes all of it.
/// </summary>
internal sealed class CniLab : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<NetNamespace> _containers = new();

    public CniLab(string type, JsonObject? ipam = null, string cniVersion = "1.0.0", int? mtu = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("linuxnet-cni-").FullName;
        System.IO.Directory.CreateDirectory(PluginDirectory);
        File.CreateSymbolicLink(Path.Combine(PluginDirectory, CniBinaries.OurType), CniBinaries.Plugin);
        foreach (string reference in (string[])["bridge", "host-local"])
        {
            File.CreateSymbolicLink(Path.Combine(PluginDirectory, reference), Path.Combine(CniBinaries.ReferencePlugins, reference));
        }

        Type = type;
        Config = NetworkConfig(type, IpamDirectory, ipam, cniVersion, mtu);
        File.WriteAllText(ConfigPath, Config);
        Host = NetNamespace.CreateAnonymous();
        Container = NewContainer();
    }

    public string Type { get; }

    public string Directory { get; }

    public string PluginDirectory => Path.Combine(Directory, "bin");

    public string IpamDirectory => Path.Combine(Directory, "ipam");

    public string ConfigPath => Path.Combine(Directory, "net.conf");

    public string Config { get; }

    public NetNamespace Host { get; }

    public NetNamespace Container { get; }

    /// <summary>The leases host-local holds for the network (one file per address).</summary>
    public IReadOnlyList<string> Leases
    {
        get
        {
            string network = Path.Combine(IpamDirectory, "labnet");
            return System.IO.Directory.Exists(network)
                ? System.IO.Directory.GetFiles(network).Select(f => Path.GetFileName(f)).Where(f => f != "lock" && !f.StartsWith("last_reserved_ip", StringComparison.Ordinal)).ToArray()
                : Array.Empty<string>();
        }
    }

    /// <summary>The reference bridge plugin's configuration shape, ipMasq off, addresses from host-local in 198.51.100.0/24.</summary>
    public static string NetworkConfig(string type, string ipamDirectory, JsonObject? ipam = null, string cniVersion = "1.0.0", int? mtu = null)
    {
        ipam ??= new JsonObject
        {
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = "198.51.100.0/24" })),
            ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
        };
        ipam["type"] = "host-local";
        ipam["dataDir"] = ipamDirectory;
        var config = new JsonObject
        {
            ["cniVersion"] = cniVersion,
            ["name"] = "labnet",
            ["type"] = type,
            ["bridge"] = "cni0",
            ["isGateway"] = true,
            ["ipMasq"] = false,
            ["ipam"] = ipam,
        };
        if (mtu is int value)
        {
            config["mtu"] = value;
        }

        return config.ToJsonString();
    }

    public NetNamespace NewContainer()
    {
        NetNamespace ns = NetNamespace.CreateAnonymous();
        _containers.Add(ns);
        return ns;
    }

    /// <summary>Runs <c>cni-driver OP</c> (libcni) inside the host namespace for <paramref name="container"/>.</summary>
    public CniRun Driver(string op, NetNamespace? container = null, string containerId = "c1", string ifName = "eth0")
        => Run(op, ConfigPath, (container ?? Container).Path, containerId, ifName);

    /// <summary>Runs <c>cni-driver ARGS</c> inside the host namespace, with this lab's CNI_PATH and cache.</summary>
    public CniRun Run(params string[] args)
        => Run(CniBinaries.RequireDriver(), args.Length == 1 ? [args[0], ConfigPath] : args, stdin: null, new Dictionary<string, string?>
        {
            ["CNI_PATH"] = PluginDirectory,
            ["CNI_CACHE_DIR"] = Path.Combine(Directory, "cache"),
        });

    /// <summary>Runs a plugin directly, as a runtime would, inside the host namespace, with exactly these CNI_* variables.</summary>
    public CniRun Plugin(string type, string stdin, IDictionary<string, string?> environment)
        => Run(Path.Combine(PluginDirectory, type), [], stdin, environment);

    /// <summary>The CNI_* variables of an ADD for the lab's container.</summary>
    public Dictionary<string, string?> Environment(string command, string containerId = "c1") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = Container.Path,
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = PluginDirectory,
    };

    public void Dispose()
    {
        foreach (NetNamespace container in _containers)
        {
            container.Dispose();
        }

        Host.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private CniRun Run(string file, string[] args, string? stdin, IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("CNI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string? value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Host.StartProcess(start);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            // Through the base stream, so nothing stays buffered in the writer for its Dispose to retry.
            Stream input = process.StandardInput.BaseStream;
            input.Write(System.Text.Encoding.UTF8.GetBytes(stdin ?? ""));
            input.Close();
        }
        catch (IOException)
        {
            // A plugin that refuses its environment (no CNI_NETNS, …) may exit before reading its configuration:
            // the write then meets a closed pipe. Its exit code and stderr are what the test checks.
        }
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        return new CniRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}
