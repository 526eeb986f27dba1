using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Namespaces;

[TestFixture]
[Category("Privileged")]
public class ThreadHygieneTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public async Task RunAsync_QueuesThreadPoolWork_NoPoolThreadEntersTheNamespace()
    {
        using NetNamespace lab = NetNamespace.CreateAnonymous();
        int pinnedTid = lab.Run(() => Interop.Libc.GetTid());
        await lab.RunAsync(async () =>
        {
            // Blocking work items make the pool add workers; the request comes from the pinned thread.
            Task[] work = Enumerable.Range(0, 16).Select(_ => Task.Run(() => Thread.Sleep(100))).ToArray();
            await Task.WhenAll(work);
        });

        IReadOnlyList<string> inside = ProcessState.ThreadsOutsideMainNamespace();
        Assert.That(inside.Select(t => t.Split(' ')[0]), Is.EqualTo(new[] { pinnedTid.ToString() }), string.Join("; ", inside));
    }
}
