using System.Diagnostics;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

[TestFixture]
[Category("Privileged")]
public class NetNamespaceLeakTests
{
    // Thread-pool workers come and go with the test host's own load, so the total thread count may drift by a
    // worker or two; a leak of pinned threads would show as hundreds. The exact check is that no thread is left in
    // another network namespace and no "LinuxNet netns" thread survives.
    private const int ThreadPoolDrift = 2;

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void CreateRunDelete_ThousandCycles_LeavesFdsThreadsAndMountsAsBefore()
    {
        string prefix = Privileged.UniqueName() + "-";
        RunCycles(prefix, i =>
        {
            string name = prefix + i;
            using (NetNamespace ns = NetNamespace.Create(name))
            {
                ns.Run(() => { });
            }

            NetNamespace.Delete(name);
        });
        Assert.That(NetNamespace.List().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void CreateAnonymousRun_ThousandCycles_LeavesFdsThreadsAndMountsAsBefore()
    {
        RunCycles(null, _ =>
        {
            using NetNamespace ns = NetNamespace.CreateAnonymous();
            ns.Run(() => { });
        });
    }

    private static void RunCycles(string? prefix, Action<int> cycle)
    {
        const int cycles = 1000;
        cycle(-1);
        Assert.That(ProcessState.Settle(() => ProcessState.ThreadsOutsideMainNamespace().Count == 0), Is.True);

        // Descriptors that earlier tests left to finalizers must not count either way.
        ProcessState.CollectGarbage();
        int fdsBefore = ProcessState.CountFds();
        Dictionary<string, string> fdsBeforeText = ProcessState.DescribeFds();
        int threadsBefore = ProcessState.CountThreads();
        int mountsBefore = ProcessState.CountMountInfoLines(prefix);
        string threadsText = ProcessState.DescribeThreads();
        var clock = Stopwatch.StartNew();
        int done = 0;
        for (; done < cycles && clock.Elapsed < TimeSpan.FromSeconds(90); done++)
        {
            cycle(done);
        }

        ProcessState.Settle(() => ProcessState.ThreadsOutsideMainNamespace().Count == 0 && ProcessState.CountThreads() <= threadsBefore);
        ProcessState.CollectGarbage();
        Assert.Multiple(() =>
        {
            Assert.That(done, Is.EqualTo(cycles), "cycles completed within the 90 s bound");
            Assert.That(ProcessState.CountFds(), Is.EqualTo(fdsBefore), "open fds " + ProcessState.DiffFds(fdsBeforeText));
            Assert.That(ProcessState.CountMountInfoLines(prefix), Is.EqualTo(mountsBefore), "mountinfo lines");
            Assert.That(ProcessState.ThreadsOutsideMainNamespace(), Is.Empty, "threads in another network namespace");
            Assert.That(ProcessState.DescribeThreads(), Does.Not.Contain("LinuxNet netns"));
            Assert.That(ProcessState.CountThreads(), Is.LessThanOrEqualTo(threadsBefore + ThreadPoolDrift), "threads: before " + threadsText + "; after " + ProcessState.DescribeThreads());
        });
    }
}
