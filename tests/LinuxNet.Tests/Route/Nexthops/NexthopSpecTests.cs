using System.Net;
using LinuxNet.Route;

namespace LinuxNet.Tests.Route.Nexthops;

[TestFixture]
public class NexthopSpecTests
{
    private static IEnumerable<TestCaseData> BadSpecs()
    {
        yield return new TestCaseData(new NexthopSpec(0) { Link = "v0" }, "0").SetName("Validate_IdZero_Throws");
        yield return new TestCaseData(Group(10, new NexthopGroupMember(10)), "names itself").SetName("Validate_GroupNamingItself_Throws");
        yield return new TestCaseData(Group(10, new NexthopGroupMember(1), new NexthopGroupMember(1, 2)), "more than once").SetName("Validate_GroupWithDuplicateMember_Throws");
        yield return new TestCaseData(Group(10, new NexthopGroupMember(1, 0)), "weight").SetName("Validate_WeightZero_Throws");
        yield return new TestCaseData(Group(10, new NexthopGroupMember(1, 257)), "weight").SetName("Validate_Weight257_Throws");
        yield return new TestCaseData(Group(10, new NexthopGroupMember(0)), "not 0").SetName("Validate_MemberIdZero_Throws");
        NexthopSpec zeroBuckets = Group(11, new NexthopGroupMember(1));
        zeroBuckets.GroupType = NexthopGroupType.Resilient;
        zeroBuckets.Buckets = 0;
        yield return new TestCaseData(zeroBuckets, "buckets").SetName("Validate_ResilientWithZeroBuckets_Throws");
        NexthopSpec noBuckets = Group(11, new NexthopGroupMember(1));
        noBuckets.GroupType = NexthopGroupType.Resilient;
        yield return new TestCaseData(noBuckets, "buckets").SetName("Validate_ResilientWithoutBuckets_Throws");
        NexthopSpec bucketsOnMultipath = Group(11, new NexthopGroupMember(1));
        bucketsOnMultipath.Buckets = 8;
        yield return new TestCaseData(bucketsOnMultipath, "resilient").SetName("Validate_BucketsOnMultipathGroup_Throws");
        NexthopSpec groupWithGateway = Group(11, new NexthopGroupMember(1));
        groupWithGateway.Gateway = IPAddress.Parse("198.51.100.2");
        yield return new TestCaseData(groupWithGateway, "no gateway").SetName("Validate_GroupWithGateway_Throws");
        yield return new TestCaseData(new NexthopSpec(5) { Blackhole = true, Link = "v0" }, "blackhole").SetName("Validate_BlackholeWithDevice_Throws");
        yield return new TestCaseData(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.2") }, "device").SetName("Validate_GatewayWithoutDevice_Throws");
        yield return new TestCaseData(new NexthopSpec(6) { Fdb = true, Link = "v0", Gateway = IPAddress.Parse("198.51.100.3") }, "FDB").SetName("Validate_FdbWithDevice_Throws");
        yield return new TestCaseData(new NexthopSpec(4) { Link = "v0", OnLink = true }, "onlink").SetName("Validate_OnLinkWithoutGateway_Throws");
        yield return new TestCaseData(new NexthopSpec(1) { Link = "bad/name" }, "interface name").SetName("Validate_BadDeviceName_Throws");
        yield return new TestCaseData(new NexthopSpec(1) { Link = "v0", Family = System.Net.Sockets.AddressFamily.InterNetworkV6, Gateway = IPAddress.Parse("198.51.100.2") }, "family").SetName("Validate_GatewayOfOtherFamily_Throws");
    }

    [TestCaseSource(nameof(BadSpecs))]
    public void Validate(NexthopSpec spec, string text)
    {
        var e = Assert.Throws<ArgumentException>(spec.Validate);
        Assert.That(e!.Message, Does.Contain(text).IgnoreCase);
    }

    [Test]
    public void Validate_WeightBounds_Accepted()
    {
        Assert.DoesNotThrow(Group(10, new NexthopGroupMember(1, 1), new NexthopGroupMember(2, 256)).Validate);
    }

    [Test]
    public void Validate_RouteWithNhidAndGateway_Throws()
    {
        var spec = new RouteSpec(IPPrefix.Parse("198.51.100.128/25")) { NexthopId = 10, Gateway = IPAddress.Parse("198.51.100.2") };
        Assert.Throws<ArgumentException>(() => RouteMessages.Validate(spec, deleting: false));
        Assert.DoesNotThrow(() => RouteMessages.Validate(new RouteSpec(IPPrefix.Parse("198.51.100.128/25")) { NexthopId = 10 }, deleting: false));
    }

    [Test]
    public void ToString_ReadsLikeIpNexthopArguments()
    {
        NexthopSpec resilient = Group(11, new NexthopGroupMember(1), new NexthopGroupMember(4, 2));
        resilient.GroupType = NexthopGroupType.Resilient;
        Assert.Multiple(() =>
        {
            Assert.That(resilient.ToString(), Is.EqualTo("id 11 group 1/4,2 type resilient"));
            Assert.That(new NexthopSpec(4) { Gateway = IPAddress.Parse("203.0.113.1"), Link = "v0", OnLink = true }.ToString(), Is.EqualTo("id 4 via 203.0.113.1 dev v0 onlink"));
            Assert.That(new NexthopSpec(5) { Blackhole = true }.ToString(), Is.EqualTo("id 5 blackhole"));
        });
    }

    [TestCase(new ushort[] { LinuxNexthop.NHA_GATEWAY }, "NHA_GATEWAY")]
    [TestCase(new ushort[] { LinuxNexthop.NHA_RES_GROUP, LinuxNexthop.NHA_RES_GROUP_BUCKETS }, "NHA_RES_GROUP/NHA_RES_GROUP_BUCKETS")]
    [TestCase(new ushort[] { LinuxNexthop.NHA_RES_BUCKET, LinuxNexthop.NHA_RES_BUCKET_INDEX }, "NHA_RES_BUCKET/NHA_RES_BUCKET_INDEX")]
    public void Schema_NexthopAttributePath_IsNamed(ushort[] path, string name)
        => Assert.That(RouteNetlinkSchema.Instance.GetAttributeName(LinuxNexthop.RTM_NEWNEXTHOP, path), Is.EqualTo(name));

    [Test]
    public void Schema_NsidAttribute_IsNamed()
        => Assert.That(RouteNetlinkSchema.Instance.GetAttributeName(LinuxRtnetlink.RTM_NEWNSID, new ushort[] { LinuxNetNamespace.NETNSA_FD }), Is.EqualTo("NETNSA_FD"));

    private static NexthopSpec Group(uint id, params NexthopGroupMember[] members)
    {
        var spec = new NexthopSpec(id);
        foreach (NexthopGroupMember member in members)
        {
            spec.Group.Add(member);
        }

        return spec;
    }
}
