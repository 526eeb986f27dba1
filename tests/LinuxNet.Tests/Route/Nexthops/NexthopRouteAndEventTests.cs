using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Nexthops;

[TestFixture]
public class NexthopRouteAndEventTests
{
    [Test]
    public void WriteModify_RouteWithNhid_MatchesIproute2()
    {
        var spec = new RouteSpec(IPPrefix.Parse("198.51.100.128/25")) { NexthopId = 10 };
        RouteMessages.Validate(spec, deleting: false);
        var buffer = new byte[RouteMessages.GetMaxSize(spec)];
        int length = RouteMessages.WriteModify(buffer, LinuxRtnetlink.RTM_NEWROUTE, RouteMessages.AddFlags, spec, 0, ReadOnlySpan<int>.Empty);
        Iproute2Capture.AssertMatches("route-add-nhid", buffer.AsSpan(0, length));
    }

    [Test]
    public void Parse_RouteWithNhid_ReadsNexthopId()
    {
        byte[] bytes = Iproute2Capture.Load("route-add-nhid");
        RouteInfo route = RouteMessages.Parse(new NetlinkMessage(MemoryMarshal.Read<NetlinkHeader>(bytes), bytes.AsSpan(16)))!;
        Assert.That(route.NexthopId, Is.EqualTo(10u));
    }

    [TestCase("nexthop-add-via-v4", RtnetlinkEventKind.Nexthop, RtnetlinkEventAction.New)]
    [TestCase("nexthop-del", RtnetlinkEventKind.Nexthop, RtnetlinkEventAction.Deleted)]
    [TestCase("nsid-set", RtnetlinkEventKind.NamespaceId, RtnetlinkEventAction.New)]
    public void TryClassify_NexthopAndNsidMessages_GivesKindAndAction(string capture, RtnetlinkEventKind kind, RtnetlinkEventAction action)
    {
        byte[] bytes = Iproute2Capture.Load(capture);
        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(bytes);
        Assert.That(RtnetlinkEvent.TryClassify(header, bytes.AsSpan(16, (int)header.Length - 16), out RtnetlinkEventKind k, out RtnetlinkEventAction a), Is.True);
        Assert.That((k, a), Is.EqualTo((kind, action)));
        var e = new RtnetlinkEvent(k, a, bytes, 0, (int)header.Length);
        if (kind == RtnetlinkEventKind.Nexthop)
        {
            Assert.That(e.ToNexthop().Id, Is.EqualTo(capture == "nexthop-del" ? 11u : 1u));
        }
        else
        {
            Assert.That(e.GetNamespaceId(), Is.EqualTo(7));
        }
    }

    [Test]
    public void Monitor_UnknownKindBits_Throws()
        => Assert.Throws<ArgumentException>(() => RtnetlinkMonitor.Open((RtnetlinkEventKinds)128));

    [TestCase(LinuxNexthop.RTM_NEWNEXTHOP, "RTM_NEWNEXTHOP")]
    [TestCase(LinuxNexthop.RTM_GETNEXTHOPBUCKET, "RTM_GETNEXTHOPBUCKET")]
    [TestCase(LinuxLinkProp.RTM_NEWLINKPROP, "RTM_NEWLINKPROP")]
    [TestCase(LinuxRtnetlink.RTM_DELNSID, "RTM_DELNSID")]
    public void Schema_NewMessageTypes_AreNamed(ushort type, string name)
        => Assert.That(RouteNetlinkSchema.Instance.GetMessageTypeName(type), Is.EqualTo(name));
}
