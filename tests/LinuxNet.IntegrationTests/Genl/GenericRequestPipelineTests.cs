using LinuxNet.Genl;
using LinuxNet.Genl.Ethtool;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Genl;

/// <summary>
/// A cached family id that the kernel no longer knows (the family went away and came back with another id, as after
/// a module reload) is resolved again once; the stale id is planted in the cache, since a test cannot reload ethtool.
/// </summary>
[TestFixture]
[Category("Privileged")]
public class GenericRequestPipelineTests
{
    private GenlLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = GenlLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [TestCase((ushort)1000, TestName = "Request_CachedIdNoFamilyHas_ResolvesAgainOnce")]
    [TestCase(NetlinkMessageType.GenericNetlinkControl, TestName = "Request_CachedIdOfAnotherFamily_ResolvesAgainOnce")]
    public void Request_StaleCachedId_ResolvesTheFamilyAgain(ushort staleId)
    {
        GenericNetlinkFamily real = _lab.Session.GetFamily("ethtool");
        _lab.Session.Pipeline.SetCached(new GenericNetlinkFamily("ethtool", staleId, real.Version, real.HeaderSize, real.MaxAttribute, real.Operations, real.MulticastGroups));

        EthtoolChannels channels = _lab.Session.Ethtool.GetChannels("v0");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(channels.MaxRx, Is.Not.Null);
            Assert.That(_lab.Session.GetFamily("ethtool").Id, Is.EqualTo(real.Id), "the cache holds the resolved id again");
        }
    }

    [Test]
    public void Request_RefusalWithTheRightId_IsReportedAsItCame()
    {
        // veth has no rings: EOPNOTSUPP with the current id is not a stale id, so no second request is sent.
        NetlinkException e = Assert.Throws<NetlinkException>(() => _lab.Session.Ethtool.GetRings("v0"))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
    }
}
