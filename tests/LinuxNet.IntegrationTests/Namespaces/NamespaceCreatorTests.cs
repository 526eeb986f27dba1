using System.Runtime.ExceptionServices;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

/// <summary>
/// The fast path of <see cref="NetNamespace.Create"/>: one reused creator thread that goes back to the main
/// namespace after each namespace, and the /run/netns shared-mount check made once per mount.
/// </summary>
[TestFixture]
[Category("Privileged")]
[NonParallelizable]
public class NamespaceCreatorTests
{
    private readonly List<string> _names = new();

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [TearDown]
    public void TearDown()
    {
        NamespaceCreator.ReturnHomeHook = null;
        foreach (string name in _names)
        {
            if (NetNamespace.Exists(name))
            {
                NetNamespace.Delete(name);
            }
        }

        _names.Clear();
    }

    [Test]
    public void Create_Twice_ReusesOneCreatorThreadThatStaysInTheMainNamespace()
    {
        using (NetNamespace.Create(NewName()))
        {
        }

        int tid = NamespaceCreator.CurrentTid;
        using NetNamespace second = NetNamespace.Create(NewName());
        Assert.Multiple(() =>
        {
            Assert.That(tid, Is.Not.Zero, "a creator thread served the first create");
            Assert.That(NamespaceCreator.CurrentTid, Is.EqualTo(tid), "and the second");
            Assert.That(ReadLink($"/proc/self/task/{tid}/ns/net"), Is.EqualTo(ReadLink("/proc/self/ns/net")), "back home");
            Assert.That(ReadLink($"/proc/self/task/{tid}/ns/mnt"), Is.EqualTo(ReadLink("/proc/self/ns/mnt")));
            Assert.That(ProcessState.ThreadsOutsideMainNamespace(), Is.Empty, "no pinned thread before first use");
            Assert.That(second.Run(() => { using NetNamespace c = NetNamespace.Current; return c.Inode; }), Is.EqualTo(second.Inode));
            Assert.That(IpOracle.RunHere("netns", "exec", second.Name!, "readlink", "/proc/self/ns/net").Trim(), Is.EqualTo($"net:[{second.Inode}]"));
        });
    }

    [Test]
    public void Create_SetnsBackFails_CreatorRetiredNamespaceStillMadeAndNextCreateUsesANewThread()
    {
        using (NetNamespace.Create(NewName()))
        {
        }

        int oldTid = NamespaceCreator.CurrentTid;
        int failures = 1;
        NamespaceCreator.ReturnHomeHook = () => Interlocked.Decrement(ref failures) >= 0 ? -1 : 0;
        string name = NewName();
        using NetNamespace made = NetNamespace.Create(name);
        NamespaceCreator.ReturnHomeHook = null;
        Assert.That(ProcessState.Settle(() => !Directory.Exists($"/proc/self/task/{oldTid}")), Is.True, "the stranded creator ended");

        using NetNamespace next = NetNamespace.Create(NewName());
        Assert.Multiple(() =>
        {
            Assert.That(NetNamespace.Open(name), Is.EqualTo(made), "the namespace itself was made and named");
            Assert.That(NamespaceCreator.CurrentTid, Is.Not.Zero.And.Not.EqualTo(oldTid), "a new creator");
            Assert.That(ProcessState.ThreadsOutsideMainNamespace(), Is.Empty);
            Assert.That(next, Is.Not.EqualTo(made));
        });
    }

    [Test]
    public void Create_FaultAfterMountOnCreator_LeavesNoFileAndCreatorKeepsServing()
    {
        using (NetNamespace.Create(NewName()))
        {
        }

        int tid = NamespaceCreator.CurrentTid;
        string name = NewName();
        NetNamespace.CreateFaultHook = n =>
        {
            if (n == name)
            {
                throw new InvalidDataException("injected");
            }
        };
        try
        {
            Assert.Throws<InvalidDataException>(() => NetNamespace.Create(name));
        }
        finally
        {
            NetNamespace.CreateFaultHook = null;
        }

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(NetNamespace.RunDirectory + "/" + name), Is.False);
            Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Not.Contain(NetNamespace.RunDirectory + "/" + name));
            Assert.That(NamespaceCreator.CurrentTid, Is.EqualTo(tid));
            Assert.That(ReadLink($"/proc/self/task/{tid}/ns/net"), Is.EqualTo(ReadLink("/proc/self/ns/net")));
        });
    }

    [Test]
    public void Delete_Warm_AllocatesNothing()
    {
        string[] names = Enumerable.Range(0, 3).Select(_ => NewName()).ToArray();
        foreach (string n in names)
        {
            NetNamespace.Create(n).Dispose();
        }

        NetNamespace.Delete(names[0]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        NetNamespace.Delete(names[1]);
        NetNamespace.Delete(names[2]);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Create_RunDirectoryUnmountedOrMissingAfterTheCheckWasCached_IsMadeASharedMountAgain()
    {
        // In a private mount namespace of this test's own thread, so the machine's /run/netns is never touched.
        OnThreadWithPrivateMounts(() =>
        {
            string first = NewName();
            NetNamespace.Create(first).Dispose();
            NetNamespace.Delete(first);
            Assert.That(RunDirMounts(), Is.EqualTo(1));

            // Something unmounts /run/netns after LinuxNet checked it once: the next create must notice.
            UnmountAll(NetNamespace.RunDirectory);
            Assert.That(RunDirMounts(), Is.Zero);
            CreateAndCheck(runDirMounts: 1);

            // Something hides /run/netns entirely (a fresh /run): the directory is made again, then the mount.
            MountTmpfs("/run");
            try
            {
                Assert.That(Directory.Exists(NetNamespace.RunDirectory), Is.False);

                // The hidden /run/netns of the old /run still shows in mountinfo, beside the new one.
                CreateAndCheck(runDirMounts: 2);
            }
            finally
            {
                UnmountOnce("/run");
            }
        });
    }

    private void CreateAndCheck(int runDirMounts)
    {
        string name = NewName();
        using NetNamespace ns = NetNamespace.Create(name);
        try
        {
            // The newest (top-most) mount on /run/netns is the one that counts.
            string runLine = File.ReadAllLines("/proc/thread-self/mountinfo").Last(l => l.Split(' ')[4] == NetNamespace.RunDirectory);
            Assert.Multiple(() =>
            {
                Assert.That(runLine, Does.Contain("shared:"), "/run/netns is a shared mount again");
                Assert.That(RunDirMounts(), Is.EqualTo(runDirMounts), "exactly one self-mount made");
                Assert.That(File.ReadAllLines("/proc/thread-self/mountinfo").Select(l => l.Split(' ')[4]), Does.Contain(NetNamespace.RunDirectory + "/" + name));
                Assert.That(IpOracle.RunHere("netns", "exec", name, "readlink", "/proc/self/ns/net").Trim(), Is.EqualTo($"net:[{ns.Inode}]"));
            });
        }
        finally
        {
            NetNamespace.Delete(name);
        }
    }

    private string NewName()
    {
        string name = Privileged.UniqueName();
        lock (_names)
        {
            _names.Add(name);
        }

        return name;
    }

    private static string ReadLink(string path) => new FileInfo(path).LinkTarget ?? string.Empty;

    private static int RunDirMounts() => File.ReadAllLines("/proc/thread-self/mountinfo").Count(l => l.Split(' ')[4] == NetNamespace.RunDirectory);

    private static void OnThreadWithPrivateMounts(Action action)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                MakePrivateMountNamespace();
                action();
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

    private static unsafe void MakePrivateMountNamespace()
    {
        Assert.That(Interop.Libc.Unshare(LinuxSched.CLONE_NEWNS), Is.Zero, "unshare(CLONE_NEWNS)");
        byte* root = stackalloc byte[] { (byte)'/', 0 };

        // Nothing below may propagate back to the machine's mount namespace.
        Assert.That(Interop.Libc.Mount(null, root, null, LinuxMount.MS_REC | LinuxMount.MS_PRIVATE, null), Is.Zero, "mount --make-rprivate /");
    }

    private static unsafe void UnmountAll(string path)
    {
        byte[] z = System.Text.Encoding.ASCII.GetBytes(path + "\0");
        fixed (byte* p = z)
        {
            for (int i = 0; i < 16 && Interop.Libc.Umount2(p, LinuxMount.MNT_DETACH) == 0; i++)
            {
            }
        }
    }

    private static unsafe void UnmountOnce(string path)
    {
        byte[] z = System.Text.Encoding.ASCII.GetBytes(path + "\0");
        fixed (byte* p = z)
        {
            Assert.That(Interop.Libc.Umount2(p, LinuxMount.MNT_DETACH), Is.Zero, "umount " + path);
        }
    }

    private static unsafe void MountTmpfs(string path)
    {
        byte[] target = System.Text.Encoding.ASCII.GetBytes(path + "\0");
        byte[] tmpfs = System.Text.Encoding.ASCII.GetBytes("tmpfs\0");
        fixed (byte* t = target)
        fixed (byte* f = tmpfs)
        {
            Assert.That(Interop.Libc.Mount(f, t, f, 0, null), Is.Zero, "mount -t tmpfs tmpfs " + path);
        }
    }
}
