using System.Net;
using System.Net.NetworkInformation;
using LinuxNet.Route;

namespace LinuxNet.Tests.Route.Links;

/// <summary>
/// Bad input gives ArgumentException before anything is sent. The manager under test is disposed, so a check that
/// failed to fire would surface as ObjectDisposedException instead of reaching the kernel.
/// </summary>
public class LinkArgumentTests
{
    private LinkManager _links = null!;

    [SetUp]
    public void SetUp()
    {
        _links = LinkManager.Open();
        _links.Dispose();
    }

    [TearDown]
    public void TearDown() => _links.Dispose();

    public static IEnumerable<TestCaseData> BadSpecs()
    {
        yield return new TestCaseData(new VethLinkSpec("eth0/x", "p")).SetName("CreateLink_NameWithSlash_Throws");
        yield return new TestCaseData(new VethLinkSpec("abcdefghijklmnop", "p")).SetName("CreateLink_Name16Bytes_Throws");
        yield return new TestCaseData(new VethLinkSpec("", "p")).SetName("CreateLink_EmptyName_Throws");
        yield return new TestCaseData(new VethLinkSpec("..", "p")).SetName("CreateLink_DotDot_Throws");
        yield return new TestCaseData(new VethLinkSpec("a b", "p")).SetName("CreateLink_Whitespace_Throws");
        yield return new TestCaseData(new VethLinkSpec("v0", "bad/peer")).SetName("CreateLink_BadPeerName_Throws");
        yield return new TestCaseData(new VethLinkSpec("v0", "v0")).SetName("CreateLink_VethPeerSameName_Throws");
        yield return new TestCaseData(new VethLinkSpec("v0", "v1") { PeerAddress = PhysicalAddress.None }).SetName("CreateLink_EmptyPeerMac_Throws");
        yield return new TestCaseData(new BridgeLinkSpec("br0") { Mtu = 67 }).SetName("CreateLink_MtuBelow68_Throws");
        yield return new TestCaseData(new BridgeLinkSpec("br0") { Mtu = 65536 }).SetName("CreateLink_MtuAbove65535_Throws");
        yield return new TestCaseData(new BridgeLinkSpec("br0") { Address = PhysicalAddress.None }).SetName("CreateLink_EmptyMac_Throws");
        yield return new TestCaseData(new BridgeLinkSpec("br0") { TransmitQueueLength = -1 }).SetName("CreateLink_NegativeTxQueue_Throws");
        yield return new TestCaseData(new BridgeLinkSpec("br0") { ForwardDelay = TimeSpan.FromSeconds(-1) }).SetName("CreateLink_NegativeBridgeTime_Throws");
        yield return new TestCaseData(new BridgeLinkSpec("br0") { VlanDefaultPvid = 4095 }).SetName("CreateLink_BridgePvid4095_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 1u << 24)).SetName("CreateLink_VxlanId2Pow24_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 42) { Port = 0 }).SetName("CreateLink_VxlanPort0_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 42) { Remote = IPAddress.Parse("198.51.100.2"), Group = IPAddress.Parse("239.1.1.1") })
            .SetName("CreateLink_VxlanRemoteAndGroup_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 42) { Remote = IPAddress.Parse("239.1.1.1") }).SetName("CreateLink_VxlanMulticastRemote_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 42) { Group = IPAddress.Parse("198.51.100.2") }).SetName("CreateLink_VxlanUnicastGroup_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 42) { Local = IPAddress.Parse("198.51.100.1"), Remote = IPAddress.Parse("2001:db8::2") })
            .SetName("CreateLink_VxlanMixedFamilies_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 42) { Ttl = 0 }).SetName("CreateLink_VxlanTtl0_Throws");
        yield return new TestCaseData(new VxlanLinkSpec("vx0", 42) { Underlay = "bad/dev" }).SetName("CreateLink_VxlanBadUnderlay_Throws");
        yield return new TestCaseData(new VlanLinkSpec("v0.5000", "v0", 4095)).SetName("CreateLink_VlanId4095_Throws");
        yield return new TestCaseData(new VlanLinkSpec("v0.10", "v0", 10) { Protocol = 0x0800 }).SetName("CreateLink_VlanBadProtocol_Throws");
        yield return new TestCaseData(new MacvlanLinkSpec("mv0", "v0") { Mode = (MacvlanMode)3 }).SetName("CreateLink_BadMacvlanMode_Throws");
        yield return new TestCaseData(new MacvlanLinkSpec("mv0", "bad name")).SetName("CreateLink_BadParentName_Throws");
        yield return new TestCaseData(new IpvlanLinkSpec("ipv0", "v0") { Mode = (IpvlanMode)7 }).SetName("CreateLink_BadIpvlanMode_Throws");
        yield return new TestCaseData(new BondLinkSpec("bond0") { Mode = (BondMode)9 }).SetName("CreateLink_BadBondMode_Throws");
    }

    [TestCaseSource(nameof(BadSpecs))]
    public void CreateLink_BadSpec_ThrowsArgumentException(LinkSpec spec)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _links.Add(spec), Throws.InstanceOf<ArgumentException>());
            Assert.That(async () => await _links.AddAsync(spec), Throws.InstanceOf<ArgumentException>());
        });
    }

    [Test]
    public void CreateLink_Null_ThrowsArgumentNull()
        => Assert.That(() => _links.Add(null!), Throws.ArgumentNullException);

    [TestCase("")]
    [TestCase("eth0/x")]
    [TestCase("0123456789abcdef with space")] // over 15 bytes it may be an alternative name, but not with whitespace
    [TestCase("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [TestCase(".")]
    [TestCase("a b")]
    public void LinkVerbs_BadName_ThrowArgumentException(string name)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _links.TryGet(name), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => _links.SetUp(name), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => _links.SetDown(name), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => _links.Delete(name), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => _links.SetName("v0", name), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => _links.SetMaster("v0", name), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => _links.GetIndex(name), Throws.InstanceOf<ArgumentException>());
            Assert.That(async () => await _links.SetUpAsync(name), Throws.InstanceOf<ArgumentException>());
            Assert.That(async () => await _links.TryGetAsync(name), Throws.InstanceOf<ArgumentException>());
        });
    }

    [Test]
    public void SetName_SixteenBytes_ThrowsThoughAReferenceMayBeThatLong()
        => Assert.That(() => _links.SetName("v0", "0123456789abcdef"), Throws.InstanceOf<ArgumentException>());

    [TestCase(0)]
    [TestCase(-3)]
    public void LinkReference_NonPositiveIndex_Throws(int index)
        => Assert.That(() => _links.SetUp(index), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [TestCase(0)]
    [TestCase(67)]
    [TestCase(65536)]
    public void SetMtu_OutOfRange_Throws(int mtu)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _links.SetMtu("v0", mtu), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(async () => await _links.SetMtuAsync("v0", mtu), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void SetAddress_EmptyMac_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _links.SetAddress("v0", PhysicalAddress.None), Throws.ArgumentException);
            Assert.That(async () => await _links.SetAddressAsync("v0", PhysicalAddress.None), Throws.ArgumentException);
        });
    }

    [Test]
    public void SetAlias_TooLong_Throws()
        => Assert.That(() => _links.SetAlias("v0", new string('a', 256)), Throws.ArgumentException);

    [Test]
    public void SetTransmitQueueLength_Negative_Throws()
        => Assert.That(() => _links.SetTransmitQueueLength("v0", -1), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void SetProcessNamespace_NonPositivePid_Throws()
        => Assert.That(() => _links.SetProcessNamespace("v0", 0), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void SetNamespace_NullTarget_Throws()
        => Assert.That(() => _links.SetNamespace("v0", null!), Throws.ArgumentNullException);

    [Test]
    public void CreateLink_ValidSpecOnDisposedManager_ThrowsObjectDisposed()
    {
        // Proves the harness: a spec that passes validation does reach the (closed) socket.
        Assert.That(() => _links.Add(new BridgeLinkSpec("br0")), Throws.InstanceOf<ObjectDisposedException>());
    }
}
