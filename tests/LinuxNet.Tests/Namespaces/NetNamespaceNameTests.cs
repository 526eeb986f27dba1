using LinuxNet.Namespaces;

namespace LinuxNet.Tests.Namespaces;

public class NetNamespaceNameTests
{
    private static readonly object[] BadNames =
    {
        new object[] { string.Empty },
        new object[] { "." },
        new object[] { ".." },
        new object[] { "a/b" },
        new object[] { "../../etc/passwd" },
        new object[] { "/run/netns/x" },
        new object[] { "a\0b" },
        new object[] { new string('x', 256) },
        new object[] { new string('é', 128) }, // 256 bytes in UTF-8
    };

    [TestCaseSource(nameof(BadNames))]
    public void Create_InvalidName_ThrowsArgumentException(string name)
        => Assert.That(() => NetNamespace.Create(name), Throws.ArgumentException.With.Property("ParamName").EqualTo("name"));

    [TestCaseSource(nameof(BadNames))]
    public void Open_InvalidName_ThrowsArgumentException(string name)
        => Assert.That(() => NetNamespace.Open(name), Throws.ArgumentException);

    [TestCaseSource(nameof(BadNames))]
    public void Delete_InvalidName_ThrowsArgumentException(string name)
        => Assert.That(() => NetNamespace.Delete(name), Throws.ArgumentException);

    [TestCaseSource(nameof(BadNames))]
    public void Exists_InvalidName_ThrowsArgumentException(string name)
        => Assert.That(() => NetNamespace.Exists(name), Throws.ArgumentException);

    [Test]
    public void Create_NullName_ThrowsArgumentNullException()
        => Assert.That(() => NetNamespace.Create(null!), Throws.ArgumentNullException);

    [TestCase("a")]
    [TestCase("lab-0")]
    [TestCase(".hidden")]
    [TestCase("...")]
    [TestCase("ns with spaces")]
    public void IsValidName_IproutePermits_ReturnsTrue(string name)
        => Assert.That(NetNamespace.IsValidName(name), Is.True);

    [Test]
    public void IsValidName_ExactlyNameMax_ReturnsTrue()
        => Assert.That(NetNamespace.IsValidName(new string('x', NetNamespace.MaxNameLength)), Is.True);

    [Test]
    public void OpenForProcess_ZeroPid_ThrowsArgumentOutOfRange()
        => Assert.That(() => NetNamespace.OpenForProcess(0), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void OpenPath_Empty_ThrowsArgumentException()
        => Assert.That(() => NetNamespace.OpenPath(string.Empty), Throws.ArgumentException);
}
