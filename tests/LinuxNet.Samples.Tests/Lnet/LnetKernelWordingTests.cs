using System.Diagnostics;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>Where the library refuses a value before any syscall, lnet still prints what ip prints for it, and exits as ip does.</summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetKernelWordingTests
{
    private readonly Leftovers _leftovers = new();
    private NetNamespace? _ns;
    private string _name = string.Empty;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _name = _leftovers.NewName();
        _ns = NetNamespace.Create(_name);
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
    }

    [TearDown]
    public void TearDown()
    {
        _ns?.Dispose();
        _leftovers.Dispose();
    }

    [TestCase("link add x0 type nosuchkind")]
    [TestCase("link set v0 mtu 10")]
    [TestCase("link set v0 mtu 70000")]
    [TestCase("link add x0 type nosuchkind foo bar")]
    public void Refusal_SameTextAndExitCodeAsIp(string command)
    {
        string[] args = command.Split(' ');
        var ip = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["-n", _name, .. args])
        {
            ip.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(ip)!;
        string ipError = process.StandardError.ReadToEnd();
        process.WaitForExit();

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = LinuxNet.Samples.Lnet.Lnet.Run(["-n", _name, .. args], stdout, stderr);
        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.Not.Zero, "ip refused it");
            Assert.That(exit, Is.EqualTo(process.ExitCode));
            Assert.That(stderr.ToString(), Is.EqualTo(ipError.Replace("\"ip ", "\"lnet ", StringComparison.Ordinal)));
            Assert.That(stdout.ToString(), Is.Empty);
        });
    }
}
