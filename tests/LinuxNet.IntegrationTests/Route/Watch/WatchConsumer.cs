using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Watch;

/// <summary>Runs one watch's enumeration on the thread pool, applying every item to an <see cref="AppliedState"/>.</summary>
internal sealed class WatchConsumer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public WatchConsumer(RtnetlinkWatch watch)
    {
        Watch = watch;
        Loop = Task.Run(RunAsync);
    }

    public RtnetlinkWatch Watch { get; }

    public AppliedState State { get; } = new();

    public Task Loop { get; }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails after <paramref name="timeout"/> (also when the loop died).</summary>
    public void WaitFor(Func<AppliedState, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(State))
        {
            if (Loop.IsFaulted)
            {
                throw new InvalidOperationException($"the watch failed while waiting for {what}", Loop.Exception);
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what} (added {State.Added}, deleted {State.Deleted}, overruns {Watch.OverrunCount}, passes {Watch.SyncPassCount})");
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>
    /// Waits until the applied state equals <c>ip -j</c> for every kind in <paramref name="kinds"/> (the watch may still
    /// be re-reading after the last change), then returns; on timeout returns the last difference for the assertion.
    /// </summary>
    /// <summary>
    /// Waits (bounded) until the consumer's state equals <c>ip</c> for every kind, and returns the last comparison's
    /// two sides per kind: asserting on those, rather than on a fresh read, keeps a route the kernel adds a moment later
    /// (a link-local local route after IPv6 comes up) from failing a comparison that has just succeeded.
    /// </summary>
    public Dictionary<string, (SortedSet<string> Actual, SortedSet<string> Expected)> WaitForOracle(LinuxNet.Namespaces.NetNamespace ns, string[] kinds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = new Dictionary<string, (SortedSet<string> Actual, SortedSet<string> Expected)>();
        while (true)
        {
            bool inResync = State.InResync;
            foreach (string kind in kinds)
            {
                // Keys is already a fresh copy in ordinal order, as the oracle is: a copy with the default (culture)
                // comparer would order "2001:db8:1::1" before "2001:db8:100::1" and the ordered assertion would fail
                // on equal sets.
                last[kind] = (State.Keys(kind + " "), AppliedState.Oracle(ns, kind));
            }

            if ((!inResync && last.Values.All(pair => pair.Actual.SetEquals(pair.Expected))) || DateTime.UtcNow >= deadline || Loop.IsFaulted)
            {
                return last;
            }

            Thread.Sleep(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Watch.Dispose();
        try
        {
            await Loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync()
    {
        await foreach (RtnetlinkWatchEvent item in Watch.WithCancellation(_stop.Token))
        {
            State.Apply(item);
        }
    }
}
