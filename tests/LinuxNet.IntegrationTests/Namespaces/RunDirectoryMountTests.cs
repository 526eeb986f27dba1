using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

/// <summary>
/// First-time creation, when /run/netns is not yet a mount point. The test runs on a thread with its own private
/// mount namespace (unshare(CLONE_NEWNS) + MS_PRIVATE on "/"), removes the /run/netns mount there only, and then
/// races LinuxNet creators against `ip netns add` processes started from the same mount namespace.
/// </summary>
[TestFixture]
[Category("Privileged")]
public class RunDirectoryMountTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void Create_FirstTimeRacingIpNetnsAdd_MakesExactlyOneSelfMount()
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                RaceInPrivateMountNamespace();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        Assert.That(thread.Join(TimeSpan.FromSeconds(60)), Is.True, "bounded");
        failure?.Throw();
    }

    private static unsafe void RaceInPrivateMountNamespace()
    {
        Assert.That(Interop.Libc.Unshare(LinuxSched.CLONE_NEWNS), Is.Zero, "unshare(CLONE_NEWNS)");
        byte* root = stackalloc byte[] { (byte)'/', 0 };

        // Nothing below may propagate back to the machine's mount namespace.
        Assert.That(Interop.Libc.Mount(null, root, null, LinuxMount.MS_REC | LinuxMount.MS_PRIVATE, null), Is.Zero, "mount --make-rprivate /");
        byte[] runDir = System.Text.Encoding.ASCII.GetBytes(NetNamespace.RunDirectory + "\0");
        fixed (byte* p = runDir)
        {
            while (Interop.Libc.Umount2(p, LinuxMount.MNT_DETACH) == 0)
            {
            }
        }

        Assert.That(CountRunDirMounts(), Is.Zero, "/run/netns is a plain directory in this mount namespace");

        string[] ours = Enumerable.Range(0, 6).Select(_ => Privileged.UniqueName()).ToArray();
        string[] theirs = Enumerable.Range(0, 3).Select(_ => Privileged.UniqueName()).ToArray();
        var created = new ConcurrentBag<NetNamespace>();
        var errors = new ConcurrentQueue<Exception>();
        try
        {
            using var start = new Barrier(ours.Length + theirs.Length);
            var racers = ours.Select(n => new Thread(() => Race(start, errors, () => created.Add(NetNamespace.Create(n)))))
                .Concat(theirs.Select(n => new Thread(() => Race(start, errors, () => IpOracle.RunHere("netns", "add", n)))))
                .ToList();
            racers.ForEach(t => t.Start());
            foreach (Thread t in racers)
            {
                Assert.That(t.Join(TimeSpan.FromSeconds(30)), Is.True);
            }

            string[] mountPoints = MountPoints();
            Assert.Multiple(() =>
            {
                Assert.That(errors, Is.Empty);
                Assert.That(CountRunDirMounts(), Is.EqualTo(1), "exactly one self-mount of /run/netns");
                Assert.That(mountPoints, Is.SupersetOf(ours.Concat(theirs).Select(n => NetNamespace.RunDirectory + "/" + n)));
                Assert.That(File.ReadAllLines("/proc/thread-self/mountinfo").Single(l => l.Split(' ')[4] == NetNamespace.RunDirectory), Does.Contain("shared:"));
            });
        }
        finally
        {
            foreach (NetNamespace ns in created)
            {
                ns.Dispose();
            }

            foreach (string name in ours.Concat(theirs))
            {
                if (NetNamespace.Exists(name))
                {
                    NetNamespace.Delete(name);
                }
            }
        }
    }

    private static void Race(Barrier start, ConcurrentQueue<Exception> errors, Action action)
    {
        try
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            action();
        }
        catch (Exception e)
        {
            errors.Enqueue(e);
        }
    }

    private static string[] MountPoints() => File.ReadAllLines("/proc/thread-self/mountinfo").Select(l => l.Split(' ')[4]).ToArray();

    private static int CountRunDirMounts() => MountPoints().Count(m => m == NetNamespace.RunDirectory);
}
