using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.IntegrationTests.Namespaces;

/// <summary>
/// A disposed <see cref="NetNamespace"/> is refused wherever one is taken: its descriptor number may already name
/// another file (issue 12 item 2: a link was seen landing in an unrelated namespace).
/// </summary>
[TestFixture]
[Category("Privileged")]
public class DisposedNamespaceTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void SetNamespace_DisposedTargetWhoseFdNumberWasReused_ThrowsAndTheLinkStays()
    {
        using NetNamespace home = NetNamespace.CreateAnonymous();
        using RtnetlinkSession rt = RtnetlinkSession.Open(home);
        rt.Links.Add(new VethLinkSpec("v0", "v1"));
        NetNamespace target = NetNamespace.CreateAnonymous();
        string oldPath = target.Path;
        target.Dispose();

        // The next namespace very likely gets the freed descriptor number: the old path now names it.
        using NetNamespace bystander = NetNamespace.CreateAnonymous();
        TestContext.Out.WriteLine($"disposed {oldPath}, bystander {bystander.Path}");

        Assert.Throws<ObjectDisposedException>(() => rt.Links.SetNamespace("v0", target));
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await rt.Links.SetNamespaceAsync("v0", target));
        Assert.Multiple(() =>
        {
            Assert.That(rt.Links.TryGet("v0"), Is.Not.Null, "the link did not move");
            Assert.That(IpOracle.Run(home, "-o", "link"), Does.Contain("v0@v1"));
            Assert.That(IpOracle.Run(bystander, "-o", "link"), Does.Not.Contain("v0"), "nothing landed in the bystander");
        });
    }

    [Test]
    public void AddVeth_DisposedPeerNamespace_ThrowsAndCreatesNothing()
    {
        using NetNamespace home = NetNamespace.CreateAnonymous();
        using RtnetlinkSession rt = RtnetlinkSession.Open(home);
        NetNamespace peer = NetNamespace.CreateAnonymous();
        peer.Dispose();
        using NetNamespace bystander = NetNamespace.CreateAnonymous();

        Assert.Throws<ObjectDisposedException>(() => rt.Links.Add(new VethLinkSpec("v0", "v1") { PeerNamespace = peer }));
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await rt.Links.AddAsync(new VethLinkSpec("v0", "v1") { PeerNamespace = peer }));
        Assert.Multiple(() =>
        {
            Assert.That(rt.Links.TryGet("v0"), Is.Null);
            Assert.That(IpOracle.Run(bystander, "-o", "link"), Does.Not.Contain("v1"));
        });
    }

    private static IEnumerable<TestCaseData> Takers()
    {
        yield return new TestCaseData((Action<NetNamespace>)(ns => RtnetlinkSession.Open(ns).Dispose())).SetName("RtnetlinkSession.Open");
        yield return new TestCaseData((Action<NetNamespace>)(ns => LinkManager.Open(ns).Dispose())).SetName("LinkManager.Open");
        yield return new TestCaseData((Action<NetNamespace>)(ns => TunDevice.Create(new TunDeviceOptions { Name = "t0" }, ns).Dispose())).SetName("TunDevice.Create");
        yield return new TestCaseData((Action<NetNamespace>)(ns => TunDevice.Open(new TunDeviceOptions { Name = "t0" }, ns).Dispose())).SetName("TunDevice.Open");
        yield return new TestCaseData((Action<NetNamespace>)(ns => LinuxNet.Udp.UdpBatchSocket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), ns, null).Dispose())).SetName("UdpBatchSocket.Bind");
        yield return new TestCaseData((Action<NetNamespace>)(ns => LinuxNet.Genl.GenericNetlinkSession.Open(ns).Dispose())).SetName("GenericNetlinkSession.Open");
        yield return new TestCaseData((Action<NetNamespace>)(ns => ns.Run(() => { }))).SetName("NetNamespace.Run");
        yield return new TestCaseData((Action<NetNamespace>)(ns => ns.StartProcess(new System.Diagnostics.ProcessStartInfo("true")).Dispose())).SetName("NetNamespace.StartProcess");
    }

    [TestCaseSource(nameof(Takers))]
    public void EveryApiTakingANamespace_Disposed_ThrowsObjectDisposed(Action<NetNamespace> use)
    {
        NetNamespace ns = NetNamespace.CreateAnonymous();
        ns.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => use(ns));
        Assert.That(e!.ObjectName, Is.EqualTo(nameof(NetNamespace)), "names the type the caller holds");
    }
}
