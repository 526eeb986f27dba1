using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

[TestFixture]
[Category("Privileged")]
public class NetNamespaceCoreTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void CreateAnonymous_Always_DiffersFromCallersNamespace()
    {
        using NetNamespace here = NetNamespace.Current;
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        Assert.Multiple(() =>
        {
            Assert.That(lab, Is.Not.EqualTo(here));
            Assert.That(lab.Name, Is.Null);
            Assert.That(lab.Inode, Is.Not.Zero);
        });
    }

    [Test]
    public void Run_Always_ExecutesInsideTheNamespace()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        using NetNamespace inside = lab.Run(() => NetNamespace.Current);
        Assert.Multiple(() =>
        {
            Assert.That(inside, Is.EqualTo(lab));
            Assert.That(inside.GetHashCode(), Is.EqualTo(lab.GetHashCode()));
            Assert.That(inside == lab, Is.True);
        });
    }

    [Test]
    public void Run_Always_UsesOneNamedPinnedThread()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        (int Id, string? Name, bool Pool) first = lab.Run(() => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
        int second = lab.Run(() => Environment.CurrentManagedThreadId);
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first.Id));
            Assert.That(first.Id, Is.Not.EqualTo(Environment.CurrentManagedThreadId));
            Assert.That(first.Name, Does.StartWith("LinuxNet netns"));
            Assert.That(first.Pool, Is.False);
        });
    }

    [Test]
    public void Current_OnCallerThread_IsNotChangedByRun()
    {
        using NetNamespace before = NetNamespace.Current;
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        lab.Run(() => { });
        using NetNamespace after = NetNamespace.Current;
        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public void OpenPath_ProcSelfOfPinnedThread_EqualsNamespace()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        int tid = lab.Run(() => Interop.Libc.GetTid());
        using NetNamespace opened = NetNamespace.OpenPath($"/proc/{Environment.ProcessId}/task/{tid}/ns/net");
        using NetNamespace viaPath = NetNamespace.OpenPath(lab.Path);
        Assert.Multiple(() =>
        {
            Assert.That(opened, Is.EqualTo(lab));
            Assert.That(viaPath, Is.EqualTo(lab));
        });
    }

    [Test]
    public void OpenForProcess_Self_EqualsMainThreadNamespace()
    {
        using NetNamespace self = NetNamespace.OpenForProcess(Environment.ProcessId);
        using NetNamespace here = NetNamespace.Current;
        Assert.That(self, Is.EqualTo(here));
    }

    [Test]
    public void OpenPath_RegularFile_ThrowsEinval()
    {
        var e = Assert.Throws<LinuxNetException>(() => NetNamespace.OpenPath("/proc/self/status"));
        Assert.That(e!.Errno, Is.EqualTo(Errno.EINVAL));
    }

    [Test]
    public void OpenForProcess_MissingPid_ThrowsNotFound()
    {
        var e = Assert.Throws<LinuxNetException>(() => NetNamespace.OpenForProcess(int.MaxValue));
        Assert.That(e!.IsNotFound, Is.True);
    }

    [Test]
    public void StartProcess_Readlink_ReportsNamespaceInode()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        string link = IpOracle.Execute(lab, "readlink", "/proc/self/ns/net").Trim();
        Assert.That(link, Is.EqualTo($"net:[{lab.Inode}]"));
    }

    [Test]
    public void IpOracle_FreshNamespace_ShowsOnlyLoopback()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        var links = IpOracle.Json(lab, "link", "show");
        Assert.That(links.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()), Is.EqualTo(new[] { "lo" }));
    }

    [Test]
    public void Run_ActionThrows_SameExceptionObject()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        var original = new InvalidTimeZoneException("boom");
        var caught = Assert.Throws<InvalidTimeZoneException>(() => lab.Run(() => throw original));
        Assert.That(caught, Is.SameAs(original));
    }

    [Test]
    public void RunAsync_FunctionThrowsAfterAwait_SameExceptionObject()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        var original = new InvalidTimeZoneException("boom");
        var caught = Assert.ThrowsAsync<InvalidTimeZoneException>(() => lab.RunAsync(async () =>
        {
            await Task.Delay(1);
            throw original;
        }));
        Assert.That(caught, Is.SameAs(original));
    }

    [Test]
    public async Task RunAsync_SeveralAwaits_StaysInsideOnPinnedThread()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        List<(ulong Inode, int Thread)> seen = await lab.RunAsync(async () =>
        {
            var marks = new List<(ulong, int)>();
            void Mark()
            {
                using NetNamespace current = NetNamespace.Current;
                marks.Add((current.Inode, Environment.CurrentManagedThreadId));
            }

            Mark();
            await Task.Delay(5);
            Mark();
            await Task.Yield();
            Mark();

            // Socket I/O on loopback inside the namespace.
            lab.Run(() => { });
            using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            using var client = new UdpClient(AddressFamily.InterNetwork);
            await SetLoopbackUpAsync(lab);
            Mark();
            await client.SendAsync(new byte[] { 1, 2, 3 }, 3, (IPEndPoint)server.Client.LocalEndPoint!);
            Mark();
            UdpReceiveResult received = await server.ReceiveAsync();
            Assert.That(received.Buffer, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Mark();
            return marks;
        });

        int pinned = lab.Run(() => Environment.CurrentManagedThreadId);
        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(6));
            Assert.That(seen.Select(s => s.Inode), Is.All.EqualTo(lab.Inode));
            Assert.That(seen.Select(s => s.Thread), Is.All.EqualTo(pinned));
        });
    }

    [Test]
    public async Task RunAsync_Result_ComesBackOffThePinnedThread()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        int pinned = lab.Run(() => Environment.CurrentManagedThreadId);
        int value = await lab.RunAsync(async () =>
        {
            await Task.Delay(1);
            return 42;
        });
        using NetNamespace here = NetNamespace.Current;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(42));
            Assert.That(Environment.CurrentManagedThreadId, Is.Not.EqualTo(pinned));
            Assert.That(here, Is.Not.EqualTo(lab));
        });
    }

    [Test]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        NetNamespace lab = NetNamespace.CreateAnonymous();
        lab.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lab.Run(() => { }));
    }

    [Test]
    public void Run_CanceledToken_ThrowsBeforeRunning()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        bool ran = false;
        Assert.Throws<OperationCanceledException>(() => lab.Run(() => ran = true, new CancellationToken(true)));
        Assert.That(ran, Is.False);
    }

    [Test]
    public void Dispose_PinnedThread_Ends()
    {
        NetNamespace lab = NetNamespace.CreateAnonymous();
        int tid = lab.Run(() => Interop.Libc.GetTid());
        Assert.That(Directory.Exists($"/proc/self/task/{tid}"), Is.True);
        lab.Dispose();
        Assert.That(ProcessState.Settle(() => !Directory.Exists($"/proc/self/task/{tid}")), Is.True);
    }

    internal static Task SetLoopbackUpAsync(NetNamespace ns)
    {
        IpOracle.Run(ns, "link", "set", "lo", "up");
        return Task.CompletedTask;
    }
}
