using System.Collections.Concurrent;
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

    private sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<(int Id, LogLevel Level, string Message)> Entries { get; } = new();

        public ConcurrentQueue<string> Categories { get; } = new();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName)
        {
            Categories.Enqueue(categoryName);
            return this;
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
