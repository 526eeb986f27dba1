using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LinuxNet.IntegrationTests.Infrastructure;

/// <summary>A logger factory that records every entry (event id, level, formatted message) and every category asked for.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
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
