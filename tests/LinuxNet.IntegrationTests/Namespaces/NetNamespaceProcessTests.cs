using System.Globalization;
using System.Diagnostics;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

/// <summary><c>ip netns attach | identify | pids | monitor</c>, each checked against <c>ip netns</c>.</summary>
[TestFixture]
[Category("Privileged")]
public class NetNamespaceProcessTests
{
    private readonly Leftovers _leftovers = new();

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [TearDown]
    public void TearDown() => _leftovers.Dispose();

    [Test]
    public void Attach_ProcessInAnonymousNamespace_NamesItForIpNetns()
    {
        using NetNamespace anonymous = NetNamespace.CreateAnonymous();
        Process sleeper = Sleep(anonymous);
        string name = _leftovers.NewName();

        using NetNamespace attached = NetNamespace.Attach(name, sleeper.Id);

        string identified = IpOracle.RunHere("netns", "identify", sleeper.Id.ToString(CultureInfo.InvariantCulture)).Trim();
        string inside = IpOracle.RunHere("netns", "exec", name, "readlink", "/proc/self/ns/net").Trim();
        Assert.Multiple(() =>
        {
            Assert.That(attached, Is.EqualTo(anonymous), "the name refers to the process's namespace");
            Assert.That(attached.Name, Is.EqualTo(name));
            Assert.That(identified, Is.EqualTo(name), "ip netns identify PID");
            Assert.That(inside, Is.EqualTo($"net:[{anonymous.Inode}]"), "ip netns exec NAME");
        });
    }

    [Test]
    public void Attach_NamespaceOutlivesTheProcess()
    {
        using NetNamespace anonymous = NetNamespace.CreateAnonymous();
        ulong inode = anonymous.Inode;
        Process sleeper = Sleep(anonymous);
        string name = _leftovers.NewName();
        NetNamespace.Attach(name, sleeper.Id).Dispose();
        anonymous.Dispose();
        sleeper.Kill();
        sleeper.WaitForExit(5000);

        using NetNamespace reopened = NetNamespace.Open(name);
        Assert.That(reopened.Inode, Is.EqualTo(inode));
    }

    [Test]
    public void Attach_NameTaken_ThrowsAndLeavesTheExistingOne()
    {
        string name = _leftovers.NewName();
        using NetNamespace existing = NetNamespace.Create(name);
        using NetNamespace anonymous = NetNamespace.CreateAnonymous();
        Process sleeper = Sleep(anonymous);

        var e = Assert.Throws<LinuxNetException>(() => NetNamespace.Attach(name, sleeper.Id));
        using NetNamespace still = NetNamespace.Open(name);
        Assert.Multiple(() =>
        {
            Assert.That(e!.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(still, Is.EqualTo(existing));
        });
    }

    [Test]
    public void Attach_NoSuchProcess_ThrowsNotFoundAndMakesNoFile()
    {
        string name = _leftovers.NewName();
        var e = Assert.Throws<LinuxNetException>(() => NetNamespace.Attach(name, int.MaxValue));
        Assert.Multiple(() =>
        {
            Assert.That(e!.IsNotFound, Is.True);
            Assert.That(NetNamespace.Exists(name), Is.False);
        });
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void Attach_BadProcessId_ThrowsBeforeAnySystemCall(int processId)
    {
        string name = _leftovers.NewName();
        Assert.Throws<ArgumentOutOfRangeException>(() => NetNamespace.Attach(name, processId));
        Assert.That(NetNamespace.Exists(name), Is.False);
    }

    [Test]
    public void Attach_BadName_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() => NetNamespace.Attach("a/b", Environment.ProcessId));

    [Test]
    public void Identify_NamespaceMadeByIpWithTwoNames_MatchesIpNetnsIdentify()
    {
        string first = _leftovers.NewName();
        IpOracle.RunHere("netns", "add", first);
        Process sleeper = _leftovers.Track(Process.Start(new ProcessStartInfo("ip", $"netns exec {first} sleep 30") { UseShellExecute = false })!);
        string second = _leftovers.NewName();
        WaitUntil(() => NetNamespace.Identify(sleeper.Id).Count == 1);
        IpOracle.RunHere("netns", "attach", second, sleeper.Id.ToString(CultureInfo.InvariantCulture));

        string[] theirs = IpOracle.RunHere("netns", "identify", sleeper.Id.ToString(CultureInfo.InvariantCulture))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        IReadOnlyList<string> ours = NetNamespace.Identify(sleeper.Id);
        Assert.Multiple(() =>
        {
            Assert.That(ours, Is.EquivalentTo(new[] { first, second }));
            Assert.That(theirs, Has.Length.EqualTo(1).And.SubsetOf(ours), "ip prints the first name it finds in /run/netns; LinuxNet lists them all");
            Assert.That(NetNamespace.Identify(Environment.ProcessId), Is.Empty, "the test's own namespace has no name");
        });
    }

    [Test]
    public void GetProcessIds_MatchesIpNetnsPids()
    {
        string name = _leftovers.NewName();
        using NetNamespace ns = NetNamespace.Create(name);
        Process a = Sleep(ns);
        Process b = Sleep(ns);

        int[] theirs = IpOracle.RunHere("netns", "pids", name)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).Order().ToArray();
        IReadOnlyList<int> ours = ns.GetProcessIds();
        Assert.Multiple(() =>
        {
            Assert.That(ours, Is.EquivalentTo(new[] { a.Id, b.Id }));
            Assert.That(ours, Is.EqualTo(theirs));
            Assert.That(ns.GetNames(), Is.EqualTo(new[] { name }));
        });
    }

    [Test]
    public async Task Monitor_ReportsNamesAddedAndDeletedByIpAndByLinuxNet()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using NetNamespaceMonitor monitor = NetNamespaceMonitor.Open();
        string byIp = _leftovers.NewName();
        string byUs = _leftovers.NewName();
        IpOracle.RunHere("netns", "add", byIp);
        NetNamespace.Create(byUs).Dispose();
        IpOracle.RunHere("netns", "del", byIp);
        NetNamespace.Delete(byUs);

        var seen = new List<NetNamespaceNameChange>();
        while (seen.Count < 4)
        {
            NetNamespaceNameChange change = await monitor.ReadAsync(timeout.Token);
            if (change.Name == byIp || change.Name == byUs)
            {
                seen.Add(change);
            }
        }

        Assert.That(seen.Select(c => c.ToString()), Is.EqualTo(new[] { "add " + byIp, "add " + byUs, "delete " + byIp, "delete " + byUs }));
    }

    [Test]
    public async Task Monitor_Dispose_EndsAPendingRead()
    {
        NetNamespaceMonitor monitor = NetNamespaceMonitor.Open();
        ValueTask<NetNamespaceNameChange> pending = monitor.ReadAsync();
        await Task.Delay(50);
        monitor.Dispose();
        Task read = pending.AsTask();
        Task winner = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.That(winner, Is.SameAs(read), "Dispose ended the read");
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await read);
    }

    [Test]
    public async Task Monitor_Canceled_ThrowsOperationCanceled()
    {
        using NetNamespaceMonitor monitor = NetNamespaceMonitor.Open();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        // The monitor sees all of /run/netns: a name another test makes meanwhile is read and skipped, and the read
        // after it must still end canceled.
        Assert.That(
            async () =>
            {
                while (true)
                {
                    await monitor.ReadAsync(cancel.Token);
                }
            },
            Throws.InstanceOf<OperationCanceledException>());
        await Task.CompletedTask;
    }

    private Process Sleep(NetNamespace ns) => _leftovers.Track(ns.StartProcess(new ProcessStartInfo("sleep", "30") { UseShellExecute = false }));

    private static void WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail("condition not met in 10 s");
            }

            Thread.Sleep(20);
        }
    }
}
