using LinuxNet;

namespace LinuxNet.Tests;

public class LinuxNetExceptionTests
{
    [Test]
    public void FromErrno_Eexist_CarriesNumberNameAndOperation()
    {
        var e = (LinuxNetException)LinuxNetException.FromErrno(17, "RTM_NEWADDR on 'veth0'", null);
        Assert.Multiple(() =>
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(e.ErrorNumber, Is.EqualTo(17));
            Assert.That(e.ErrnoName, Is.EqualTo("EEXIST"));
            Assert.That(e.HResult, Is.EqualTo(17));
            Assert.That(e.IsAlreadyExists, Is.True);
            Assert.That(e.Message, Does.Contain("RTM_NEWADDR on 'veth0'").And.Contain("EEXIST").And.Contain("File exists"));
        });
    }

    [TestCase(1, "CAP_NET_ADMIN")]
    [TestCase(13, "CAP_SYS_ADMIN")]
    public void FromErrno_PermissionDenied_NamesCapability(int errno, string capability)
    {
        var e = (LinuxNetException)LinuxNetException.FromErrno(errno, "setns", capability);
        Assert.That(e.Message, Does.Contain(capability));
        Assert.That(e.IsPermissionDenied, Is.True);
    }

    [Test]
    public void FromErrno_Ecanceled_IsOperationCanceled()
    {
        Assert.That(LinuxNetException.FromErrno(125, "read", null), Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void ErrnoName_Unnamed_FallsBackToNumber()
    {
        var e = new LinuxNetException((Errno)4000, "x");
        Assert.That(e.ErrnoName, Is.EqualTo("errno 4000"));
    }

    [Test]
    public void ErrnoName_Ebadfd_IsNamedAsTheMessageNamesIt()
    {
        // TUN reports EBADFD (77) for a queue whose device is gone; the name once said "errno 77".
        var e = new LinuxNetException((Errno)77, "read() on 'tun0'");
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrnoName, Is.EqualTo("EBADFD"));
            Assert.That(e.Errno, Is.EqualTo(Errno.EBADFD));
            Assert.That(e.Message, Does.Contain("EBADFD (77)"));
        });
    }

    [Test]
    public void ErrnoName_EveryLinuxErrno_HasItsSymbolicName()
    {
        // asm-generic/errno-base.h and errno.h number 1..133; 41 and 58 are unused (EWOULDBLOCK/EDEADLOCK alias others).
        string[] unnamed = Enumerable.Range(1, 133).Where(n => n is not (41 or 58))
            .Select(n => new LinuxNetException((Errno)n, "x").ErrnoName).Where(name => name.StartsWith("errno", StringComparison.Ordinal)).ToArray();
        Assert.That(unnamed, Is.Empty);
    }
}
