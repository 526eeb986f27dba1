using System.Diagnostics;
using System.Globalization;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary><c>lnet netns attach | identify | pids | monitor</c> against <c>ip netns</c>: output and exit codes.</summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetNetnsTests
{
    private readonly Leftovers _leftovers = new();

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [TearDown]
    public void TearDown() => _leftovers.Dispose();

    [Test]
    public void AttachIdentifyPids_SameAsIp()
    {
        string name = _leftovers.NewName();
        using NetNamespace anonymous = NetNamespace.CreateAnonymous();
        Process sleeper = _leftovers.Track(anonymous.StartProcess(new ProcessStartInfo("sleep", "30") { UseShellExecute = false }));
        string pid = sleeper.Id.ToString(CultureInfo.InvariantCulture);

        (int attach, string attachOut, string attachError) = Run("netns", "attach", name, pid);
        (int identify, string identified, _) = Run("netns", "identify", pid);
        (int pids, string listed, _) = Run("netns", "pids", name);
        Assert.Multiple(() =>
        {
            Assert.That(attach, Is.Zero, attachError);
            Assert.That(attachOut, Is.Empty);
            Assert.That(identify, Is.Zero);
            Assert.That(identified, Is.EqualTo(IpOracle.RunHere("netns", "identify", pid)));
            Assert.That(pids, Is.Zero);
            Assert.That(listed, Is.EqualTo(IpOracle.RunHere("netns", "pids", name)));
            Assert.That(listed, Is.EqualTo(pid + "\n"));
        });
    }

    [TestCase("netns attach")]
    [TestCase("netns attach NAME")]
    [TestCase("netns attach NAME 99999999")]
    [TestCase("netns attach NAME abc")]
    [TestCase("netns identify abc")]
    [TestCase("netns identify 99999999")]
    [TestCase("netns pids")]
    [TestCase("netns pids NAME")]
    public void Errors_SameExitCodeAndTextAsIp(string command)
    {
        string name = _leftovers.NewName();
        string[] args = command.Replace("NAME", name, StringComparison.Ordinal).Split(' ');
        var ip = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            ip.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(ip)!;
        string ipError = process.StandardError.ReadToEnd();
        process.WaitForExit();
        (int exit, _, string error) = Run(args);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(process.ExitCode));
            Assert.That(error, Is.EqualTo(ipError));
            Assert.That(NetNamespace.Exists(name), Is.False, "nothing half-made");
        });
    }

    [Test]
    public async Task Monitor_PrintsWhatIpNetnsMonitorPrints()
    {
        string name = _leftovers.NewName();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stdout = new StringWriter();
        Task<int> monitor = Task.Run(() => LinuxNet.Samples.Lnet.Lnet.Run(["netns", "monitor"], stdout, new StringWriter(), stop.Token));
        await Task.Delay(300);
        IpOracle.RunHere("netns", "add", name);
        IpOracle.RunHere("netns", "del", name);
        var watch = Stopwatch.StartNew();
        while (!Lines(stdout).Contains("delete " + name) && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        stop.Cancel();
        int exit = await monitor;
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(Lines(stdout).Where(l => l.EndsWith(" " + name, StringComparison.Ordinal)), Is.EqualTo(new[] { "add " + name, "delete " + name }));
        });
    }

    private static string[] Lines(StringWriter writer)
    {
        lock (writer)
        {
            return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = LinuxNet.Samples.Lnet.Lnet.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
