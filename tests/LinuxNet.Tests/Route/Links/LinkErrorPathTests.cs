using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Links;

public class LinkErrorPathTests
{
    private static NetlinkException Refusal(int offset)
        => new(Errno.EINVAL, "RTM_NEWLINK", "RTM_NEWLINK failed (offending attribute: IFLA_LINKINFO)", "bad", offset, LinuxRtnetlink.RTM_NEWLINK, 1, [18], "IFLA_LINKINFO");

    [TestCase(0x44, "IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID", new ushort[] { 18, 2, 1 })]
    [TestCase(0x64, "IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_PORT", new ushort[] { 18, 2, 15 })]
    [TestCase(0x2c, "IFLA_LINKINFO/IFLA_INFO_KIND", new ushort[] { 18, 1 })]
    public void Refine_OffsetInsideVxlanData_NamesTheNestedAttribute(int offset, string name, ushort[] path)
    {
        NetlinkException refined = LinkErrorPath.Refine(Refusal(offset), Iproute2Capture.Load("link-add-vxlan"), "vxlan");
        Assert.Multiple(() =>
        {
            Assert.That(refined.AttributeName, Is.EqualTo(name));
            Assert.That(refined.AttributePath, Is.EqualTo(path));
            Assert.That(refined.Message, Does.Contain($"(offending attribute: {name})"));
            Assert.That(refined.ExtendedAckMessage, Is.EqualTo("bad"));
        });
    }

    [Test]
    public void Refine_OffsetInsideVethPeer_NamesThePeerAttribute()
    {
        // link-add-veth: VETH_INFO_PEER at 0x38, its ifinfomsg, then IFLA_IFNAME "v1" at 0x4c.
        NetlinkException refined = LinkErrorPath.Refine(Refusal(0x4c), Iproute2Capture.Load("link-add-veth"), "veth");
        Assert.That(refined.AttributeName, Is.EqualTo("IFLA_LINKINFO/IFLA_INFO_DATA/VETH_INFO_PEER/IFLA_IFNAME"));
    }

    [Test]
    public void Refine_NoOffset_ReturnsSameException()
    {
        var e = new NetlinkException(Errno.EEXIST, "RTM_NEWLINK", "exists", null, null, LinuxRtnetlink.RTM_NEWLINK, 1);
        Assert.That(LinkErrorPath.Refine(e, Iproute2Capture.Load("link-add-veth"), "veth"), Is.SameAs(e));
    }
}
