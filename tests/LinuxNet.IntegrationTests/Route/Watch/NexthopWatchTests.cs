using System.Net;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Watch;

/// <summary>
/// Nexthop objects in a <see cref="RtnetlinkWatch"/> and an <see cref="RtnetlinkCache"/>: the snapshot, the changes
/// after it and a resync after lost events all leave the consumer equal to <c>ip -j nexthop show</c> (ids and group
/// members).
/// </summary>
[Category("Privileged")]
public class NexthopWatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private RouteLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create(); // v0/v1 up: nexthops need a device with carrier
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public async Task Watch_Nexthops_SnapshotChangesAndResync_EqualIp()
    {
        _lab.Ip("nexthop", "add", "id", "1", "via", "198.51.100.2", "dev", "v0");
        _lab.Ip("nexthop", "add", "id", "2", "via", "198.51.100.3", "dev", "v0");
        _lab.Ip("nexthop", "add", "id", "10", "group", "1/2");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        using RtnetlinkWatch watch = rt.Watch(RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Nexthops, new RtnetlinkWatchOptions { ReceiveBufferSize = 4096, MaxReceiveBufferSize = 4096 });
        await using IAsyncEnumerator<RtnetlinkWatchEvent> items = watch.GetAsyncEnumerator();
        var state = new Dictionary<uint, string>();
        var changes = new List<RtnetlinkWatchChange>();

        async Task ApplyUntil(Func<bool> done)
        {
            var deadline = DateTime.UtcNow + Bound;
            while (!done())
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "bounded");
                Assert.That(await items.MoveNextAsync().AsTask().WaitAsync(Bound), Is.True);
                RtnetlinkWatchEvent item = items.Current;
                changes.Add(item.Change);
                if (item.Kind != RtnetlinkEventKind.Nexthop)
                {
                    continue;
                }

                NexthopInfo nexthop = item.Event.ToNexthop();
                if (item.Change == RtnetlinkWatchChange.Deleted)
                {
                    Assert.That(state.Remove(nexthop.Id), Is.True, $"deleted {nexthop.Id} was known");
                }
                else
                {
                    Assert.That(item.Change != RtnetlinkWatchChange.Added || !state.ContainsKey(nexthop.Id), Is.True, $"{nexthop.Id} added twice");
                    state[nexthop.Id] = Describe(nexthop);
                }
            }
        }

        await ApplyUntil(() => changes.Contains(RtnetlinkWatchChange.SnapshotCompleted));
        Assert.That(state, Is.EquivalentTo(Oracle()), "the snapshot");

        _lab.Ip("nexthop", "add", "id", "3", "via", "198.51.100.4", "dev", "v0");
        _lab.Ip("nexthop", "replace", "id", "10", "group", "1/3");
        _lab.Ip("nexthop", "del", "id", "2");
        await ApplyUntil(() => state.Count == 3 && state.ContainsKey(3) && !state.ContainsKey(2) && state[10] == "group 1,3");
        Assert.That(state, Is.EquivalentTo(Oracle()), "the changes");

        // Overrun a 4 KiB event buffer: 1,000 nexthops added, 960 of them deleted again, by ip -batch.
        {
            var lines = new List<string>();
            for (uint id = 100; id < 1100; id++)
            {
                lines.Add($"nexthop add id {id} via 198.51.100.5 dev v0");
                if (id >= 140)
                {
                    lines.Add($"nexthop del id {id}");
                }
            }

            string file = Path.GetTempFileName();
            try
            {
                File.WriteAllLines(file, lines);
                _lab.Ip("-batch", file);
            }
            finally
            {
                File.Delete(file);
            }
        }

        await ApplyUntil(() => changes.Contains(RtnetlinkWatchChange.ResyncCompleted) && state.Count == 43);
        Assert.Multiple(() =>
        {
            Assert.That(changes, Does.Contain(RtnetlinkWatchChange.ResyncStarted), "the burst overran the buffer");
            Assert.That(state, Is.EquivalentTo(Oracle()), "after the resync");
        });
    }

    [Test]
    public async Task Cache_Nexthops_QueryByIdAndAll_EqualIp()
    {
        _lab.Ip("nexthop", "add", "id", "7", "via", "198.51.100.2", "dev", "v0");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_lab.Namespace);
        await using RtnetlinkCache cache = await RtnetlinkCache.StartAsync(rt, RtnetlinkEventKinds.Links | RtnetlinkEventKinds.Nexthops).AsTask().WaitAsync(Bound);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Changed += (_, e) =>
        {
            if (e.Kind == RtnetlinkEventKind.Nexthop && cache.GetNexthop(8) is not null)
            {
                changed.TrySetResult();
            }
        };

        _lab.Ip("nexthop", "add", "id", "8", "via", "198.51.100.3", "dev", "v0");
        await changed.Task.WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(cache.GetNexthop(7)!.Gateway, Is.EqualTo(IPAddress.Parse("198.51.100.2")));
            Assert.That(cache.GetNexthops().Select(n => n.Id), Is.EquivalentTo(Oracle().Keys));
        });
    }

    private static string Describe(NexthopInfo nexthop) => nexthop.Group.Count > 0
        ? "group " + string.Join(",", nexthop.Group.Select(m => m.Id).OrderBy(i => i))
        : "via " + nexthop.Gateway;

    private Dictionary<uint, string> Oracle()
    {
        var result = new Dictionary<uint, string>();
        foreach (JsonElement n in _lab.Json("nexthop", "show").EnumerateArray())
        {
            uint id = n.GetProperty("id").GetUInt32();
            result[id] = n.TryGetProperty("group", out JsonElement group)
                ? "group " + string.Join(",", group.EnumerateArray().Select(m => m.GetProperty("id").GetUInt32()).OrderBy(i => i))
                : "via " + n.GetProperty("gateway").GetString();
        }

        return result;
    }
}
