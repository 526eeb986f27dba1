using System.Diagnostics;
using System.Text;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary><c>lnet monitor</c> prints the same lines as <c>ip monitor</c> for the same events.</summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetMonitorTextTests
{
    private readonly Leftovers _leftovers = new();
    private NetNamespace? _ns;
    private NetNamespace? _other;

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [TearDown]
    public void TearDown()
    {
        _other?.Dispose();
        _ns?.Dispose();
        _leftovers.Dispose();
    }

    [Test]
    public void MonitorLink_SameLinesAsIpMonitor()
    {
        string name = _leftovers.NewName();
        _ns = NetNamespace.Create(name);
        var ours = new StringBuilder();
        var writer = TextWriter.Synchronized(new StringWriter(ours));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task<int> lnet = Task.Run(() => LinuxNet.Samples.Lnet.Lnet.Run(["-n", name, "monitor", "link"], writer, TextWriter.Null, stop.Token));
        StringBuilder theirs = StartIp(["-n", name, "monitor", "link"]);

        // Both subscribe asynchronously: poke lo until both have printed it.
        var watch = Stopwatch.StartNew();
        int mtu = 60000;
        while (!(Text(ours, writer).Contains("lo:", StringComparison.Ordinal) && Text(theirs, theirs).Contains("lo:", StringComparison.Ordinal)))
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "both monitors listen");
            IpOracle.Run(_ns, "link", "set", "lo", "mtu", (mtu++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Thread.Sleep(50);
        }

        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "link", "set", "v0", "up");
        IpOracle.Run(_ns, "link", "set", "v0", "mtu", "1400", "alias", "hello");
        IpOracle.Run(_ns, "link", "del", "v0");
        while (!(Text(ours, writer).Contains("Deleted 2: v1", StringComparison.Ordinal) && Text(theirs, theirs).Contains("Deleted 2: v1", StringComparison.Ordinal)))
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "both saw the deletion");
            Thread.Sleep(20);
        }

        stop.Cancel();
        Assert.That(lnet.Wait(TimeSpan.FromSeconds(10)), Is.True);
        string[] lnetLines = Blocks(Text(ours, writer));
        string[] ipLines = Blocks(Text(theirs, theirs));
        Assert.Multiple(() =>
        {
            Assert.That(lnetLines, Has.Length.GreaterThanOrEqualTo(6));
            Assert.That(lnetLines, Is.EqualTo(ipLines));
        });
    }

    [Test]
    public void MonitorNexthopAndNsid_SameLinesAsIpMonitor()
    {
        string name = _leftovers.NewName();
        string other = _leftovers.NewName();
        _ns = NetNamespace.Create(name);
        _other = NetNamespace.Create(other);
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "link", "set", "lo", "up");
        IpOracle.Run(_ns, "link", "set", "v0", "up");
        IpOracle.Run(_ns, "link", "set", "v1", "up");
        IpOracle.Run(_ns, "addr", "add", "198.51.100.1/24", "dev", "v0");
        var ours = new StringBuilder();
        var writer = TextWriter.Synchronized(new StringWriter(ours));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task<int> lnet = Task.Run(() => LinuxNet.Samples.Lnet.Lnet.Run(["-n", name, "monitor", "nexthop", "nsid"], writer, TextWriter.Null, stop.Token));
        StringBuilder theirs = StartIp(["-n", name, "monitor", "nexthop", "nsid"]);

        // Both subscribe asynchronously: make and remove a blackhole nexthop until both have printed it.
        var watch = Stopwatch.StartNew();
        while (!(Text(ours, writer).Contains("Deleted id 99", StringComparison.Ordinal) && Text(theirs, theirs).Contains("Deleted id 99", StringComparison.Ordinal)))
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "both monitors listen");
            IpOracle.Run(_ns, "nexthop", "add", "id", "99", "blackhole");
            IpOracle.Run(_ns, "nexthop", "del", "id", "99");
            Thread.Sleep(50);
        }

        IpOracle.Run(_ns, "nexthop", "add", "id", "7", "via", "198.51.100.2", "dev", "v0");
        IpOracle.Run(_ns, "nexthop", "add", "id", "8", "group", "7");
        IpOracle.Run(_ns, "nexthop", "replace", "id", "7", "via", "198.51.100.3", "dev", "v0");
        IpOracle.Run(_ns, "nexthop", "del", "id", "8");
        IpOracle.Run(_ns, "netns", "set", other, "5");
        IpOracle.Run(_ns, "nexthop", "del", "id", "7");

        // Both monitors name an NSID when its event arrives, by asking the /run/netns names then: the name must still
        // be there when each has read the event.
        while (!(Text(ours, writer).Contains("Deleted id 7", StringComparison.Ordinal) && Text(theirs, theirs).Contains("Deleted id 7", StringComparison.Ordinal)))
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "both saw the NSID and the last nexthop deletion");
            Thread.Sleep(20);
        }

        // The kernel removes a deleted namespace's NSIDs in its cleanup work, some time after the last reference went.
        _other.Dispose();
        _other = null;
        NetNamespace.Delete(other);
        while (!(Text(ours, writer).Contains("Deleted nsid", StringComparison.Ordinal) && Text(theirs, theirs).Contains("Deleted nsid", StringComparison.Ordinal)))
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "both saw the last deletion");
            Thread.Sleep(20);
        }

        stop.Cancel();
        Assert.That(lnet.Wait(TimeSpan.FromSeconds(10)), Is.True);
        string[] lnetLines = Lines(Text(ours, writer));
        string[] ipLines = Lines(Text(theirs, theirs));
        Assert.Multiple(() =>
        {
            Assert.That(lnetLines, Has.Length.EqualTo(7), string.Join("\n", lnetLines));
            Assert.That(lnetLines, Does.Contain($"nsid 5 (iproute2 netns name: {other})").And.Contain($"Deleted nsid 5 (iproute2 netns name: {other})"));
            Assert.That(lnetLines, Is.EqualTo(ipLines));
        });

        // Lines of the nexthops and the NSID this test made after both listened.
        static string[] Lines(string output) => output.Split('\n').Where(l => l.Contains("id 7 ", StringComparison.Ordinal) || l.Contains("id 8 ", StringComparison.Ordinal) || l.Contains("nsid ", StringComparison.Ordinal)).ToArray();
    }

    private StringBuilder StartIp(string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process ip = _leftovers.Track(Process.Start(start)!);
        var theirs = new StringBuilder();
        ip.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (theirs)
                {
                    theirs.Append(e.Data).Append('\n');
                }
            }
        };
        ip.BeginOutputReadLine();
        return theirs;
    }

    private static string Text(StringBuilder text, object gate)
    {
        lock (gate)
        {
            return text.ToString();
        }
    }

    // The two lines of each v0/v1 event, in order.
    private static string[] Blocks(string output)
    {
        string[] lines = output.Split('\n');
        var blocks = new List<string>();
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].Contains(": v0", StringComparison.Ordinal) || lines[i].Contains(": v1", StringComparison.Ordinal))
            {
                blocks.Add(lines[i] + "\n" + lines[i + 1]);
            }
        }

        return blocks.ToArray();
    }
}
