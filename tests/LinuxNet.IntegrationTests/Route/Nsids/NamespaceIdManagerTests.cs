using System.Diagnostics;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class NamespaceIdManagerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private RouteLab _lab = null!;
    private NetNamespace _peer = null!;
    private NetNamespace _other = null!;

    private NamespaceIdManager Ids => _lab.Manager.Session.NamespaceIds;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create(veth: false);
        _peer = NetNamespace.CreateAnonymous();
        _other = NetNamespace.CreateAnonymous();
    }

    [TearDown]
    public void TearDown()
    {
        _other?.Dispose();
        _peer?.Dispose();
        _lab?.Dispose();
    }

    [Test]
    public void Set_IdForAnotherNamespace_IpListsItAndGetReadsIt()
    {
        Ids.Set(_peer, 7);
        Assert.Multiple(() =>
        {
            Assert.That(IpIds(), Is.EqualTo(new[] { 7 }));
            Assert.That(Ids.List(), Is.EqualTo(new[] { 7 }));
            Assert.That(Ids.TryGet(_peer), Is.EqualTo(7));
            Assert.That(Ids.TryGet(_other), Is.Null, "no id until one is needed or set");
        });
    }

    [Test]
    public async Task SetAutomaticAsync_KernelPicks_ReturnsTheIdIpLists()
    {
        int id = await Ids.SetAutomaticAsync(_peer);
        Assert.Multiple(async () =>
        {
            Assert.That(IpIds(), Is.EqualTo(new[] { id }));
            Assert.That(await Ids.ListAsync(), Is.EqualTo(new[] { id }));
            Assert.That(await Ids.TryGetAsync(_peer), Is.EqualTo(id));
        });
    }

    [Test]
    public void Set_IdTakenTwice_ThrowsWithTheKernelsText()
    {
        Ids.Set(_peer, 7);
        var taken = Assert.Throws<NetlinkException>(() => Ids.Set(_other, 7));
        var again = Assert.Throws<NetlinkException>(() => Ids.Set(_peer, 8));
        Assert.Multiple(() =>
        {
            Assert.That(taken!.ExtendedAckMessage, Is.EqualTo("The specified nsid is already used"));
            Assert.That(taken.Message, Does.Contain("ip netns set"));
            Assert.That(again!.ExtendedAckMessage, Is.EqualTo("Peer netns already has a nsid assigned"));
            Assert.That(IpIds(), Is.EqualTo(new[] { 7 }));
        });
    }

    [Test]
    public void Set_NegativeIdOrDisposedTarget_RefusedBeforeAnythingIsSent()
    {
        var disposed = NetNamespace.CreateAnonymous();
        disposed.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(() => Ids.Set(_peer, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(async () => await Ids.SetAsync(_peer, -5), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Ids.Set(disposed, 3), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(() => Ids.SetForProcess(0, 3), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
        Assert.That(IpIds(), Is.Empty);
    }

    [Test]
    public void SetForProcess_ProcessInThePeer_GivesThePeerTheId()
    {
        using Process sleeper = _peer.StartProcess(new ProcessStartInfo("sleep", "30"));
        try
        {
            Ids.SetForProcess(sleeper.Id, 9);
            Assert.That(Ids.TryGet(_peer), Is.EqualTo(9));
            Assert.That(Ids.TryGetForProcess(sleeper.Id), Is.EqualTo(9));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Test]
    public void LinkInfo_VethPeerElsewhere_ReportsTheNsidIpShows()
    {
        // The kernel assigns the id itself when a veth end moves away; LinkInfo reads it, ip -j link shows it.
        _lab.Manager.Add(new VethLinkSpec("w0", "w1") { PeerNamespace = _peer });
        LinkInfo w0 = _lab.Manager.Get("w0");
        JsonElement ip = _lab.Json("link", "show", "dev", "w0")[0];
        Assert.Multiple(() =>
        {
            Assert.That(w0.LinkNamespaceId, Is.Not.Null);
            Assert.That(w0.LinkNamespaceId, Is.EqualTo(ip.GetProperty("link_netnsid").GetInt32()));
            Assert.That(w0.LinkNamespaceId, Is.EqualTo(Ids.TryGet(_peer)));
            Assert.That(((VethKindInfo)w0.KindInfo!).PeerNamespaceId, Is.EqualTo(w0.LinkNamespaceId));
        });
    }

    [Test]
    public async Task Monitor_NsidSetAndNamespaceGone_ArriveAsNewAndDeleted()
    {
        using RtnetlinkMonitor monitor = _lab.Manager.Session.Monitor(RtnetlinkEventKinds.NamespaceIds);
        NetNamespace doomed = NetNamespace.CreateAnonymous();
        Ids.Set(doomed, 11);
        doomed.Dispose(); // the last reference: the kernel destroys the namespace and drops its id (RTM_DELNSID)
        var seen = new List<(RtnetlinkEventAction, int)>();
        using var bound = new CancellationTokenSource(Bound);
        await foreach (RtnetlinkEvent change in monitor.WithCancellation(bound.Token))
        {
            Assert.That(change.Kind, Is.EqualTo(RtnetlinkEventKind.NamespaceId));
            seen.Add((change.Action, change.GetNamespaceId()));
            if (change.Action == RtnetlinkEventAction.Deleted)
            {
                break;
            }
        }

        Assert.That(seen, Is.EqualTo(new[] { (RtnetlinkEventAction.New, 11), (RtnetlinkEventAction.Deleted, 11) }));
        Assert.That(IpIds(), Is.Empty);
    }

    private int[] IpIds()
    {
        string text = _lab.Ip("-j", "netns", "list-id").Trim();
        return text.Length == 0 ? [] : JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.GetProperty("nsid").GetInt32()).ToArray();
    }
}
