using System.Net;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Batches;

[TestFixture]
public class BatchRequestsTests
{
    [Test]
    public void WriteAddress_AddIpv6_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        BatchRequests.WriteAddress(ref writer, add: true, linkIndex: 3, IPAddress.Parse("2001:db8::7"), 64);
        int length = writer.EndMessage();
        Iproute2Capture.AssertMatches("addr-add-ipv6", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteAddress_DeleteIpv4_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        BatchRequests.WriteAddress(ref writer, add: false, linkIndex: 3, IPAddress.Parse("198.51.100.7"), 24);
        int length = writer.EndMessage();
        Iproute2Capture.AssertMatches("addr-del-ipv4", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteRoute_AddIpv6ViaGateway_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        BatchRequests.WriteRoute(ref writer, add: true, IPAddress.Parse("2001:db8:1::"), 64, 3, IPAddress.Parse("2001:db8::1"), 0, 0);
        int length = writer.EndMessage();
        Iproute2Capture.AssertMatches("route-add-ipv6-via", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteRoute_DeleteIpv4ViaGatewayWithMetric_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        BatchRequests.WriteRoute(ref writer, add: false, IPAddress.Parse("203.0.113.0"), 24, 0, IPAddress.Parse("198.51.100.1"), 0, 100);
        int length = writer.EndMessage();
        Iproute2Capture.AssertMatches("route-del-ipv4-via", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteLinkState_Up_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        BatchRequests.WriteLinkState(ref writer, 3, up: true);
        int length = writer.EndMessage();
        Iproute2Capture.AssertMatches("link-set-up", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteLinkDelete_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        BatchRequests.WriteLinkDelete(ref writer, 3);
        int length = writer.EndMessage();
        Iproute2Capture.AssertMatches("link-del", buffer.AsSpan(0, length));
    }
}
