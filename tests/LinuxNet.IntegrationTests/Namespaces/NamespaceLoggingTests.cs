using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using Microsoft.Extensions.Logging;

namespace LinuxNet.IntegrationTests.Namespaces;

[TestFixture]
[Category("Privileged")]
public class NamespaceLoggingTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void CreateRunDelete_WithLoggerFactory_LogsLifecycleEventsAtDebug()
    {
        var sink = new CapturingLoggerFactory();
        var options = new NetNamespaceOptions { LoggerFactory = sink };
        string name = Privileged.UniqueName();
        using (NetNamespace ns = NetNamespace.Create(name, options))
        {
            ns.Run(() => { });
        }

        NetNamespace.Delete(name, options);
        int[] ids = sink.Entries.Select(e => e.Id).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.SupersetOf(new[] { 1300, 1303, 1304, 1305 }));
            Assert.That(sink.Entries.Where(e => e.Id is 1300 or 1303 or 1304 or 1305).Select(e => e.Level), Is.All.EqualTo(LogLevel.Debug));
            Assert.That(sink.Entries.Single(e => e.Id == 1300).Message, Does.Contain(name));
            Assert.That(sink.Categories, Is.All.EqualTo("LinuxNet.Namespaces.NetNamespace"));
        });
    }
}
