using LinuxNet.Route;

namespace LinuxNet.Tests.Route.Links;

public class LinkSchemaTests
{
    [TestCase(new ushort[] { 4 }, "IFLA_MTU")]
    [TestCase(new ushort[] { 18, 1 }, "IFLA_LINKINFO/IFLA_INFO_KIND")]
    [TestCase(new ushort[] { 18, 2, 15 }, "IFLA_LINKINFO/IFLA_INFO_DATA/15")]
    [TestCase(new ushort[] { 28 }, "IFLA_NET_NS_FD")]
    public void GetAttributeName_LinkPath_NamesKernelAttributes(ushort[] path, string expected)
        => Assert.That(RouteNetlinkSchema.Instance.GetAttributeName(LinuxRtnetlink.RTM_NEWLINK, path), Is.EqualTo(expected));
}
