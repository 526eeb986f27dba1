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
}
