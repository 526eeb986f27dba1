using LinuxNet.Netlink;

namespace LinuxNet.Tests.Netlink;

/// <summary><see cref="RequestGate"/>: one holder at a time under contention from threads and tasks, timeouts, cancellation.</summary>
public sealed class RequestGateTests
{
    [Test]
    public void Contended_ThreadsAndTasks_NeverTwoHoldersAndNoLostWakeUp()
    {
        var gate = new RequestGate();
        int inside = 0;
        int overlaps = 0;
        long entries = 0;
        const int perWorker = 20_000;

        void Critical()
        {
            if (Interlocked.Increment(ref inside) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            Thread.SpinWait(20);
            Interlocked.Decrement(ref inside);
            entries++; // not atomic on purpose: the gate is what makes it safe
        }

        Exception? failure = null;
        Thread[] threads = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < perWorker; i++)
            {
                if (!gate.TryEnter() && !gate.Enter(Deadline.After(TimeSpan.FromSeconds(30))))
                {
                    failure = new TimeoutException("a waiter was never woken");
                    return;
                }

                try
                {
                    Critical();
                }
                finally
                {
                    gate.Exit();
                }
            }
        })).ToArray();
        Task[] tasks = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < perWorker; i++)
            {
                await gate.EnterAsync(CancellationToken.None);
                try
                {
                    Critical();
                }
                finally
                {
                    gate.Exit();
                }
            }
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        Assert.That(Task.WaitAll(tasks, TimeSpan.FromSeconds(60)), Is.True, "the async workers finished");
        foreach (Thread t in threads)
        {
            Assert.That(t.Join(TimeSpan.FromSeconds(60)), Is.True, "the thread workers finished");
        }

        Assert.That(failure, Is.Null);
        Assert.That((overlaps, entries), Is.EqualTo((0, 6L * perWorker)));
    }

    [Test]
    public void Held_EnterTimesOut_AsyncEnterCancels_ThenBothGetItAfterExit()
    {
        var gate = new RequestGate();
        Assert.That(gate.TryEnter(), Is.True);
        Assert.That(gate.TryEnter(), Is.False);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(gate.Enter(Deadline.After(TimeSpan.FromMilliseconds(100))), Is.False);
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90)));

        Assert.ThrowsAsync<TaskCanceledException>(async () => await gate.EnterAsync(new CancellationToken(canceled: true)), "canceled before: canceled even though only the holder is there");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAsync<OperationCanceledException>(async () => await gate.EnterAsync(cancel.Token));

        ValueTask waiting = gate.EnterAsync(CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False);
        gate.Exit();
        Assert.That(waiting.AsTask().Wait(TimeSpan.FromSeconds(10)), Is.True, "the waiter got the gate on Exit");
        gate.Exit();
        Assert.That(gate.TryEnter(), Is.True, "free again");
        gate.Exit();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await gate.EnterAsync(new CancellationToken(canceled: true)), "a free gate is not taken with a canceled token");
        Assert.That(gate.TryEnter(), Is.True, "and was left free");
    }
}
