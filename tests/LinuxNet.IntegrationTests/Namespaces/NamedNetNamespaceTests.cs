using System.Collections.Concurrent;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

[TestFixture]
[Category("Privileged")]
public class NamedNetNamespaceTests
{
    private readonly List<string> _names = new();

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [TearDown]
    public void TearDown()
    {
        foreach (string name in _names)
        {
            if (NetNamespace.Exists(name))
            {
                NetNamespace.Delete(name);
            }
        }

        _names.Clear();
    }

    private string NewName()
    {
        string name = Privileged.UniqueName();
        _names.Add(name);
        return name;
    }

    [Test]
    public void Create_Named_ShowsInIpNetnsListAndWorksWithIpNetnsExec()
    {
        string name = NewName();
        using NetNamespace ns = NetNamespace.Create(name);

        string list = IpOracle.RunHere("netns", "list");
        string link = IpOracle.RunHere("netns", "exec", name, "readlink", "/proc/self/ns/net").Trim();
        string links = IpOracle.RunHere("-j", "netns", "exec", name, "ip", "-j", "link");
        Assert.Multiple(() =>
        {
            Assert.That(list.Split('\n').Select(l => l.Split(' ')[0]), Does.Contain(name));
            Assert.That(link, Is.EqualTo($"net:[{ns.Inode}]"));
            Assert.That(links, Does.Contain("\"ifname\":\"lo\""));
            Assert.That(ns.Name, Is.EqualTo(name));
            Assert.That(ns.Path, Is.EqualTo("/run/netns/" + name));
            Assert.That(NetNamespace.List(), Does.Contain(name));
            Assert.That(NetNamespace.Exists(name), Is.True);
        });
    }

    [Test]
    public void Open_MadeByIpNetnsAdd_EqualsOpenPathOfItsFile()
    {
        string name = NewName();
        IpOracle.RunHere("netns", "add", name);
        using NetNamespace byName = NetNamespace.Open(name);
        using NetNamespace byPath = NetNamespace.OpenPath("/run/netns/" + name);
        using NetNamespace here = NetNamespace.Current;
        string link = IpOracle.RunHere("netns", "exec", name, "readlink", "/proc/self/ns/net").Trim();
        Assert.Multiple(() =>
        {
            Assert.That(byName, Is.EqualTo(byPath));
            Assert.That(byName, Is.Not.EqualTo(here));
            Assert.That(byPath.Name, Is.EqualTo(name));
            Assert.That(link, Is.EqualTo($"net:[{byName.Inode}]"));
            Assert.That(byName.Run(() => { using NetNamespace c = NetNamespace.Current; return c.Inode; }), Is.EqualTo(byName.Inode));
        });
    }

    [Test]
    public void Delete_MadeByLinuxNet_IpNetnsNoLongerLists()
    {
        string name = NewName();
        NetNamespace.Create(name).Dispose();
        NetNamespace.Delete(name);
        Assert.Multiple(() =>
        {
            Assert.That(IpOracle.RunHere("netns", "list"), Does.Not.Contain(name));
            Assert.That(NetNamespace.Exists(name), Is.False);
            Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Not.Contain("/run/netns/" + name));
        });
    }

    [Test]
    public void Create_ExistingName_ThrowsEexistAndLeavesOriginal()
    {
        string name = NewName();
        using NetNamespace original = NetNamespace.Create(name);
        var e = Assert.Throws<LinuxNetException>(() => NetNamespace.Create(name));
        using NetNamespace reopened = NetNamespace.Open(name);
        Assert.Multiple(() =>
        {
            Assert.That(e!.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(e.IsAlreadyExists, Is.True);
            Assert.That(e.Message, Does.Contain("already exists"));
            Assert.That(reopened, Is.EqualTo(original));
        });
    }

    [Test]
    public void Open_Missing_ThrowsNotFound()
    {
        var e = Assert.Throws<LinuxNetException>(() => NetNamespace.Open(Privileged.UniqueName()));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(e.Message, Does.Contain("does not exist"));
        });
    }

    [Test]
    public void Delete_Missing_ThrowsNotFound()
    {
        var e = Assert.Throws<LinuxNetException>(() => NetNamespace.Delete(Privileged.UniqueName()));
        Assert.That(e!.IsNotFound, Is.True);
    }

    [Test]
    public void Delete_WhileInUse_NamespaceLivesOnForHolders()
    {
        string name = NewName();
        using NetNamespace ns = NetNamespace.Create(name);
        IpOracle.Run(ns, "link", "set", "lo", "up");
        NetNamespace.Delete(name);

        string links = IpOracle.Run(ns, "-j", "link", "show", "lo");
        using NetNamespace inside = ns.Run(() => NetNamespace.Current);
        Assert.Multiple(() =>
        {
            Assert.That(NetNamespace.Exists(name), Is.False);
            Assert.That(links, Does.Contain("\"operstate\":\"UNKNOWN\""));
            Assert.That(inside, Is.EqualTo(ns));
        });
    }

    [Test]
    public void Create_FailureAfterMount_LeavesNoFileOrMount()
    {
        string name = NewName();
        int mountsBefore = File.ReadAllLines("/proc/self/mountinfo").Length;
        var injected = new InvalidDataException("injected");
        NetNamespace.CreateFaultHook = n =>
        {
            if (n == name)
            {
                throw injected;
            }
        };
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => NetNamespace.Create(name));
            Assert.That(e, Is.SameAs(injected));
        }
        finally
        {
            NetNamespace.CreateFaultHook = null;
        }

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists("/run/netns/" + name), Is.False);
            Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Not.Contain("/run/netns/" + name));
            Assert.That(File.ReadAllLines("/proc/self/mountinfo"), Has.Length.EqualTo(mountsBefore));
            Assert.That(ProcessState.Settle(() => ProcessState.ThreadsOutsideMainNamespace().Count == 0), Is.True, "the creating thread ended");
            Assert.That(ProcessState.DescribeThreads(), Does.Not.Contain("LinuxNet netns"));
        });
    }

    [Test]
    public void Create_PathIsDirectory_ThrowsAndLeavesDirectory()
    {
        string name = NewName();
        string path = "/run/netns/" + name;
        Directory.CreateDirectory(path);
        try
        {
            var e = Assert.Throws<LinuxNetException>(() => NetNamespace.Create(name));
            Assert.Multiple(() =>
            {
                Assert.That(e!.IsAlreadyExists, Is.True);
                Assert.That(Directory.Exists(path), Is.True);
                Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Not.Contain(path));
            });
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    [Test]
    public void Create_ManyThreadsDifferentNames_AllDistinctAndUsable()
    {
        const int count = 16;
        string[] names = Enumerable.Range(0, count).Select(_ => NewName()).ToArray();
        var created = new ConcurrentBag<NetNamespace>();
        int mountsOfRunDirBefore = CountRunDirMounts();
        try
        {
            using var start = new Barrier(count);
            Thread[] threads = names.Select(n => new Thread(() =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                created.Add(NetNamespace.Create(n));
            })).ToArray();
            foreach (Thread t in threads)
            {
                t.Start();
            }

            foreach (Thread t in threads)
            {
                Assert.That(t.Join(TimeSpan.FromSeconds(30)), Is.True);
            }

            Assert.Multiple(() =>
            {
                Assert.That(created, Has.Count.EqualTo(count));
                Assert.That(created.Select(c => c.Inode).Distinct().Count(), Is.EqualTo(count));
                Assert.That(NetNamespace.List(), Is.SupersetOf(names));
                Assert.That(CountRunDirMounts(), Is.EqualTo(mountsOfRunDirBefore));
            });
        }
        finally
        {
            foreach (NetNamespace ns in created)
            {
                ns.Dispose();
            }
        }
    }

    internal static int CountRunDirMounts()
        => File.ReadAllLines("/proc/self/mountinfo").Count(l => l.Split(' ')[4] == NetNamespace.RunDirectory);
}
