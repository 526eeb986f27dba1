using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

/// <summary>
/// Missing CAP_SYS_ADMIN, produced as root by dropping the capability from one thread's effective set (Linux
/// capabilities are per thread, and threads it creates inherit them).
/// </summary>
[TestFixture]
[Category("Privileged")]
public class PermissionTests
{
    private const int CAP_SYS_ADMIN = 21;
    private const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void Create_WithoutCapSysAdmin_ThrowsNamingCapability()
    {
        string name = Privileged.UniqueName();
        var e = OnThreadWithoutCapSysAdmin(() => Assert.Throws<LinuxNetException>(() => NetNamespace.Create(name)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.IsPermissionDenied, Is.True);
            Assert.That(e.Message, Does.Contain("CAP_SYS_ADMIN"));
            Assert.That(NetNamespace.Exists(name), Is.False);
        });
    }

    [Test]
    public void Create_WithoutCapSysAdminWhileTheCreatorThreadRuns_ThrowsNamingCapability()
    {
        // The creator thread has CAP_SYS_ADMIN; it must not make a namespace for a caller that has not.
        string warm = Privileged.UniqueName();
        NetNamespace.Create(warm).Dispose();
        NetNamespace.Delete(warm);
        Assert.That(NamespaceCreator.CurrentTid, Is.Not.Zero);

        string name = Privileged.UniqueName();
        var e = OnThreadWithoutCapSysAdmin(() => Assert.Throws<LinuxNetException>(() => NetNamespace.Create(name)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.IsPermissionDenied, Is.True);
            Assert.That(e.Message, Does.Contain("CAP_SYS_ADMIN"));
            Assert.That(NetNamespace.Exists(name), Is.False);
        });
    }

    [Test]
    public void CreateAnonymous_WithoutCapSysAdmin_ThrowsNamingCapability()
    {
        var e = OnThreadWithoutCapSysAdmin(() => Assert.Throws<LinuxNetException>(() => NetNamespace.CreateAnonymous()));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Errno, Is.EqualTo(Errno.EPERM));
            Assert.That(e.Message, Does.Contain("CAP_SYS_ADMIN"));
        });
    }

    [Test]
    public void Run_PinnedThreadWithoutCapSysAdmin_ThrowsAndNamespaceStaysUsableElsewhere()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        using NetNamespace opened = NetNamespace.OpenPath(lab.Path);

        // The pinned thread of `opened` is started lazily by this first Run, from the capability-less thread.
        var e = OnThreadWithoutCapSysAdmin(() => Assert.Throws<LinuxNetException>(() => opened.Run(() => { })));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Errno, Is.EqualTo(Errno.EPERM));
            Assert.That(e.Message, Does.Contain("CAP_SYS_ADMIN"));
            Assert.That(lab.Run(() => { using NetNamespace c = NetNamespace.Current; return c.Inode; }), Is.EqualTo(lab.Inode));
        });
    }

    private static T OnThreadWithoutCapSysAdmin<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropEffective(CAP_SYS_ADMIN);
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        Assert.That(thread.Join(TimeSpan.FromSeconds(30)), Is.True);
        failure?.Throw();
        return result;
    }

    private static unsafe void DropEffective(int capability)
    {
        CapHeader header = new() { Version = LINUX_CAPABILITY_VERSION_3, Pid = 0 };
        CapData* data = stackalloc CapData[2];
        Assert.That(CapGet(&header, data), Is.Zero, "capget");
        data[capability / 32].Effective &= ~(1u << (capability % 32));
        Assert.That(CapSet(&header, data), Is.Zero, "capset");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [DllImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static extern unsafe int CapGet(CapHeader* header, CapData* data);

    [DllImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static extern unsafe int CapSet(CapHeader* header, CapData* data);
}
